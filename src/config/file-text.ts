import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import type { ConfigIssue } from '../errors.js';
import { formatCount } from '../quote.js';

/** The largest experiment file tlx reads: an experiment is a page of YAML, not data. */
export const MAX_FILE_BYTES = 2 ** 20;

// Sizes near the limit in bytes, so that one just past it does not read as equal to it.
const MiB = (bytes: number) => `${Number((bytes / 2 ** 20).toFixed(1))} MiB`;
const size = (bytes: number) => (bytes < 10 * 2 ** 20 ? `${formatCount(bytes)} bytes` : MiB(bytes));

/**
 * The bytes of a file, at most MAX_FILE_BYTES of them, or the size of one that is
 * larger (nothing past the limit is read, so a huge file or a device costs nothing).
 */
export function readBounded(file: string): { bytes: Buffer } | { tooLarge: number | undefined } {
  const fd = openSync(file, 'r');
  try {
    const stats = fstatSync(fd);
    if (stats.isFile() && stats.size > MAX_FILE_BYTES) return { tooLarge: stats.size };
    const bytes = Buffer.alloc(MAX_FILE_BYTES + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < bytes.length;) {
      n = readSync(fd, bytes, length, bytes.length - length, null);
      length += n;
    }
    return length > MAX_FILE_BYTES ? { tooLarge: undefined } : { bytes: bytes.subarray(0, length) };
  } finally {
    closeSync(fd);
  }
}

/** Why a file's size is refused, as an issue at its start. */
export function sizeIssue(file: string, bytes: number | undefined): ConfigIssue {
  const is = bytes == null ? `larger than ${MiB(MAX_FILE_BYTES)}` : size(bytes);
  return issue('E_FILE_SIZE', file, '', `the file is ${is}; experiment files are limited to ${MiB(MAX_FILE_BYTES)}`,
    'an experiment file names its data and models; it does not hold them');
}

/**
 * The text of an experiment file: UTF-8, with a byte-order mark dropped (so columns
 * count from the first character); UTF-16, NUL bytes and invalid UTF-8 are refused
 * at the first byte that shows them.
 */
export function decodeText(bytes: Uint8Array, file: string): { text: string } | { issue: ConfigIssue } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || looksUtf16(bytes)) {
    return { issue: issue('E_ENCODING', file, '', 'the file is UTF-16; save it as UTF-8') };
  }
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const bad = isUtf8(body) ? -1 : firstInvalidUtf8(body);
  const nul = body.indexOf(0);
  const text = (end: number) => Buffer.from(body.buffer, body.byteOffset, end).toString('utf8');
  if (bad >= 0 && (nul < 0 || bad < nul)) {
    return { issue: issue('E_ENCODING', file, text(bad), `invalid UTF-8 (byte 0x${body[bad]!.toString(16)}); save the file as UTF-8`) };
  }
  if (nul >= 0) {
    return { issue: issue('E_ENCODING', file, text(nul), 'a NUL byte: experiment files are UTF-8 text') };
  }
  return { text: text(body.length) };
}

// UTF-16 without a byte-order mark: the ASCII of YAML puts a NUL in every other byte.
function looksUtf16(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 256);
  let even = 0;
  let odd = 0;
  head.forEach((b, i) => { if (b === 0) { if (i % 2 === 0) even++; else odd++; } });
  return head.length >= 2 && Math.max(even, odd) >= head.length / 4;
}

/** Index of the first byte that does not belong to a well-formed UTF-8 sequence, or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const c = b[i]!;
    const more = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (more < 0) return i;
    // The second byte's range excludes overlong forms, surrogates and code points past U+10FFFF.
    const low = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const high = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= more; k++) {
      const d = b[i + k];
      if (d === undefined || d < (k === 1 ? low : 0x80) || d > (k === 1 ? high : 0xbf)) return i;
    }
    i += more + 1;
  }
  return -1;
}

// `before` is the text up to the problem: its lines and last line's length place it.
function issue(code: string, file: string, before: string, message: string, hint?: string): ConfigIssue {
  const line = before.split('\n').length;
  const col = before.length - before.lastIndexOf('\n');
  return { code, position: { file, line, col }, path: '', message, ...(hint ? { hint } : {}) };
}
