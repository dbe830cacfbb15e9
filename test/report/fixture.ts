import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadExperiment } from '../../src/config/load.js';
import { chanceTest, confusionCounts } from '../../src/indicators/chance.js';
import { timeToTarget } from '../../src/indicators/time-to-target.js';
import { planTrials } from '../../src/plan/trials.js';
import { seededRandom } from '../../src/random.js';
import type { Manifest } from '../../src/results/manifest.js';
import type { TrialRecord } from '../../src/results/trial-record.js';
import type { CurvePoint } from '../../src/train/fit.js';

export const EXPERIMENT = 'experiments/mnist-digits.yaml';
const FROZEN: Record<string, string[]> = { all: ['conv1', 'conv2', 'pool', 'dropout1', 'flatten'], 1: ['conv1'], none: [] };

export interface Fixture {
  readonly dir: string;
  readonly records: readonly TrialRecord[];
  readonly manifest: Manifest;
}

// A learning curve rising towards `top`, `rate` per epoch; seconds grow by `pace`.
function curve(top: number, rate: number, pace: number, epochs: number, random: () => number): CurvePoint[] {
  return Array.from({ length: epochs }, (_, i) => {
    const acc = top * (1 - Math.exp(-rate * (i + 1))) + 0.02 * random();
    return { epoch: i + 1, phase: 1, loss: 1 - acc, valLoss: 1 - acc, val: { accuracy: acc, macroF1: acc - 0.01 },
      steps: (i + 1) * 24, examples: (i + 1) * 1500, seconds: (i + 1) * pace };
  });
}

function confusion(accuracy: number): number[][] {
  return Array.from({ length: 5 }, (_, t) => Array.from({ length: 5 }, (_, p) => (t === p ? Math.round(60 * accuracy) : Math.round((60 * (1 - accuracy)) / 4))));
}

/**
 * The run folder tlx run would leave for experiments/mnist-digits.yaml, with made-up
 * numbers: its 18 trials (freeze all/1/none x two learning rates x 3 repeats), one of
 * them failed (a dead worker) and one diverged (NaN loss at epoch 3).
 */
export function writeFixtureRun(root: string, cwd: string, options: { failed?: number; diverged?: number } = {}): Fixture {
  const loaded = loadExperiment(join(cwd, EXPERIMENT), cwd);
  const trials = planTrials(loaded.raw);
  const { failed = 4, diverged = 9 } = options;
  const records: TrialRecord[] = trials.map((t, i) => {
    const base = { trial: t.id, pointId: t.pointId, point: t.point, repeat: t.repeat, seed: t.seed, finishedAt: '2026-01-01T00:00:00.000Z' };
    if (i === failed) return { ...base, status: 'failed', error: { message: 'worker exited with code 134 (out of memory?)', code: 'E_WORKER' } };
    const random = seededRandom(t.seed * 31 + i);
    const freeze = String(t.point['transfer.freeze']);
    const slow = t.point['train.learningRate'] === 0.0003;
    const scratch = curve(0.93, slow ? 0.5 : 0.9, 2, 5, seededRandom(t.seed));
    let transfer = curve(freeze === 'none' ? 0.95 : 0.94, (freeze === 'all' ? 2 : 1.4) * (slow ? 0.6 : 1), 1.5, i % 5 === 0 ? 4 : 5, random);
    if (i === diverged) {
      transfer = transfer.slice(0, 3).map((p, e) => (e === 2 ? { ...p, loss: null as unknown as number, val: { accuracy: null as unknown as number } } : p));
    }
    const final = i === diverged ? 0.1 : transfer.at(-1)!.val.accuracy! - 0.01;
    const scratchFinal = scratch.at(-1)!.val.accuracy! - 0.01;
    return {
      ...base,
      status: i === diverged ? 'diverged' : 'ok',
      frozen: FROZEN[freeze]!,
      curve: transfer,
      test: { accuracy: final, macroF1: final - 0.01 },
      confusion: confusion(final),
      seconds: transfer.at(-1)!.seconds,
      scratch: { task: `scratch-${t.seed}-${String(t.point['train.learningRate'])}`, test: { accuracy: scratchFinal, macroF1: scratchFinal - 0.01 }, curve: scratch },
      indicators: {
        transferOnly: { probe: 'linear', test: { accuracy: 0.9 + 0.01 * (t.seed - 1337), macroF1: 0.89 } },
        timeToTarget: timeToTarget({ relativeToScratch: 0.95 }, 'accuracy', transfer, scratch),
        finalVsScratch: { metric: 'accuracy', transfer: final, scratch: scratchFinal, difference: final - scratchFinal },
      },
    };
  });
  const manifest: Manifest = {
    name: loaded.experiment.name, runId: loaded.hash.slice(0, 8), experimentFile: EXPERIMENT, experimentCommit: 'f77aad9a1b2c3d4e', configHash: loaded.hash,
    config: loaded.experiment, seeds: [1337, 1338, 1339],
    environment: {
      tlx: '0.1.0', backend: { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', gpu: false, kernelsAdded: [], version: '4.22.0', tfjsCore: '4.22.0' },
      node: 'v20.0.0', os: 'linux 6.1 x64', cpu: { model: 'Test CPU', cores: 2 }, memoryGiB: 24, gpus: [],
    },
    concurrency: 2, trials: trials.length, notes: [],
    // The source pretrained on digits 0-4: 5 epochs, 0.95 of its 300 test digits.
    sources: [{ key: 'pretrain-0f1e2d3c', test: { accuracy: 0.95, macroF1: 0.949 }, seconds: 40, curve: curve(0.97, 1.2, 8, 5, seededRandom(5)),
      confusion: confusion(0.95), chance: chanceTest([confusionCounts(confusion(0.95))]) }],
    startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:04:00.000Z', status: 'finished',
  };
  const dir = join(root, loaded.experiment.name, manifest.runId);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  // JSON writes NaN as null, as the runner's records do.
  writeFileSync(join(dir, 'trials.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return { dir, records: JSON.parse(`[${records.map((r) => JSON.stringify(r)).join(',')}]`) as TrialRecord[], manifest };
}
