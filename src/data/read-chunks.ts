import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { DataError } from '../errors.js';
import { isOsError, osReason } from '../os-error.js';

/** Whether a file starts with gzip's magic bytes (its name is not asked). */
export async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

// Larger chunks than the streams' defaults (16-64 KiB): fewer round trips through zlib.
const CHUNK = 2 ** 20;
const mib = (bytes: number) => `${+(bytes / 2 ** 20).toFixed(1)} MiB`;

/**
 * Hands a file's contents to `take` a chunk at a time, decompressed when it is
 * gzipped. Past `maxBytes` it stops with an error naming the file, so a gzip that
 * expands without bound costs neither memory nor much time; `take` may throw to
 * stop sooner (a format whose header says how long it is).
 */
export async function readChunks(file: string, take: (chunk: Uint8Array) => void, maxBytes: number): Promise<void> {
  let gzipped = false;
  let total = 0;
  // pipeline rejects with an AbortError when the consumer throws (Node 20): keep the reason.
  let stopped: unknown;
  const consume = async (chunks: AsyncIterable<Buffer>) => {
    for await (const chunk of chunks) {
      total += chunk.length;
      try {
        if (total > maxBytes) {
          throw new DataError('E_DATA_TOO_LARGE', file, `${gzipped ? 'decompresses to' : 'holds'} more than ${mib(maxBytes)}, the most tlx reads from this file`,
            'it is damaged or not the file it is named after: fetch it again');
        }
        take(chunk);
      } catch (error) {
        stopped = error;
        throw error;
      }
    }
  };
  try {
    gzipped = await isGzip(file);
    if (gzipped) await pipeline(createReadStream(file, { highWaterMark: CHUNK }), createGunzip({ chunkSize: CHUNK }), consume);
    else await pipeline(createReadStream(file, { highWaterMark: CHUNK }), consume);
  } catch (error) {
    if (stopped != null) throw stopped;
    if (isOsError(error)) throw new DataError('E_DATA_MISSING', file, `cannot read: ${osReason(error)}`);
    if (gzipped) {
      throw new DataError('E_DATA_CORRUPT', file, `not a valid gzip file (${(error as Error).message}); the download may be incomplete`,
        'delete it and fetch it again');
    }
    throw error;
  }
}
