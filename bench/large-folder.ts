// A large image folder through a frozen MobileNetV2 (a=1.0, 224x224, cut at its
// pooled features, every layer frozen) as a task runs it: the folder listed and
// every file checked readable, the split, then the frozen features computed from
// files decoded a chunk at a time, only the features kept. Generated JPEGs in 10
// class folders. The same pipeline runs in two fresh processes side by side, on a
// tenth of the folder and on all of it: bounded memory means the same peak RSS.
// `npm run bench:folder` (TLX_BENCH_IMAGES, default 20,000); target: peak RSS under
// 2 GB at 20,000 images, whose pixels alone would take 3 GB.
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generatedFolder } from './generated-folder.js';
import { prepareExamples, readExamples } from '../src/data/load-data.js';
import { chooseBackend, initBackend } from '../src/engine/init-backend.js';
import { mobilenetV2 } from '../src/models/architectures/mobilenet-v2.js';
import { buildTargetModel } from '../src/models/target-model.js';
import { pixelScale } from '../src/data/images/batches.js';
import { frozenFeatureView } from '../src/train/frozen-features.js';
import { targetExamples } from '../src/train/inputs.js';

const CLASSES = 10;
const SIZE = 224;

/** One measured process: the folder's images through the frozen trunk. */
async function measureOne(dir: string): Promise<Record<string, number | string>> {
  const backend = await initBackend(chooseBackend({ env: process.env.TLX_BACKEND }));
  const spec = {
    dataset: 'imagefolder', path: dir, imageSize: [SIZE, SIZE], channels: 3, resize: 'bilinear', background: 'white',
    skipUnreadable: false, validation: 0.1, test: 0.1,
  } as const;
  const context = { baseDir: process.cwd(), env: process.env };
  let start = performance.now();
  await readExamples(spec as never, context);
  const checkSeconds = (performance.now() - start) / 1000;
  const data = await prepareExamples(spec as never, 1, context);
  const source = mobilenetV2({ alpha: 1, size: SIZE, classes: CLASSES });
  const model = buildTargetModel(source, { cut: 'global_average_pooling2d', frozen: source.layers.map((l) => l.name), head: [], classes: CLASSES });
  start = performance.now();
  const view = await frozenFeatureView(model, targetExamples(data), { scale: pixelScale('-1..1', 3), budget: 2 ** 31 });
  const featureSeconds = (performance.now() - start) / 1000;
  if (!('boundary' in view.cache)) throw new Error(`features not cached: ${view.cache.off}`);
  const images = data.train.labels.length + data.validation.labels.length + data.test.labels.length;
  return {
    backend: backend.name, images, checkSeconds: round(checkSeconds), featureSeconds: round(featureSeconds),
    checkImagesPerSecond: round(images / checkSeconds), featureImagesPerSecond: round(images / featureSeconds),
    featuresMiB: view.cache.mib, pixelsWouldBeMiB: Math.round((images * SIZE * SIZE * 3) / 2 ** 20),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

const round = (v: number) => Number(v.toFixed(2));

const [, , mode, dirArg] = process.argv;
if (mode === '--one') {
  console.log(JSON.stringify(await measureOne(dirArg!)));
} else {
  const count = Number(process.env.TLX_BENCH_IMAGES ?? 20_000);
  const base = process.env.TLX_BENCH_DIR ?? tmpdir();
  const self = fileURLToPath(import.meta.url);
  const run = async (n: number) => {
    const dir = join(base, `tlx-bench-folder-${n}`);
    await generatedFolder(dir, n, CLASSES, SIZE);
    return JSON.parse(execFileSync('node', [self, '--one', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop()!) as Record<string, number>;
  };
  const small = await run(Math.round(count / 10));
  const large = await run(count);
  const ratio = round(large.peakRssMiB! / small.peakRssMiB!);
  console.log(JSON.stringify({ small, large, peakRssRatio: ratio, target: { peakRssMiB: 2000 } }));
  console.error(`frozen MobileNetV2 224 px over a generated folder: ${small.images} images peak RSS ${small.peakRssMiB} MiB, ` +
    `${large.images} images peak RSS ${large.peakRssMiB} MiB (${ratio}x for ${round(large.images! / small.images!)}x the images; ` +
    `their pixels would be ${large.pixelsWouldBeMiB} MiB) ${large.peakRssMiB! < 2000 ? 'OK' : 'OVER TARGET'}; ` +
    `checked ${large.checkImagesPerSecond} images/s, features ${large.featureImagesPerSecond} images/s`);
}
