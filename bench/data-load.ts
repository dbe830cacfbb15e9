// Loading and preparing full Fashion-MNIST (70,000 images): wall time and peak
// memory of a fresh process. `npm run bench:data`; targets: < 5 s, < 500 MB.
import { performance } from 'node:perf_hooks';
import { loadData } from '../src/data/load-data.js';

const start = performance.now();
const data = await loadData({ dataset: 'fashion-mnist', validation: 0.1, test: 0.2, resize: 'bilinear', skipUnreadable: false, background: 'white' }, 1337, { baseDir: process.cwd(), env: process.env });
const seconds = (performance.now() - start) / 1000;
const peakMiB = process.resourceUsage().maxRSS / 1024;
const result = {
  dataset: 'fashion-mnist',
  images: data.train.labels.length + data.validation.labels.length + data.test.labels.length,
  split: { train: data.train.labels.length, validation: data.validation.labels.length, test: data.test.labels.length },
  seconds: Number(seconds.toFixed(2)),
  peakRssMiB: Math.round(peakMiB),
  targets: { seconds: 5, peakRssMiB: 500 },
};
console.log(JSON.stringify(result));
console.error(`fashion-mnist: ${result.images} images loaded and split in ${result.seconds} s, peak RSS ${result.peakRssMiB} MiB ` +
  `(targets: < 5 s, < 500 MiB) ${result.seconds < 5 && result.peakRssMiB < 500 ? 'OK' : 'OVER TARGET'}`);
