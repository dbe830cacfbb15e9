import * as tf from '@tensorflow/tfjs-core';
import { dirname } from 'node:path';
import type { ResolvedExperiment } from '../config/resolved.js';
import type { PixelScale } from '../data/images/batches.js';
import { type Examples, exampleName, inputScale } from '../data/examples.js';
import type { PreparedData } from '../data/split.js';
import { type DataContext, prepareExamples, splitTexts } from '../data/load-data.js';
import type { TextInput } from '../data/text/text-input.js';
import { buildVocabulary } from '../data/text/tokenizer.js';
import { isTokenSet } from '../data/text/token-set.js';
import { InternalError } from '../errors.js';
import { type FeatureSet, probeScore } from '../indicators/probe.js';
import { ARCHITECTURES } from '../models/architectures/index.js';
import { readTextInput, textInputFiles } from '../models/text-input-file.js';
import { exportModel, type Preprocessing } from '../models/export-model.js';
import { nodesUpTo } from '../models/graph-source.js';
import { hasModel, readMeta, saveModel } from '../models/model-files.js';
import { disposeSource, featureExtractor, loadSourceModel, probeFeatures, type SourceModel } from '../models/source-model.js';
import { layerNames, resolvedValue, resolveUnfreeze } from '../models/surgery.js';
import { scratchTrain } from '../plan/tasks.js';
import { deriveSeed, withSeededMathRandom } from '../random.js';
import { fit, type CurvePoint, type FitResult } from '../train/fit.js';
import { transferTreatments } from '../train/transfer-treatments.js';
import { fineTunePhase } from './fine-tune-phase.js';
import { assembleTarget, graphHeadView } from './target-assembly.js';
import { chunkedOutputs } from '../train/chunked-outputs.js';
import { frozenFeatureView } from '../train/frozen-features.js';
import { exampleSets, type TargetExamples, targetExamples } from '../train/inputs.js';
import { pretrainData } from './pretrain-data.js';
import type { Misclassified } from '../results/trial-record.js';
import type { PretrainResult, TaskRequest, TaskResults } from './task-messages.js';

export type Progress = (epoch: number, epochs: number, point: CurvePoint) => void;

/**
 * Runs one task in this thread. Math.random is seeded for its duration, so weight
 * initialisation, dropout and shuffling repeat exactly for the same seed.
 */
export async function runTask(request: TaskRequest, progress: Progress): Promise<TaskResults[TaskRequest['kind']]> {
  const seed = request.kind === 'pretrain' ? request.experiment.seed : request.seed;
  return withSeededMathRandom(deriveSeed(seed, request.kind), () => {
    switch (request.kind) {
      case 'pretrain': return pretrain(request, progress);
      case 'probe': return probe(request);
      default: return targetTraining(request, request.kind, progress);
    }
  });
}

async function pretrain(request: Extract<TaskRequest, { kind: 'pretrain' }>, progress: Progress): Promise<PretrainResult> {
  const dir = dirname(request.sourceModel);
  if (hasModel(dir)) return readMeta<PretrainResult>(dir);
  const spec = request.experiment.source.pretrain;
  if (!spec) throw new InternalError('a pretrain task for a source without a pretrain block');
  const { data, text, files, embeddings } = await pretrainData(request.experiment, dataContext(request), request.cacheDir);
  const model = ARCHITECTURES[spec.architecture]({ inputShape: data.train.shape, classes: data.classIds.length, ...(spec.alpha ? { alpha: spec.alpha } : {}), ...(text ? { text } : {}) });
  try {
    const result = await fit(model, exampleSets(data, scaleFor(request.experiment, data.train), spec.train.augment), {
      train: spec.train, metrics: ['accuracy', 'macroF1'],
      onEpoch: (p) => progress(p.epoch, spec.train.epochs, p),
    });
    const meta: PretrainResult = {
      test: result.test, seconds: result.seconds, layers: layerNames(model), curve: result.curve, confusion: result.confusion, ...(embeddings ? { embeddings } : {}),
    };
    await saveModel(model, dir, meta, files);
    return meta;
  } finally {
    model.dispose();
  }
}

/** The source model's input scaling, which target images get too. */
function scaleFor(experiment: ResolvedExperiment, set: Examples): PixelScale {
  return inputScale(experiment.source.input.scale, set);
}

/**
 * How a task's target texts become token ids (undefined: it reads images): with
 * the source's vocabulary, except for a scratch baseline, which owes nothing to
 * the source and so has the vocabulary of the target's own training texts (with
 * the source's settings); its embedding layer is sized to it (assembleTarget).
 */
async function targetText(request: Extract<TaskRequest, { kind: 'probe' | 'scratch' | 'finetune' }>): Promise<TextInput | undefined> {
  const text = readTextInput(request.sourceModel);
  if (text == null || request.kind !== 'scratch') return text;
  const split = await splitTexts(request.experiment.target.data, request.seed, dataContext(request));
  return { vocabulary: buildVocabulary(split.train.texts, text.settings), settings: text.settings };
}

/** The target data of a task, prepared as its model reads it (texts with its vocabulary; see targetText). */
async function targetData(request: Extract<TaskRequest, { kind: 'probe' | 'scratch' | 'finetune' }>, text?: TextInput) {
  return prepareExamples(request.experiment.target.data, request.seed, dataContext(request), text);
}

/** A result's mistakes as texts or file names with class names, where the examples have them. */
function misclassified(result: Pick<FitResult, 'mistakes'>, data: Pick<PreparedData<Examples>, 'test' | 'classNames'>): { misclassified?: Misclassified[] } {
  const shown = result.mistakes.flatMap((m) => {
    const example = exampleName(data.test, m.index);
    return example == null ? [] : [{ example, label: data.classNames[m.label]!, predicted: data.classNames[m.predicted]!, probability: m.probability }];
  });
  return shown.length > 0 ? { misclassified: shown } : {};
}

function internal(message: string): never {
  throw new InternalError(message);
}

function dataContext(request: TaskRequest): DataContext {
  return { baseDir: request.baseDir, env: process.env };
}

async function probe(request: Extract<TaskRequest, { kind: 'probe' }>): Promise<TaskResults['probe']> {
  const { experiment } = request;
  const start = performance.now();
  const source = await loadSourceModel(request.sourceModel);
  try {
    const extractor = featureExtractor(source, experiment.source.cut);
    const data = await targetData(request, await targetText(request));
    const features = async (set: Examples): Promise<FeatureSet> => {
      const f = await chunkedOutputs(set, scaleFor(experiment, set), extractor.batchSize, (x) => probeFeatures(extractor, x));
      return { features: f, width: f.length / Math.max(set.labels.length, 1), labels: set.labels, classes: set.classes };
    };
    const { probe: kind, k } = experiment.indicators.transferOnly;
    const sets = { train: await features(data.train), validation: await features(data.validation), test: await features(data.test) };
    const test = await probeScore(sets, { kind, k, metrics: experiment.metrics });
    return { test, seconds: (performance.now() - start) / 1000 };
  } finally {
    disposeSource(source);
  }
}

/** A scratch or finetune task: the target model (target-assembly.ts) trained in one phase, or two (fineTune). */
async function targetTraining(
  request: Extract<TaskRequest, { kind: 'scratch' | 'finetune' }>, kind: 'scratch' | 'finetune', progress: Progress,
): Promise<TaskResults['finetune']> {
  const { experiment } = request;
  const text = await targetText(request);
  const data = await targetData(request, text);
  const examples = targetExamples(data);
  const loaded = await loadSourceModel(request.sourceModel);
  if (loaded.kind === 'graph') return headTraining(request, loaded, { ...data, examples }, progress);
  const { model, prefix, frozen } = await assembleTarget(loaded.model, experiment, data.classIds.length, kind, text?.vocabulary.words.length);
  // Discriminative learning rates and L2-SP: the transferred model's, taken before it trains.
  const treated = kind === 'finetune' ? transferTreatments(model, prefix, experiment.transfer) : undefined;
  const treatments = treated && treated.treatments.size > 0 ? { treatments: treated.treatments } : {};
  try {
    const scale = scaleFor(experiment, data.train);
    const train = kind === 'scratch' ? scratchTrain(experiment) : experiment.train;
    const view = () => frozenFeatureView(model, examples, { scale, augment: train.augment, budget: request.featureBudget });
    const first = await view();
    const rung = request.kind === 'finetune' && request.rung ? { rung: request.rung } : {};
    const phase1 = await fit(first.model, first.inputs, { train, metrics: experiment.metrics, ...treatments, ...rung, onEpoch: (p) => progress(p.epoch, request.kind === 'finetune' ? request.rung?.until ?? train.epochs : train.epochs, p) });
    const exportTo = async (trained: TaskResults['finetune']) => {
      const result = { ...trained, ...misclassified(trained, data) };
      if (request.kind === 'finetune' && request.exportDir && result.status === 'ok') {
        const { train } = data;
        const preprocessing: Preprocessing = text ? { text: text.settings } : isTokenSet(train)
          ? internal('texts without a vocabulary')
          : { inputShape: train.shape, resize: experiment.target.data.resize, scale: experiment.source.input.scale, background: experiment.target.data.background };
        await exportModel(model, request.exportDir, data.classNames, preprocessing,
          { trial: request.key, test: result.test, frozen: result.frozen }, text ? textInputFiles(text) : {});
      }
      return result;
    };
    const fineTune = kind === 'finetune' ? experiment.transfer.fineTune : undefined;
    // Awaited here, not returned: the finally below releases the weights the export still reads (asynchronously, on webgpu).
    if (fineTune == null || phase1.status !== 'ok') return await exportTo({ ...phase1, frozen, featureCache: [first.cache] });
    // Phase 2: unfreeze the top of the base (at once or gradually) and continue at a lower learning rate.
    const total = experiment.train.epochs + fineTune.epochs;
    const phase2 = await fineTunePhase(model, {
      fineTune, unfrozen: resolvedValue(resolveUnfreeze(frozen, fineTune.unfreeze), 'transfer.fineTune.unfreeze'),
      train: experiment.train, metrics: experiment.metrics, after: phase1.curve[phase1.curve.length - 1]!, view, ...treatments,
      onEpoch: (p) => progress(p.epoch, total, p),
    });
    return await exportTo({
      ...phase2, curve: [...phase1.curve, ...phase2.curve], stoppedEarly: phase1.stoppedEarly || phase2.stoppedEarly,
      frozen, featureCache: [first.cache, ...phase2.featureCache],
    });
  } finally {
    // The target model shares the source's layers; releasing every variable of
    // this task (weights, optimizer slots) frees both. A worker runs one task at a time.
    treated?.dispose();
    tf.disposeVariables();
  }
}

/**
 * A graph-model source: the whole source frozen (rules refuse anything else), its
 * features at the cut computed once, and only the head trained on them. There is
 * no scratch baseline (planTasks records it unavailable) and nothing is exported:
 * the head alone takes features, not images.
 */
async function headTraining(
  request: Extract<TaskRequest, { kind: 'scratch' | 'finetune' }>, source: Extract<SourceModel, { kind: 'graph' }>,
  data: Awaited<ReturnType<typeof targetData>> & { examples: TargetExamples }, progress: Progress,
): Promise<TaskResults['finetune']> {
  const { experiment } = request;
  if (request.kind === 'scratch') throw new InternalError('a scratch task for a graph-model source (planTasks records it unavailable)');
  try {
    const scale = scaleFor(experiment, data.train);
    const { view, extractor } = await graphHeadView(source, experiment, data.classIds.length, data.examples,
      { scale, augment: experiment.train.augment, budget: request.featureBudget });
    const result = await fit(view.model, view.inputs, { train: experiment.train, metrics: experiment.metrics, onEpoch: (p) => progress(p.epoch, experiment.train.epochs, p) });
    return { ...result, ...misclassified(result, data), frozen: nodesUpTo(source.nodes, extractor.boundary), featureCache: [view.cache] };
  } finally {
    disposeSource(source);
    tf.disposeVariables();
  }
}
