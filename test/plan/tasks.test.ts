import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Experiment } from '../../src/config/experiment.generated.js';
import { GRAPH_SCRATCH_UNAVAILABLE, type KeyContext, planTasks, pretrainKey, probeKey, scratchKey } from '../../src/plan/tasks.js';
import { planTrials } from '../../src/plan/trials.js';

// Each task key must change with everything the task reads, and only with that.
const PRETRAINED: Experiment = {
  name: 'keys',
  source: { pretrain: { architecture: 'lenet5', data: { dataset: 'mnist', classes: [0, 1, 2, 3, 4] } }, cut: 'flatten' },
  target: { data: { dataset: 'mnist', classes: [5, 6, 7, 8, 9] } },
};
const FROM_MODEL: Experiment = { ...PRETRAINED, source: { model: 'models/net/model.json', cut: 'flatten' } };
const HERE: KeyContext = { baseDir: '/exp', modelHash: (m) => (m === 'models/net/model.json' ? 'aaaa' : undefined) };

const keysOf = (raw: Experiment, context: KeyContext = HERE) => {
  const [trial] = planTrials(raw);
  const e = trial!.experiment;
  return {
    pretrain: e.source.pretrain ? pretrainKey(e, context) : undefined,
    probe: probeKey(e, trial!.seed, context),
    scratch: scratchKey(e, trial!.seed, context),
  };
};

describe('task keys', () => {
  it.each([
    { name: 'source.input.scale (pretrained source)', base: PRETRAINED, changed: { ...PRETRAINED, source: { ...PRETRAINED.source, input: { scale: '-1..1' } } }, differ: ['pretrain', 'probe', 'scratch'] },
    { name: 'source.input.scale (model source)', base: FROM_MODEL, changed: { ...FROM_MODEL, source: { ...FROM_MODEL.source, input: { scale: '-1..1' } } }, differ: ['probe', 'scratch'] },
    { name: 'the model files\' content', base: FROM_MODEL, changed: FROM_MODEL, context: { ...HERE, modelHash: () => 'bbbb' }, differ: ['probe', 'scratch'] },
    { name: 'metrics (the probe scores them too)', base: PRETRAINED, changed: { ...PRETRAINED, metrics: ['macroF1'] }, differ: ['probe', 'scratch'] },
    { name: 'a relative data path read from another folder', base: { ...PRETRAINED, target: { data: { dataset: 'imagefolder', path: 'photos', imageSize: [28, 28] } } },
      changed: { ...PRETRAINED, target: { data: { dataset: 'imagefolder', path: 'photos', imageSize: [28, 28] } } }, context: { ...HERE, baseDir: '/other' }, differ: ['probe', 'scratch'] },
    { name: 'the pretrain data path from another folder', base: { ...PRETRAINED, source: { ...PRETRAINED.source, pretrain: { architecture: 'lenet5', data: { dataset: 'imagefolder', path: 'src', imageSize: [28, 28] } } } },
      changed: { ...PRETRAINED, source: { ...PRETRAINED.source, pretrain: { architecture: 'lenet5', data: { dataset: 'imagefolder', path: 'src', imageSize: [28, 28] } } } },
      context: { ...HERE, baseDir: '/other' }, differ: ['pretrain', 'probe', 'scratch'] },
    { name: 'the freeze rule (fine-tune only)', base: PRETRAINED, changed: { ...PRETRAINED, transfer: { freeze: 'none' } }, differ: [] },
    { name: 'the learning rate (scratch trains with it, the probe does not)', base: PRETRAINED, changed: { ...PRETRAINED, train: { learningRate: 0.5 } }, differ: ['scratch'] },
    { name: 'an optimizer parameter (scratch trains with it)', base: { ...PRETRAINED, train: { optimizer: { name: 'sgd' } } },
      changed: { ...PRETRAINED, train: { optimizer: { name: 'sgd', momentum: 0.9 } } }, differ: ['scratch'] },
    { name: 'the pretrain optimizer\'s parameters', base: PRETRAINED,
      changed: { ...PRETRAINED, source: { ...PRETRAINED.source, pretrain: { ...PRETRAINED.source.pretrain!, train: { optimizer: { name: 'adam', beta2: 0.98 } } } } },
      differ: ['pretrain', 'probe', 'scratch'] },
    { name: 'an optimizer by name and with its defaults written out', base: { ...PRETRAINED, train: { optimizer: 'rmsprop' } },
      changed: { ...PRETRAINED, train: { optimizer: { name: 'rmsprop', rho: 0.99, momentum: 0 } } }, differ: [] },
    // The training loop's settings (train/fit.ts): each is in the resolved train block the scratch key hashes.
    ...([
      ['train.schedule', { schedule: { name: 'cosine', warmup: { steps: 10 } } }],
      ['a schedule parameter', { schedule: { name: 'oneCycle', pctStart: 0.2 } }],
      ['train.validateEvery', { validateEvery: { steps: 50 } }],
      ['train.clipNorm', { clipNorm: 1 }],
      ['train.labelSmoothing', { labelSmoothing: 0.1 }],
      ['train.classWeights', { classWeights: 'balanced' }],
      ['train.earlyStopping.restoreBest', { earlyStopping: { restoreBest: false } }],
    ] as const).map(([name, train]) => ({ name: `${name} (scratch trains with it)`, base: { ...PRETRAINED, train: { earlyStopping: {} } }, changed: { ...PRETRAINED, train: { earlyStopping: {}, ...train } }, differ: ['scratch'] })),
    { name: 'the pretrain schedule', base: PRETRAINED,
      changed: { ...PRETRAINED, source: { ...PRETRAINED.source, pretrain: { ...PRETRAINED.source.pretrain!, train: { schedule: { name: 'step', every: { epochs: 1 } } } } } },
      differ: ['pretrain', 'probe', 'scratch'] },
    { name: 'the defaults of the loop written out', base: { ...PRETRAINED, train: { schedule: { name: 'oneCycle' } } },
      changed: { ...PRETRAINED, train: { schedule: { name: 'oneCycle', pctStart: 0.3, divFactor: 25, finalDivFactor: 10000 }, validateEvery: { epochs: 1 }, labelSmoothing: 0 } }, differ: [] },
    { name: 'the same model at another path', base: FROM_MODEL, changed: { ...FROM_MODEL, source: { ...FROM_MODEL.source, model: 'copy/model.json' } },
      context: { ...HERE, modelHash: () => 'aaaa' }, differ: [] },
  ] as { name: string; base: Experiment; changed: Experiment; context?: KeyContext; differ: string[] }[])('$name', ({ base, changed, context, differ }) => {
    const before = keysOf(base);
    const after = keysOf(changed, context ?? HERE);
    const changedKeys = (Object.keys(before) as (keyof typeof before)[]).filter((k) => before[k] !== after[k]);
    expect(changedKeys).toEqual(differ);
  });

  it('a model source not read yet gets keys of its own, never those of its content', () => {
    const unread = keysOf(FROM_MODEL, { ...HERE, modelHash: () => undefined });
    expect(unread.probe).not.toBe(keysOf(FROM_MODEL).probe);
    expect(unread.probe).toMatch(/^probe-/);
  });

  it('the same experiment gets the same keys each time it is planned', () => {
    const withOptimizer: Experiment = { ...PRETRAINED, train: { optimizer: { name: 'sgd', momentum: 0.9, nesterov: true } } };
    expect(keysOf(withOptimizer)).toEqual(keysOf(structuredClone(withOptimizer)));
  });

  // A result computed with another implementation of the optimizers (1: tfjs-core's,
  // whose Adadelta is wrong) is never reused: not by a key, not by resuming a run.
  it('keys and the run id change with the optimizers\' implementation version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlx-keys-'));
    const rest = 'target: { data: { dataset: mnist, classes: [5, 6] } }\ntrain: { optimizer: adadelta, learningRate: 1.0 }\n';
    writeFileSync(join(dir, 'pretrained.yaml'), `name: keys\nsource: { pretrain: { architecture: lenet5, data: { dataset: mnist, classes: [0, 1] } }, cut: flatten }\n${rest}`);
    // A model source: its scratch key depends on no pretrain key (which has the version too).
    writeFileSync(join(dir, 'model.yaml'), `name: keys\nsource: { model: models/net/model.json, cut: flatten }\n${rest}`);
    const identity = async () => {
      const { planTrials: plan } = await import('../../src/plan/trials.js');
      const tasks = await import('../../src/plan/tasks.js');
      const { loadExperiment } = await import('../../src/config/load.js');
      const [pretrained, model] = ['pretrained.yaml', 'model.yaml'].map((f) => plan(loadExperiment(join(dir, f)).raw)[0]!);
      return [tasks.pretrainKey(pretrained!.experiment, HERE), tasks.scratchKey(model!.experiment, model!.seed, HERE), loadExperiment(join(dir, 'model.yaml')).hash];
    };
    const now = await identity();
    vi.resetModules();
    vi.doMock('../../src/train/optimizers/version.js', () => ({ OPTIMIZERS_VERSION: 1 }));
    try {
      const before = await identity();
      now.forEach((key, i) => expect(key).not.toBe(before[i]));
    } finally {
      vi.doUnmock('../../src/train/optimizers/version.js');
      vi.resetModules();
    }
    expect(await identity()).toEqual(now);
  });

  // Transfer-specific fine-tuning changes only the transferred model: the run id
  // (and a swept point's trial id) changes, the shared tasks' keys do not.
  it.each([
    { name: 'transfer.discriminative', transfer: 'discriminative: { decay: 2.6 }', sweep: ['transfer.discriminative.decay', [2.6, 1.5]] },
    { name: 'transfer.l2sp', transfer: 'l2sp: { alpha: 0.1 }', sweep: ['transfer.l2sp.alpha', [0.1, 0.01]] },
    { name: 'transfer.fineTune.gradual', transfer: 'fineTune: { unfreeze: all, epochs: 4, gradual: { epochsPerStage: 1 } }',
      sweep: ['transfer.fineTune.gradual.epochsPerStage', [1, 2]], base: 'fineTune: { unfreeze: all, epochs: 4 }' },
  ] as { name: string; transfer: string; sweep: [string, unknown[]]; base?: string }[])('$name changes the run id and trial ids, not the shared tasks\' keys', async ({ transfer, sweep, base }) => {
    const dir = mkdtempSync(join(tmpdir(), 'tlx-keys-'));
    const { loadExperiment } = await import('../../src/config/load.js');
    const head = 'name: keys\nsource: { pretrain: { architecture: lenet5, data: { dataset: mnist, classes: [0, 1] } }, cut: flatten }\n' +
      'target: { data: { dataset: mnist, classes: [5, 6] } }\n';
    const load = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      const loaded = loadExperiment(join(dir, name));
      return { hash: loaded.hash, keys: keysOf(loaded.raw), trials: planTrials(loaded.raw).map((t) => t.id) };
    };
    const plain = load('plain.yaml', `${head}${base ? `transfer: { ${base} }\n` : ''}`);
    const changed = load('changed.yaml', `${head}transfer: { ${transfer} }\n`);
    expect(changed.hash).not.toBe(plain.hash);
    expect(changed.keys).toEqual(plain.keys);
    const swept = load('swept.yaml', `${head}transfer: { ${transfer} }\ngrid: { ${sweep[0]}: ${JSON.stringify(sweep[1])} }\n`);
    expect(new Set(swept.trials).size).toBe(2);
  });

  it('a graph-model source plans no scratch baseline and says why, for every trial; a layers model plans one', () => {
    const trials = planTrials({ ...FROM_MODEL, repeats: 2 });
    const graph = planTasks(trials, { ...HERE, modelKind: () => 'graph' });
    expect([graph.scratch.size, graph.scratchOf.size, graph.probe.size]).toEqual([0, 0, 2]);
    expect([...graph.scratchUnavailable.values()]).toEqual([GRAPH_SCRATCH_UNAVAILABLE, GRAPH_SCRATCH_UNAVAILABLE]);
    const layers = planTasks(trials, { ...HERE, modelKind: () => 'layers' });
    expect([layers.scratch.size, layers.scratchUnavailable.size]).toEqual([2, 0]);
    const notAsked = planTasks(planTrials({ ...FROM_MODEL, indicators: { scratch: false } }), { ...HERE, modelKind: () => 'graph' });
    expect(notAsked.scratchUnavailable.size).toBe(0);
  });

  it('a freeze sweep shares one scratch baseline and one probe per seed', () => {
    const trials = planTrials({ ...PRETRAINED, repeats: 2, grid: { 'transfer.freeze': ['all', 1, 'none'] } });
    const plan = planTasks(trials, HERE);
    expect([plan.pretrain.size, plan.scratch.size, plan.probe.size]).toEqual([1, 2, 2]);
  });
});
