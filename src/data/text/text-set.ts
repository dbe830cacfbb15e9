/** Labelled texts as read from a dataset, before tokenization (placeholder until the text data branch lands). */
export interface TextSet {
  readonly texts: readonly string[];
  readonly labels: Int32Array;
  readonly classes: number;
  readonly classNames?: readonly string[];
  readonly splits?: { readonly train: readonly number[]; readonly validation?: readonly number[]; readonly test?: readonly number[] };
}
