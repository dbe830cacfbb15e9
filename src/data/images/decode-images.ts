import { accessSync, constants } from 'node:fs';
import sharp, { type KernelEnum, type Sharp } from 'sharp';
import type { ResolvedData } from '../../config/resolved.js';
import { DataError, InternalError } from '../../errors.js';
import { osReason } from '../../os-error.js';
import type { ImageSet } from './image-set.js';

/** The pixel layout images are brought to: [height, width] and channels. */
export interface PixelFormat {
  readonly size: readonly [number, number];
  readonly channels: 1 | 3;
  readonly resize: ResolvedData['resize'];
}

/** How image files are decoded: the layout, and what transparent pixels become. */
export interface FileFormat extends PixelFormat {
  readonly background: ResolvedData['background'];
}

const KERNELS = { nearest: 'nearest', bilinear: 'linear', bicubic: 'cubic', lanczos3: 'lanczos3' } as const satisfies Record<ResolvedData['resize'], keyof KernelEnum>;
const NAMED = { white: '#ffffff', black: '#000000' } as const;

/** A data block's `background` as the colour sharp flattens onto, or null for `none` (alpha dropped). */
export function backgroundColour(background: ResolvedData['background']): { r: number; g: number; b: number } | null {
  if (background === 'none') return null;
  const hex = NAMED[background as keyof typeof NAMED] ?? background;
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex ?? '');
  if (match == null) throw new InternalError(`background ${JSON.stringify(background)} passed the schema`);
  const [r, g, b] = match.slice(1).map((h) => Number.parseInt(h, 16)) as [number, number, number];
  return { r, g, b };
}

function pipeline(image: Sharp, format: PixelFormat, background: ReturnType<typeof backgroundColour> = null): Sharp {
  const [height, width] = format.size;
  const opaque = background == null ? image.removeAlpha() : image.flatten({ background });
  const resized = opaque.resize({ width, height, fit: 'fill', kernel: KERNELS[format.resize] });
  // sharp brings 16-bit, CMYK, palette and gray images to 8-bit gray or sRGB here.
  return format.channels === 1 ? resized.greyscale() : resized.toColourspace('srgb');
}

/**
 * One image file as 8-bit pixels in `format`: turned as its EXIF orientation says
 * (as a photo viewer shows it), transparent pixels flattened onto the background.
 */
export async function decodeImage(file: string, format: FileFormat): Promise<Uint8Array> {
  const image = sharp(file, { failOn: 'error', autoOrient: true });
  const { data, info } = await pipeline(image, format, backgroundColour(format.background)).raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== format.channels) throw new Error(`decoded to ${info.channels} channels`);
  if (data.byteLength !== format.size[0] * format.size[1] * format.channels) throw new Error(`decoded to ${data.byteLength} bytes, expected ${format.size[0] * format.size[1] * format.channels} (8 bits a channel)`);
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

/** An image file and its label. */
export interface LabelledFile {
  readonly file: string;
  readonly label: number;
}

/**
 * Labelled image files decoded a chunk at a time (sharp works on its own threads,
 * `chunk` files at once): each chunk's pixels, in order, with the files they came
 * from. An unreadable file stops with an error naming it, or with `skip` is left
 * out and listed.
 */
export async function* decodeChunks(
  entries: readonly LabelledFile[], format: FileFormat, options: { skip: boolean; chunk?: number },
): AsyncGenerator<{ pixels: Uint8Array; kept: LabelledFile[]; skipped: string[] }> {
  const size = format.size[0] * format.size[1] * format.channels;
  const step = options.chunk ?? 32;
  for (let start = 0; start < entries.length; start += step) {
    const chunk = entries.slice(start, start + step);
    const decoded = await Promise.all(chunk.map((e) => decodeImage(e.file, format).catch((error: Error) => error)));
    const pixels = new Uint8Array(chunk.length * size);
    const kept: LabelledFile[] = [];
    const skipped: string[] = [];
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
      pixels.set(result, kept.length * size);
      kept.push(entry);
    });
    yield { pixels: pixels.subarray(0, kept.length * size), kept, skipped };
  }
}

/**
 * The files that decode, each decoded once and its pixels let go (so a folder too
 * big for memory is checked in bounded memory); the others stop with an error, or
 * with `skip` are listed.
 */
export async function checkFiles(entries: readonly LabelledFile[], format: FileFormat, options: { skip: boolean }): Promise<{ kept: LabelledFile[]; skipped: string[] }> {
  const kept: LabelledFile[] = [];
  const skipped: string[] = [];
  for await (const chunk of decodeChunks(entries, format, options)) {
    kept.push(...chunk.kept);
    skipped.push(...chunk.skipped);
  }
  return { kept, skipped };
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
