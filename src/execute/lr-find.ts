import * as tf from '@tensorflow/tfjs-core';
import { dirname } from 'node:path';
import { byteSize } from '../config/byte-size.js';
import type { LoadedExperiment } from '../config/load.js';
import { requirePresent } from '../config/presence.js';
import { inputScale } from '../data/examples.js';
import { progressPrinter } from '../data/download.js';
import { prepareExamples } from '../data/load-data.js';
import { ensureData } from '../data/prepare-inputs.js';
import { backendIdentity } from '../engine/backend-identity.js';
import type { BackendInfo } from '../engine/init-backend.js';
import { sourceModels } from '../models/model-hash.js';
import { prepareSourceModel } from '../models/prepare-source.js';
import { disposeSource, loadSourceModel } from '../models/source-model.js';
import { pretrainKey } from '../plan/tasks.js';
import { planTrials, type Trial } from '../plan/trials.js';
import { deriveSeed, withSeededMathRandom } from '../random.js';
import { frozenFeatureView } from '../train/frozen-features.js';
import { targetExamples } from '../train/inputs.js';
import { type LrSweep, lrSweep, type SweepOptions } from '../train/lr-sweep.js';
import { transferTreatments } from '../train/transfer-treatments.js';
import { runTask } from './run-task.js';
import { buildEmbeddingsSources } from './embeddings-sources.js';
import { cachedModel } from './task-cache.js';
import { trialSourceModel } from './trial-source.js';
import { readTextInput } from '../models/text-input-file.js';
import { embeddingsHashes } from '../models/embedding-weights.js';
import { assembleTarget, graphHeadView } from './target-assembly.js';

export interface LrFindOptions extends Pick<SweepOptions, 'min' | 'max' | 'steps'> {
  readonly backend: BackendInfo;
  readonly cacheDir: string;
  readonly featureCache?: boolean;
}

/** A sweep and what it swept: the trial (the first grid point's first repeat). */
export interface LrFindOutcome extends LrSweep {
  readonly trial: Pick<Trial, 'id' | 'point' | 'seed'>;
  readonly min: number;
  readonly max: number;
  readonly steps: number;
  readonly optimizer: Trial['experiment']['train']['optimizer'];
  readonly batchSize: number;
}

/**
 * The learning-rate range test on an experiment's first trial: its target data and
 * the model its fine-tune trains in phase 1 (the source pretrained or downloaded as
 * tlx run would, cached the same way; the freeze rule, the head, discriminative
 * learning rates and L2-SP as configured), with train.optimizer and train.batchSize.
 */
export async function lrFind(loaded: LoadedExperiment, options: LrFindOptions): Promise<LrFindOutcome> {
  requirePresent(loaded.missing);
  const trial = planTrials(loaded.raw)[0]!;
  const baseDir = dirname(loaded.file);
  const env = process.env;
  const onProgress = progressPrinter((t) => process.stderr.write(t), process.stderr.isTTY === true);
  const modelShape = await prepareSourceModel(trial.experiment, { cacheDir: options.cacheDir, baseDir, env }, onProgress);
  const data = await ensureData(trial.experiment, { baseDir, env, onProgress }, modelShape);
  const experiment = data.adjust(trial.experiment);
  const identity = backendIdentity(options.backend);
  const note = (text: string) => process.stderr.write(`tlx: ${text}\n`);
  const featureBudget: number | false = options.featureCache === false ? false : byteSize(experiment.run.cacheBudget);
  const { cacheDir } = options;
  const models = sourceModels([experiment], { cacheDir, baseDir, env });
  const keys = { baseDir, modelHash: (model: string) => models.get(model)?.hash, embeddingsHash: await embeddingsHashes([experiment], { baseDir, env, cacheDir }) };
  const adjusted = { ...trial, experiment };
  const sourceModel = trialSourceModel(adjusted, { cacheDir, identity, keys, models });
  await buildEmbeddingsSources([adjusted], { cacheDir, identity, keys, baseDir, env, note });
  if (experiment.source.pretrain != null) {
    const key = pretrainKey(experiment, keys);
    await cachedModel(cacheDir, identity, key, () => runTask({ kind: 'pretrain', key, experiment, sourceModel, baseDir, cacheDir, featureBudget }, () => {}), { note });
  }
  const sweep = { min: options.min, max: options.max, steps: options.steps, train: experiment.train };
  const result = await withSeededMathRandom(deriveSeed(trial.seed, 'lr-find'), async () => {
    const prepared = await prepareExamples(experiment.target.data, trial.seed, { baseDir, env }, readTextInput(sourceModel));
    const examples = targetExamples(prepared);
    const scale = inputScale(experiment.source.input.scale, prepared.train);
    const cacheOptions = { scale, augment: experiment.train.augment, budget: featureBudget };
    const source = await loadSourceModel(sourceModel);
    try {
      if (source.kind === 'graph') {
        const { view } = await graphHeadView(source, experiment, prepared.classIds.length, examples, cacheOptions);
        return await lrSweep(view.model, view.inputs.train, sweep);
      }
      const { model, prefix } = await assembleTarget(source.model, experiment, prepared.classIds.length, 'finetune');
      const treated = transferTreatments(model, prefix, experiment.transfer);
      try {
        const view = await frozenFeatureView(model, examples, cacheOptions);
        return await lrSweep(view.model, view.inputs.train, { ...sweep, ...(treated.treatments.size > 0 ? { treatments: treated.treatments } : {}) });
      } finally {
        treated.dispose();
      }
    } finally {
      disposeSource(source);
      tf.disposeVariables();
    }
  });
  return {
    trial: { id: trial.id, point: trial.point, seed: trial.seed }, min: options.min, max: options.max, steps: options.steps,
    optimizer: experiment.train.optimizer, batchSize: experiment.train.batchSize, ...result,
  };
}
