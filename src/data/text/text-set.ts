/**
 * Labelled texts as read from a dataset, before tokenization: the text side of
 * what `Labelled` is for images (image-set.ts), so splits and class selection
 * can serve both.
 */
export interface TextSet {
  readonly texts: readonly string[];
  readonly labels: Int32Array;
  /** Number of classes the labels range over. */
  readonly classes: number;
  readonly classNames?: readonly string[];
  /** Splits the dataset comes with, as indices. */
  readonly splits?: { readonly train: readonly number[]; readonly validation?: readonly number[]; readonly test?: readonly number[] };
  /** Where each text came from, for datasets that pool several (uci-sentences: imdb, yelp, amazon; spam-assassin: its groups). */
  readonly domains?: readonly string[];
}
