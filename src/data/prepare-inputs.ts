import type { ResolvedData, ResolvedExperiment } from '../config/resolved.js';
import { UsageError } from '../errors.js';
import { dataModality } from './datasets.js';
import { isText } from './examples.js';
import { type DataContext, readExamples, preparedShape } from './load-data.js';

/**
 * Reads (and, for a dataset that is not on this machine, downloads) every dataset
 * once in the main thread before workers start, so a download happens once and a
 * missing dataset stops the run before any training. The source model decides the
 * input: target images are read at its size and channel count, unless the target
 * block fixes its own (and if those differ, the shapes are reported, nothing runs).
 */
export async function ensureData(
  experiment: ResolvedExperiment,
  context: DataContext,
  modelShape?: readonly [number, number, number],
): Promise<{ adjust: (e: ResolvedExperiment) => ResolvedExperiment; notes: string[] }> {
  const notes: string[] = [];
  const read = async (data: ResolvedData, where: string) => {
    const set = await readExamples(data, context);
    if (isText(set)) return { shape: undefined };
    if (set.skipped?.length) notes.push(`${where}: skipped ${set.skipped.length} unreadable image(s) (skipUnreadable), first: ${set.skipped[0]}`);
    return { shape: preparedShape(data, set.shape) };
  };
  const pretrain = experiment.source.pretrain;
  const source = pretrain ? (await read(pretrain.data, 'source.pretrain.data')).shape : modelShape;
  // Texts are read as they are, tokenized with the source's vocabulary once split.
  if (dataModality(experiment.target.data) === 'text') {
    await read(experiment.target.data, 'target.data');
    return { adjust: (e) => e, notes };
  }
  if (source == null) {
    await read(experiment.target.data, 'target.data');
    return { adjust: (e) => e, notes };
  }
  const { imageSize, channels } = experiment.target.data;
  if (imageSize == null && channels == null) {
    const fit = { imageSize: [source[0], source[1]] as [number, number], channels: source[2] as 1 | 3 };
    await read({ ...experiment.target.data, ...fit }, 'target.data');
    return { adjust: (e) => ({ ...e, target: { ...e.target, data: { ...e.target.data, ...fit } } }), notes };
  }
  const shape = (await read(experiment.target.data, 'target.data')).shape;
  if (shape != null && shape.some((d, i) => d !== source[i])) {
    const show = (s: readonly number[]) => s.join('x');
    throw new UsageError('E_SHAPE', `target images are ${show(shape)} but the source model takes ${show(source)}`,
      `remove target.data.imageSize and channels to resize automatically, or set imageSize: [${source[0]}, ${source[1]}] and channels: ${source[2]}`);
  }
  return { adjust: (e) => e, notes };
}

