import type { InputScale } from '../config/resolved.js';
import { pixelScale, type PixelScale } from './images/batches.js';
import type { Images, ImageSet } from './images/image-set.js';
import { decodeImages, imageChunks, isFiles, pickImages } from './images/images.js';
import { isTextSet, isTokenSet, pickTexts, tokenChunks, type TokenSet } from './text/token-set.js';
import type { TextSet } from './text/text-set.js';

// The one place that knows examples come in modalities: labelled images (pixels,
// or files not decoded yet) and labelled texts (read, then tokenized once split).
// Splitting, chunking and batching go through these; nothing downstream branches.

/** Examples as a dataset reads them, before they are split. */
export type ReadExamples = Images | TextSet;

/** Examples as tasks use them: images (perhaps still files) or tokenized texts. */
export type Examples = Images | TokenSet;

/** Examples whose model input is in memory. */
export type InMemory = ImageSet | TokenSet;

/** The examples at `indices`, in that order, relabelled (files stay files, texts stay texts). */
export function pickExamples<T extends ReadExamples | TokenSet>(set: T, indices: readonly number[], relabel: (label: number) => number, classes: number): T {
  return isTextSet(set) ? pickTexts(set, indices, relabel, classes) : pickImages(set as Images, indices, relabel, classes) as T;
}

/** The model input in memory: image files decoded (see decodeImages), tokens as they are. */
export async function decodeExamples(set: Examples): Promise<InMemory> {
  return isTokenSet(set) ? set : decodeImages(set);
}

/** The set in order, `size` examples at a time, in memory (image files decoded a chunk at a time). */
export async function* exampleChunks(set: Examples, size: number): AsyncGenerator<InMemory> {
  if (isTokenSet(set)) yield* tokenChunks(set, size);
  else yield* imageChunks(set, size);
}

/** Whether the examples are texts. */
export function isText(set: ReadExamples | Examples): set is TextSet | TokenSet {
  return isTextSet(set);
}

/** The pixel scaling of a set's images (texts are token ids: nothing to scale, the identity of one channel). */
export function inputScale(scale: InputScale, set: Examples): PixelScale {
  return pixelScale(scale, isTokenSet(set) ? 1 : set.shape[2]);
}

/** What a report can show of an example: a text, an image's file; nothing for images known only as pixels. */
export function exampleName(set: Examples, index: number): string | undefined {
  if (isTokenSet(set)) return set.texts[index];
  return isFiles(set) ? set.files[index] : undefined;
}
