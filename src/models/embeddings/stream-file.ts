import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { isGzip } from '../../data/read-chunks.js';
import { DataError } from '../../errors.js';
import { isOsError, osReason } from '../../os-error.js';
import type { ReadProgress } from './types.js';

// Larger chunks than the streams' defaults: fewer round trips through zlib and the reader.
const CHUNK = 2 ** 20;

/**
 * Streams a file to `take` a chunk at a time (decompressed when it is gzipped,
 * whatever its name), hashing the bytes as stored on the way: one pass reads and
 * hashes. Resolves with that sha256. What `take` throws stops the read and is
 * rethrown as it is.
 */
export async function streamFile(file: string, take: (chunk: Buffer) => void, onProgress?: (p: ReadProgress) => void): Promise<string> {
  const hash = createHash('sha256');
  let stopped: unknown;
  let gzipped = false;
  try {
    const total = (await stat(file)).size;
    gzipped = await isGzip(file);
    let bytes = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        bytes += chunk.length;
        onProgress?.({ bytes, total });
        callback(null, chunk);
      },
    });
    const consume = async (chunks: AsyncIterable<Buffer>) => {
      for await (const chunk of chunks) {
        try {
          take(chunk);
        } catch (error) {
          stopped = error;
          throw error;
        }
      }
    };
    const source = createReadStream(file, { highWaterMark: CHUNK });
    if (gzipped) await pipeline(source, tap, createGunzip({ chunkSize: CHUNK }), consume);
    else await pipeline(source, tap, consume);
  } catch (error) {
    if (stopped != null) throw stopped;
    if (isOsError(error)) throw new DataError('E_EMBEDDINGS_MISSING', file, `cannot read: ${osReason(error)}`, 'give the path of a word-vector file');
    if (gzipped) {
      throw new DataError('E_EMBEDDINGS_GZIP', file, `not a valid gzip file (${(error as Error).message}); the download may be incomplete`, 'delete it and fetch it again');
    }
    throw error;
  }
  return hash.digest('hex');
}
