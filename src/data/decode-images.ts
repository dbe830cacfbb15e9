import { accessSync, constants } from 'node:fs';
import sharp, { type KernelEnum, type Sharp } from 'sharp';
import type { ResolvedData } from '../config/resolved.js';
import { DataError } from '../errors.js';
import { osReason } from '../os-error.js';
import type { ImageSet } from './image-set.js';

/** The pixel layout images are brought to: [height, width] and channels. */
export interface PixelFormat {
  readonly size: readonly [number, number];
  readonly channels: 1 | 3;
  readonly resize: ResolvedData['resize'];
}

const KERNELS = { nearest: 'nearest', bilinear: 'linear', bicubic: 'cubic', lanczos3: 'lanczos3' } as const satisfies Record<ResolvedData['resize'], keyof KernelEnum>;

function pipeline(image: Sharp, format: PixelFormat): Sharp {
  const [height, width] = format.size;
  const resized = image.removeAlpha().resize({ width, height, fit: 'fill', kernel: KERNELS[format.resize] });
  return format.channels === 1 ? resized.greyscale() : resized.toColourspace('srgb');
}

/** One image file as 8-bit pixels in `format`. */
export async function decodeImage(file: string, format: PixelFormat): Promise<Uint8Array> {
  const { data, info } = await pipeline(sharp(file, { failOn: 'error' }), format).raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== format.channels) throw new Error(`decoded to ${info.channels} channels`);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Why an image failed: the system's reason when the file cannot even be opened (sharp calls a link loop "missing"), else sharp's. */
function failure(file: string, error: Error): string {
  try {
    accessSync(file, constants.R_OK);
  } catch (e) {
    return `cannot read: ${osReason(e)}`;
  }
  return `cannot decode image: ${error.message.split('\n')[0]}`;
}

/**
 * Decodes labelled image files into one set, a few at a time (sharp works on its
 * own threads). An unreadable file stops with an error naming it, or with
 * `skip` is left out and counted.
 */
export async function decodeAll(
  entries: readonly { file: string; label: number }[],
  format: PixelFormat,
  options: { skip: boolean; classes: number },
): Promise<ImageSet & { skipped: string[] }> {
  const size = format.size[0] * format.size[1] * format.channels;
  const pixels = new Uint8Array(entries.length * size);
  const labels: number[] = [];
  const skipped: string[] = [];
  for (let start = 0; start < entries.length; start += 32) {
    const chunk = entries.slice(start, start + 32);
    const decoded = await Promise.all(chunk.map((e) => decodeImage(e.file, format).catch((error: Error) => error)));
    decoded.forEach((result, i) => {
      const entry = chunk[i]!;
      if (result instanceof Error) {
        if (!options.skip) {
          throw new DataError('E_DATA_CORRUPT', entry.file, failure(entry.file, result),
            'remove or replace the file, or set skipUnreadable: true to skip unreadable images');
        }
        skipped.push(entry.file);
        return;
      }
      pixels.set(result, labels.length * size);
      labels.push(entry.label);
    });
  }
  return {
    pixels: pixels.subarray(0, labels.length * size),
    labels: Int32Array.from(labels),
    shape: [format.size[0], format.size[1], format.channels],
    classes: options.classes,
    skipped,
  };
}

/** An in-memory set brought to another size or channel count (e.g. MNIST for an RGB model). */
export async function conform(set: ImageSet, format: PixelFormat): Promise<ImageSet> {
  const [h, w, c] = set.shape;
  if (h === format.size[0] && w === format.size[1] && c === format.channels) return set;
  const from = h * w * c;
  const to = format.size[0] * format.size[1] * format.channels;
  const pixels = new Uint8Array(set.labels.length * to);
  for (let start = 0; start < set.labels.length; start += 64) {
    const indices = Array.from({ length: Math.min(64, set.labels.length - start) }, (_, k) => start + k);
    // sharp works on its own threads: a chunk at a time keeps them busy.
    await Promise.all(indices.map(async (i) => {
      const raw = sharp(set.pixels.subarray(i * from, (i + 1) * from), { raw: { width: w, height: h, channels: c as 1 | 3 } });
      const { data } = await pipeline(raw, format).raw().toBuffer({ resolveWithObject: true });
      pixels.set(data, i * to);
    }));
  }
  return { ...set, pixels, shape: [format.size[0], format.size[1], format.channels] };
}
