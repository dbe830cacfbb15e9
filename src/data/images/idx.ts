import { DataError } from '../../errors.js';
import { readChunks } from '../read-chunks.js';

/** An IDX array of unsigned bytes (the MNIST family's format): its dimensions and data. */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

const UBYTE = 0x08;

/** The most data tlx reads from one IDX file (EMNIST's largest is 0.6 GiB); a header claiming more is refused. */
export const MAX_IDX_BYTES = 2 * 2 ** 30;

/**
 * Reads an IDX file, gzipped or not, checking its header against its size as it
 * streams: data beyond what the header declares (a gzip that expands without
 * bound) stops the read at once, and a header declaring more than `maxBytes` is
 * refused before any data is read.
 */
export async function readIdx(file: string, maxBytes = MAX_IDX_BYTES): Promise<IdxArray> {
  let head = new Uint8Array(0);
  let header: IdxHeader | undefined;
  let filled = 0;
  await readChunks(file, (bytes) => {
    let chunk = bytes;
    if (header == null) {
      head = Buffer.concat([head, chunk]);
      header = parseHeader(head, file, maxBytes);
      if (header == null) return;
      chunk = head.subarray(header.length);
    }
    if (filled + chunk.length > header.data.length) {
      throw new DataError('E_DATA_TRUNCATED', file,
        `IDX data is longer than its header says: header [${header.dims.join(', ')}] needs ${header.data.length} bytes, the file has more`);
    }
    header.data.set(chunk, filled);
    filled += chunk.length;
  }, maxBytes);
  header ??= parseHeader(head, file, maxBytes, true)!;
  if (filled < header.data.length) {
    throw new DataError('E_DATA_TRUNCATED', file,
      `IDX data is truncated: header [${header.dims.join(', ')}] needs ${header.data.length} bytes, the file has ${filled}`,
      'the file is incomplete: fetch it again');
  }
  return { dims: header.dims, data: header.data };
}

interface IdxHeader {
  readonly dims: number[];
  /** Bytes of the header. */
  readonly length: number;
  /** Where the data goes, as long as the header says. */
  readonly data: Uint8Array;
}

/** The header at the start of `bytes`, or undefined while it is incomplete (an error once `ended`). */
function parseHeader(bytes: Uint8Array, file: string, maxBytes: number, ended = false): IdxHeader | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 ? ended : view.getUint16(0) !== 0) {
    throw new DataError('E_DATA_FORMAT', file, 'not an IDX file (the first two bytes must be 0)');
  }
  if (bytes.length < 4) return undefined;
  const type = bytes[2]!;
  const rank = bytes[3]!;
  if (type !== UBYTE) throw new DataError('E_DATA_FORMAT', file, `IDX element type 0x${type.toString(16)} is not supported; expected unsigned bytes (0x08)`);
  const length = 4 + 4 * rank;
  if (rank < 1 || (ended && bytes.length < length)) throw new DataError('E_DATA_FORMAT', file, `IDX header for ${rank} dimensions is cut short`);
  if (bytes.length < length) return undefined;
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const size = dims.reduce((a, b) => a * b, 1);
  if (length + size > maxBytes) {
    throw new DataError('E_DATA_TOO_LARGE', file,
      `IDX header [${dims.join(', ')}] declares ${size} bytes of data, more than the ${maxBytes} tlx reads from one file`,
      'the header is damaged, or the file is not IDX');
  }
  return { dims, length, data: new Uint8Array(size) };
}
