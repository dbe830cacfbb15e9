import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { augmentImage, imageBatch, pixelScale } from '../../../src/data/images/batches.js';
import { loadData } from '../../../src/data/load-data.js';
import { seededRandom } from '../../../src/random.js';

describe('pixel scaling, checked by hand', () => {
  const set = { pixels: Uint8Array.from([0, 51, 255, 255, 0, 102]), labels: Int32Array.from([0]), shape: [1, 2, 3] as [number, number, number], classes: 1 };
  it.each([
    ['0..1', [0, 0.2, 1, 1, 0, 0.4]],
    ['-1..1', [-1, -0.6, 1, 1, -1, -0.2]],
    [{ mean: [0.5, 0.2, 0], std: [0.5, 0.1, 2] }, [-1, 0, 0.5, 1, -2, 0.2]],
  ] as const)('%j', (scale, expected) => {
    const values = imageBatch(set, [0], pixelScale(scale as never, 3)).dataSync();
    expected.forEach((v, i) => expect(values[i]).toBeCloseTo(v, 6));
  });
});

describe('augmentation', () => {
  const image = () => Float32Array.from({ length: 4 * 5 }, (_, i) => i + 1); // 4x5, 1 channel
  const mirror = (a: Float32Array) => Float32Array.from(a, (_, i) => a[Math.floor(i / 5) * 5 + (4 - (i % 5))]!);

  it('flip gives the image or its exact mirror, both over many draws', () => {
    const original = Math.random;
    Math.random = seededRandom(11);
    try {
      const seen = new Set<string>();
      for (let n = 0; n < 50; n++) {
        const x = image();
        augmentImage(x, [4, 5, 1], { flip: true });
        const asList = [...x].join();
        expect([[...image()].join(), [...mirror(image())].join()]).toContain(asList);
        seen.add(asList);
      }
      expect(seen.size).toBe(2);
    } finally {
      Math.random = original;
    }
  });

  it('a shift moves pixels and fills the gap with 0, keeping the rest', () => {
    const original = Math.random;
    Math.random = () => 0.99; // shift by +round(0.98 * 0.5 * size)
    try {
      const x = image();
      augmentImage(x, [4, 5, 1], { shift: 0.5 });
      // dy = round(0.98*0.5*4) = 2, dx = round(0.98*0.5*5) = 2: row 2 starts with two zeros then pixels 1, 2, 3
      expect([...x.subarray(10, 15)]).toEqual([0, 0, 1, 2, 3]);
      expect([...x.subarray(0, 10)].every((v) => v === 0)).toBe(true);
    } finally {
      Math.random = original;
    }
  });
});

it('validation and test given as counts per class', async () => {
  const d = await loadData({ dataset: 'mnist', classes: [0, 1], validation: 5, test: 7, resize: 'bilinear', skipUnreadable: false }, 1, { baseDir: '.', env: {} });
  expect(d.validation.labels.length).toBe(10);
  expect(d.test.labels.length).toBe(14);
});
