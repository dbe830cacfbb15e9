import { describe, expect, it } from 'vitest';
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
