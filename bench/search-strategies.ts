// Search strategies side by side on one real sweep, through the CLI as a user runs
// them, one after the other on this machine: the full grid (72 points over
// learning rate, freeze depth, head width and dropout; 2 repeats) against random,
// ASHA and TPE given a third of its compute (epochs summed over every trial).
// Prints the compute each used and the configuration each found (ranked, as the
// search ranks, by mean validation accuracy; its test accuracy with a 95% interval),
// and whether it lies within the grid's best configuration's interval.
// `npm run bench:search` (Debian's dataset-fashion-mnist); about 20 minutes on 2 cores.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { estimate } from '../src/indicators/statistics.js';
import { packagePath } from '../src/package-root.js';
import { validationScore } from '../src/results/objective.js';
import type { TrialRecord } from '../src/results/trial-record.js';
import { latestRecords } from '../src/results/trials-log.js';

const EPOCHS = 9;
const REPEATS = 2;
const VALUES = {
  'train.learningRate': [0.01, 0.003, 0.001, 0.0003, 0.0001, 0.00003],
  // conv1 and conv2 are the net's weighted layers before the cut: 'all' freezes both, 1 only conv1.
  'transfer.freeze': ['all', 1, 'none'],
  // Head width x dropout, as whole heads (a grid key is a path to a field, not into a list).
  'transfer.head': [32, 128].flatMap((units) => [0, 0.5].map((rate) => [{ dense: { units, activation: 'relu' } }, { dropout: { rate } }])),
};
const POINTS = Object.values(VALUES).reduce((n, v) => n * v.length, 1);
const GRID_EPOCHS = POINTS * REPEATS * EPOCHS;
const THIRD = Math.floor(GRID_EPOCHS / 3);

const base = (name: string) => `name: ${name}
seed: 5
repeats: ${REPEATS}
source:
  pretrain:
    architecture: keras-mnist-cnn
    data: { dataset: fashion-mnist, classes: [0, 1, 2, 3, 4], perClass: 1000 }
    train: { epochs: 3, batchSize: 128, optimizer: adam, learningRate: 0.001 }
  cut: flatten
target:
  data: { dataset: fashion-mnist, classes: [5, 6, 7, 8, 9], perClass: 20, validation: 20, test: 200 }
transfer:
  head:
    - dense: { units: 128, activation: relu }
    - dropout: { rate: 0.5 }
train: { epochs: ${EPOCHS}, batchSize: 32, optimizer: adam, learningRate: 0.001 }
indicators: { transferOnly: { probe: centroid }, scratch: false }
export: none
`;
const space = Object.entries(VALUES).map(([k, v]) => `    ${k}: { choice: ${JSON.stringify(v)} }`).join('\n');
const grid = Object.entries(VALUES).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`).join('\n');
const RUNS = [
  { name: 'grid', yaml: `${base('search-grid')}grid:\n${grid}\n` },
  { name: 'random', yaml: `${base('search-random')}search:\n  strategy: random\n  budget: { epochs: ${THIRD} }\n  space:\n${space}\n` },
  { name: 'asha', yaml: `${base('search-asha')}search:\n  strategy: asha\n  budget: { epochs: ${THIRD} }\n  asha: { minEpochs: 1, reduction: 3 }\n  space:\n${space}\n` },
  { name: 'tpe', yaml: `${base('search-tpe')}search:\n  strategy: tpe\n  budget: { epochs: ${THIRD} }\n  tpe: { startup: 6 }\n  space:\n${space}\n` },
];

const bin = packagePath('dist/src/cli/bin.js');
if (!existsSync('/usr/share/datasets/fashion-mnist')) {
  console.log('skipped: Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)');
  process.exit(0);
}
// TLX_BENCH_DIR: a folder of an earlier run to continue (finished runs are read back, not run again).
const dir = process.env.TLX_BENCH_DIR ?? mkdtempSync(join(tmpdir(), 'tlx-bench-search-'));
console.log(`${POINTS} grid points x ${REPEATS} repeats x ${EPOCHS} epochs = ${GRID_EPOCHS} epochs; the others get ${THIRD}; folder ${dir}`);

interface Found { name: string; epochs: number; seconds: number; configurations: number; best: { point: unknown; validation: number; test: ReturnType<typeof estimate> } }
const found: Found[] = [];
for (const run of RUNS) {
  const file = join(dir, `${run.name}.yaml`);
  writeFileSync(file, run.yaml);
  const start = performance.now();
  execFileSync('node', [bin, 'run', file, '--no-report', '--concurrency', '2'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, TLX_BACKEND: 'wasm' } });
  const wall = (performance.now() - start) / 1000;
  const folder = join(dir, 'results', `search-${run.name}`);
  const runDir = join(folder, readdirSync(folder)[0]!);
  const log = readFileSync(join(runDir, 'trials.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as TrialRecord);
  const epochs = log.reduce((n, r) => n + (r.search?.addedEpochs ?? r.curve?.length ?? 0), 0);
  // Training time summed over trials (as a search's budget counts epochs), so a continued folder reports the same.
  const seconds = log.reduce((n, r) => n + (r.search?.addedSeconds ?? r.seconds ?? 0), 0);
  const full = latestRecords(log).filter((r) => r.status === 'ok' && (r.search?.epochs ?? EPOCHS) === EPOCHS);
  const byPoint = new Map<string, TrialRecord[]>();
  for (const r of full) byPoint.set(r.pointId, [...(byPoint.get(r.pointId) ?? []), r]);
  const ranked = [...byPoint.values()].filter((rs) => rs.length === REPEATS).map((rs) => ({
    point: rs[0]!.point,
    validation: rs.reduce((s, r) => s + (validationScore(r, 'accuracy') ?? 0), 0) / rs.length,
    test: estimate(rs.map((r) => r.test!.accuracy!)),
  })).sort((a, b) => b.validation - a.validation);
  found.push({ name: run.name, epochs, seconds, configurations: new Set(log.map((r) => r.pointId)).size, best: ranked[0]! });
  console.log(`${run.name}: ${wall.toFixed(0)} s wall in this process`);
}
const gridBest = found[0]!.best.test;
console.log('\n| strategy | configurations | epochs | compute vs grid | trial seconds | best configuration (by validation) | test accuracy (95% CI) | within the grid\'s best interval |');
console.log('|---|---|---|---|---|---|---|---|');
for (const f of found) {
  const t = f.best.test;
  const within = t.mean >= (gridBest.low ?? gridBest.mean);
  console.log(`| ${f.name} | ${f.configurations} | ${f.epochs} | ${(f.epochs / found[0]!.epochs).toFixed(2)} | ${f.seconds.toFixed(0)} | ${JSON.stringify(f.best.point)} | ${t.mean.toFixed(3)} [${t.low?.toFixed(3)}, ${t.high?.toFixed(3)}] | ${f.name === 'grid' ? '-' : within ? 'yes' : 'no'} |`);
}
