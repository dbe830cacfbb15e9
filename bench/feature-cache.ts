// Frozen-layer feature caching, run with --no-cache and with caching, one after
// the other on this machine, through the CLI as a user runs it. Prints both wall
// times, the ratio, and checks every trial's final metrics agree (1e-6).
// Two workloads (TLX_BENCH_WORKLOAD; both by default):
// - fashion-mnist: a Yosinski-style freeze-depth sweep on Fashion-MNIST (source:
//   classes 0-4; target: classes 5-9, 100 labels per class; 5 depths x 3 seeds);
// - mobilenet-v2: the published MobileNetV2 (scripts/fetch-pretrained.mjs) at 224 px
//   on 200 generated photos of 5 classes, freeze all and all but the last block,
//   head only: the case the cache exists for. Batch 8: end to end, a batch of 16
//   through the trunk is past the wasm budget and is split into micro-batches, whose
//   dropout masks and batch statistics differ from one batch's, so the two runs
//   would not be comparable number for number.
// `npm run bench:cache`; target: 5x.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { packagePath } from '../src/package-root.js';
import type { TrialRecord } from '../src/results/trial-record.js';
import { generatedFolder } from './generated-folder.js';

const EPOCHS = Number(process.env.TLX_BENCH_EPOCHS ?? 10);

interface CacheWorkload {
  readonly name: string;
  readonly title: string;
  /** The experiment file, or why this workload cannot run here. */
  experiment(): Promise<string | { skip: string }>;
  /** The grid's points: the warm-up runs the first (source model and probes, shared from the cache, are not timed). */
  readonly points: number;
}

const WORKLOADS: readonly CacheWorkload[] = [
  {
    name: 'fashion-mnist',
    title: 'freeze-depth sweep, Keras MNIST CNN on Fashion-MNIST',
    points: 15,
    experiment: async () => `name: freeze-sweep-bench
seed: 11
repeats: 3
source:
  pretrain:
    architecture: keras-mnist-cnn
    data: { dataset: fashion-mnist, classes: [0, 1, 2, 3, 4], perClass: 2000 }
    train: { epochs: 2, batchSize: 128 }
  cut: flatten
target:
  data: { dataset: fashion-mnist, classes: [5, 6, 7, 8, 9], perClass: 100, validation: 20, test: 100 }
transfer:
  head:
    - dense: { units: 128 }
    - dropout: { rate: 0.5 }
train: { epochs: ${EPOCHS}, batchSize: 32, optimizer: adam, learningRate: 0.001 }
grid:
  transfer.freeze: [1, 2, 3, 4, all]
indicators: { scratch: false, transferOnly: { probe: centroid } }
export: none
`,
  },
  {
    name: 'mobilenet-v2',
    title: 'MobileNetV2 a=1.0 224x224 (published weights), head only',
    points: 2,
    experiment: async () => {
      const model = packagePath('test-material', 'pretrained', 'mobilenet_v2', 'model.json');
      if (!existsSync(model)) return { skip: `${model} not found; node scripts/fetch-pretrained.mjs makes it` };
      const photos = await generatedFolder(join(tmpdir(), 'tlx-bench-photos-200'), 200, 5, 224);
      return `name: mobilenet-cache-bench
seed: 11
source:
  model: ${JSON.stringify(model)}
  cut: out_relu
  input: { scale: '-1..1' }
target:
  data: { dataset: imagefolder, path: ${JSON.stringify(photos)}, validation: 0.2, test: 0.3 }
transfer:
  head:
    - globalAveragePooling2d: {}
    - dropout: { rate: 0.2 }
train: { epochs: ${EPOCHS}, batchSize: 8, optimizer: adam, learningRate: 0.001 }
grid:
  transfer.freeze: [all, { upTo: block_15_add }]
indicators: { scratch: false, transferOnly: { probe: centroid } }
run: { concurrency: 1 }
export: none
`;
    },
  },
];

async function measureWorkload(workload: CacheWorkload): Promise<void> {
  const text = await workload.experiment();
  if (typeof text !== 'string') {
    console.error(`${workload.name}: skipped: ${text.skip}`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'tlx-bench-cache-'));
  writeFileSync(join(dir, 'sweep.yaml'), text);
  const bin = packagePath('dist', 'src', 'cli', 'bin.js');
  const tlx = (...args: string[]) => execFileSync('node', [bin, 'run', 'sweep.yaml', '--cache', 'cache', ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
  const records = (results: string): TrialRecord[] => {
    const base = join(dir, results, readdirSync(join(dir, results))[0]!);
    return readFileSync(join(base, readdirSync(base)[0]!, 'trials.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TrialRecord);
  };

  // Not timed: the source model and the probes, which both runs share from the cache.
  tlx('--results', 'warmup', '--shard', `0/${workload.points}`);
  const timed = (results: string, ...flags: string[]) => {
    const start = performance.now();
    tlx('--results', results, ...flags);
    return (performance.now() - start) / 1000;
  };
  const plainSeconds = timed('plain', '--no-cache');
  const cachedSeconds = timed('cached');

  const plain = new Map(records('plain').map((r) => [r.trial, r]));
  const cached = records('cached');
  let worst = 0;
  for (const r of cached) {
    const other = plain.get(r.trial)!;
    for (const [metric, value] of Object.entries(r.test ?? {}) as [keyof NonNullable<TrialRecord['test']>, number][]) worst = Math.max(worst, Math.abs(value - (other.test?.[metric] ?? NaN)));
  }
  const boundaries = [...new Set(cached.map((r) => `${JSON.stringify(r.point['transfer.freeze'])}: ${r.featureCache?.map((c) => ('boundary' in c ? `features at ${c.boundary} (${c.mib} MiB)` : `not cached, ${c.off}`)).join('; ')}`))];
  const ratio = plainSeconds / cachedSeconds;
  console.log(JSON.stringify({ workload: workload.name, trials: cached.length, epochs: EPOCHS, plainSeconds: Number(plainSeconds.toFixed(1)), cachedSeconds: Number(cachedSeconds.toFixed(1)), ratio: Number(ratio.toFixed(2)), maxMetricDifference: worst }));
  console.error(`${workload.title}, ${cached.length} trials x ${EPOCHS} epochs: --no-cache ${plainSeconds.toFixed(1)} s, cached ${cachedSeconds.toFixed(1)} s: ` +
    `${ratio.toFixed(2)}x (target 5x) ${ratio >= 5 ? 'OK' : 'UNDER TARGET'}; final metrics differ by at most ${worst.toExponential(2)} ${worst <= 1e-6 ? 'OK' : 'MISMATCH'}`);
  for (const line of boundaries) console.error(`  freeze ${line}`);
}

const only = process.env.TLX_BENCH_WORKLOAD;
for (const workload of WORKLOADS) if (only == null || only === workload.name) await measureWorkload(workload);
