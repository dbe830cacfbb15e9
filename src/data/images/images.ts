import { decodeChunks, type FileFormat, type LabelledFile } from './decode-images.js';
import { type ImageFiles, type Images, type ImageSet, imageSize } from './image-set.js';

// The operations on labelled images that work the same whether the pixels are in
// memory (ImageSet) or still in files (ImageFiles): picking, pooling, decoding, and
// walking a set a chunk at a time.

export function isFiles(set: Images): set is ImageFiles {
  return 'files' in set;
}

/** Checked files as a set (see checkFiles): their labels, and the shape they decode to. */
export function filesSet(kept: readonly LabelledFile[], format: FileFormat, classes: number, skipped: readonly string[] = []): ImageFiles {
  return {
    files: kept.map((e) => e.file),
    labels: Int32Array.from(kept, (e) => e.label),
    shape: [format.size[0], format.size[1], format.channels],
    classes,
    format,
    skipped,
  };
}

function entries(set: ImageFiles, from = 0, to = set.files.length): LabelledFile[] {
  return set.files.slice(from, to).map((file, i) => ({ file, label: set.labels[from + i]! }));
}

/** The examples at `indices`, in that order, relabelled; files stay files, nothing is decoded. */
export function pickImages<T extends Images>(set: T, indices: readonly number[], relabel: (label: number) => number, classes: number): T {
  const labels = Int32Array.from(indices, (from) => relabel(set.labels[from]!));
  if (isFiles(set)) return { files: indices.map((from) => set.files[from]!), labels, shape: set.shape, classes, format: set.format } satisfies ImageFiles as Images as T;
  const size = imageSize(set);
  const pixels = new Uint8Array(indices.length * size);
  indices.forEach((from, to) => pixels.set(set.pixels.subarray(from * size, (from + 1) * size), to * size));
  return { pixels, labels, shape: set.shape, classes } satisfies ImageSet as Images as T;
}

/** Several sets of files of the same format as one (a folder's train/, val/ and test/ parts). */
export function concatFiles(sets: readonly ImageFiles[]): ImageFiles {
  const first = sets[0]!;
  return { ...filesSet(sets.flatMap((s) => entries(s)), first.format, Math.max(...sets.map((s) => s.classes))), skipped: sets.flatMap((s) => s.skipped ?? []) };
}

/**
 * The pixels in memory. Files were checked readable when listed, so one that fails
 * now (changed since) is an error naming it, never a silently shorter set.
 */
export async function decodeImages(set: Images): Promise<ImageSet> {
  if (!isFiles(set)) return set;
  const { files: _files, format, ...rest } = set;
  const pixels = new Uint8Array(set.files.length * imageSize(set));
  let at = 0;
  for await (const chunk of decodeChunks(entries(set), format, { skip: false })) {
    pixels.set(chunk.pixels, at);
    at += chunk.pixels.length;
  }
  return { ...rest, pixels };
}

/**
 * The set in order, `size` examples at a time, as in-memory sets: views of the
 * pixels, or the files decoded chunk by chunk, so only one chunk of pixels is ever
 * held.
 */
export async function* imageChunks(set: Images, size: number): AsyncGenerator<ImageSet> {
  const n = set.labels.length;
  if (!isFiles(set)) {
    const bytes = imageSize(set);
    for (let start = 0; start < n; start += size) {
      const end = Math.min(n, start + size);
      yield { pixels: set.pixels.subarray(start * bytes, end * bytes), labels: set.labels.subarray(start, end), shape: set.shape, classes: set.classes };
    }
    return;
  }
  let start = 0;
  for await (const chunk of decodeChunks(entries(set), set.format, { skip: false, chunk: size })) {
    yield { pixels: chunk.pixels, labels: set.labels.subarray(start, start + chunk.kept.length), shape: set.shape, classes: set.classes };
    start += chunk.kept.length;
  }
}
