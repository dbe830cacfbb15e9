import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DataError } from '../errors.js';

/** An IDX array of unsigned bytes (the MNIST family's format): its dimensions and data. */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

const UBYTE = 0x08;

/** Reads an IDX file, gzipped or not, checking its header against its size. */
export function readIdx(file: string): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new DataError('E_DATA_MISSING', file, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new DataError('E_DATA_CORRUPT', file, `not a valid gzip file (${(e as Error).message}); the download may be incomplete`,
        'delete it and fetch it again');
    }
  }
  return parseIdx(bytes, file);
}

export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 || view.getUint16(0) !== 0) {
    throw new DataError('E_DATA_FORMAT', file, 'not an IDX file (the first two bytes must be 0)');
  }
  const type = bytes[2]!;
  const rank = bytes[3]!;
  if (type !== UBYTE) throw new DataError('E_DATA_FORMAT', file, `IDX element type 0x${type.toString(16)} is not supported; expected unsigned bytes (0x08)`);
  const header = 4 + 4 * rank;
  if (rank < 1 || bytes.length < header) throw new DataError('E_DATA_FORMAT', file, `IDX header for ${rank} dimensions is cut short`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - header;
  if (actual !== expected) {
    throw new DataError('E_DATA_TRUNCATED', file,
      `IDX data is ${actual < expected ? 'truncated' : 'longer than its header says'}: header [${dims.join(', ')}] needs ${expected} bytes, the file has ${actual}`,
      actual < expected ? 'the file is incomplete: fetch it again' : undefined);
  }
  return { dims, data: bytes.subarray(header) };
}
