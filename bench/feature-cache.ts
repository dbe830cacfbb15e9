// Frozen-layer feature caching: a Yosinski-style freeze-depth sweep on
// Fashion-MNIST (source: classes 0-4; target: classes 5-9, 100 labels per class;
// 5 depths x 3 seeds) run with --no-cache and with caching, one after the other on
// this machine, through the CLI as a user runs it. Prints both wall times, the
// ratio, and checks every trial's final metrics agree (1e-6).
// `npm run bench:cache`; target: 5x.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { packagePath } from '../src/package-root.js';
import type { TrialRecord } from '../src/results/trial-record.js';

const EPOCHS = Number(process.env.TLX_BENCH_EPOCHS ?? 10);
const EXPERIMENT = `name: freeze-sweep-bench
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
`;

const dir = mkdtempSync(join(tmpdir(), 'tlx-bench-cache-'));
writeFileSync(join(dir, 'sweep.yaml'), EXPERIMENT);
const bin = packagePath('dist', 'src', 'cli', 'bin.js');
const tlx = (...args: string[]) => execFileSync('node', [bin, 'run', 'sweep.yaml', '--cache', 'cache', ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
const records = (results: string): TrialRecord[] => {
  const base = join(dir, results, 'freeze-sweep-bench');
  return readFileSync(join(base, readdirSync(base)[0]!, 'trials.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TrialRecord);
};

// Not timed: the source model and the probes, which both runs share from the cache.
tlx('--results', 'warmup', '--shard', '0/15');
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
console.log(JSON.stringify({ trials: cached.length, epochs: EPOCHS, plainSeconds: Number(plainSeconds.toFixed(1)), cachedSeconds: Number(cachedSeconds.toFixed(1)), ratio: Number(ratio.toFixed(2)), maxMetricDifference: worst }));
console.error(`freeze-depth sweep, ${cached.length} trials x ${EPOCHS} epochs: --no-cache ${plainSeconds.toFixed(1)} s, cached ${cachedSeconds.toFixed(1)} s: ` +
  `${ratio.toFixed(2)}x (target 5x) ${ratio >= 5 ? 'OK' : 'UNDER TARGET'}; final metrics differ by at most ${worst.toExponential(2)} ${worst <= 1e-6 ? 'OK' : 'MISMATCH'}`);
for (const line of boundaries) console.error(`  freeze ${line}`);
