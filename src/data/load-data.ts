import { resolve } from 'node:path';
import type { ResolvedData } from '../config/resolved.js';
import { DataError, InternalError } from '../errors.js';
import { classList, selectClasses } from './class-select.js';
import { readCsvTable } from './images/csv-table.js';
import { conform, type FileFormat } from './images/decode-images.js';
import type { DownloadProgress } from './download.js';
import { locateFashionMnist, readFashionMnist } from './images/fashion-mnist.js';
import { dataModality } from './datasets.js';
import { decodeExamples, type Examples, type InMemory, isText, type ReadExamples } from './examples.js';
import type { ImageSet } from './images/image-set.js';
import { isFiles } from './images/images.js';
import { idxImageSet } from './images/idx-set.js';
import { readImageFolder } from './images/imagefolder.js';
import { loadMnist } from './images/mnist.js';
import { prepareData, type PreparedData } from './split.js';
import { readSpamAssassin } from './text/spam-assassin.js';
import { readTextTable } from './text/tables.js';
import type { TextSet } from './text/text-set.js';
import type { TextInput } from './text/text-input.js';
import { encode } from './text/tokenizer.js';
import type { TokenSet } from './text/token-set.js';
import { readUciSentences } from './text/uci-sentences.js';

/** Where relative paths in a data block start, and the environment to look in. */
export interface DataContext {
  readonly baseDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly onProgress?: (p: DownloadProgress) => void;
}

type Loader = (spec: ResolvedData, context: DataContext, at: (p: string) => string) => Promise<ReadExamples>;

/** Files decoded from disk are brought to the requested size and channels (RGB by default), transparency flattened. */
function fileFormat(spec: ResolvedData): FileFormat {
  if (spec.imageSize == null) throw new InternalError(`${spec.dataset} data read without an image size`);
  return { size: spec.imageSize as [number, number], channels: spec.channels ?? 3, resize: spec.resize, background: spec.background };
}

const LOADERS = {
  mnist: async () => loadMnist(),
  'fashion-mnist': async (spec, context, at) =>
    await readFashionMnist(await locateFashionMnist({ ...(spec.path ? { path: at(spec.path) } : {}), env: context.env, onProgress: context.onProgress })),
  idx: async (spec, _context, at) => idxImageSet(at(spec.images!), at(spec.labels!)),
  imagefolder: async (spec, _context, at) => readImageFolder(at(spec.path!), {
    format: fileFormat(spec),
    skip: spec.skipUnreadable,
    ...(spec.classes ? { classes: spec.classes } : {}),
    ...(spec.include ? { include: spec.include } : {}),
    ...(spec.exclude ? { exclude: spec.exclude } : {}),
  }),
  csv: async (spec, context, at) => (dataModality(spec) === 'text' ? textTable(spec, context, at) : readCsvTable(at(spec.path!), fileFormat(spec), spec.skipUnreadable)),
  tsv: async (spec, context, at) => textTable(spec, context, at),
  jsonl: async (spec, context, at) => textTable(spec, context, at),
  'uci-sentences': async (spec, context) => readUciSentences(spec.domains ?? ['imdb', 'yelp', 'amazon'], context),
  'spam-assassin': async (spec, context) => readSpamAssassin(context, { part: spec.part }),
} as const satisfies Record<ResolvedData['dataset'], Loader>;

async function textTable(spec: ResolvedData, _context: DataContext, at: (p: string) => string): Promise<TextSet> {
  const format = spec.dataset === 'csv' || spec.dataset === 'tsv' ? spec.dataset : 'jsonl';
  return readTextTable(at(spec.path!), { format, text: spec.text ?? 'text', label: spec.label ?? 'label' });
}

const cache = new Map<string, ReadExamples>();

/**
 * The examples a data block names, read once per process: in-memory datasets as
 * pixels at their own size until prepared; files (image folders, CSV tables) checked
 * readable at the block's size and channels and listed, their pixels not kept;
 * texts as they are, tokenized once split (prepareExamples).
 */
export async function readExamples(spec: ResolvedData, context: DataContext): Promise<ReadExamples> {
  const at = (p: string) => resolve(context.baseDir, p);
  const decoded = spec.dataset === 'imagefolder' || spec.dataset === 'csv';
  const key = JSON.stringify([spec.dataset, spec.path && at(spec.path), spec.images && at(spec.images), spec.labels && at(spec.labels),
    spec.imageSize, spec.channels, spec.resize, spec.skipUnreadable, decoded ? spec.background : null,
    // An image folder reads only the classes and files a block keeps.
    spec.dataset === 'imagefolder' ? [spec.classes, spec.include, spec.exclude] : null,
    spec.text, spec.label, spec.domains, spec.part]);
  let set = cache.get(key);
  if (!set) {
    set = await LOADERS[spec.dataset](spec, context, at);
    cache.set(key, set);
  }
  const chosen = spec.classes && selectClasses(spec.classes, classList(set, spec));
  if (chosen && !chosen.ok) throw new DataError(chosen.code, spec.path ? at(spec.path) : spec.images ? at(spec.images) : spec.dataset, chosen.message, chosen.hint);
  return set;
}

/** The [height, width, channels] a data block's images have once prepared. */
export function preparedShape(spec: ResolvedData, raw: readonly [number, number, number]): [number, number, number] {
  return [spec.imageSize?.[0] ?? raw[0], spec.imageSize?.[1] ?? raw[1], spec.channels ?? raw[2]];
}

/** A text dataset split for a seed as prepareExamples splits it, before tokenization: what a vocabulary is built from. */
export async function splitTexts(spec: ResolvedData, seed: number, context: DataContext): Promise<PreparedData<TextSet>> {
  const raw = await readExamples(spec, context);
  if (!isText(raw)) throw new InternalError(`${spec.dataset} data split as texts`);
  return prepareData(raw, spec, seed);
}

/**
 * The dataset a data block names, prepared for a seed: classes, split, few-shot,
 * then images resized / channel-converted (only the images kept, not the whole
 * dataset; files stay files, decoded at the block's size where they are used) or
 * texts tokenized with the source's vocabulary.
 */
export async function prepareExamples(spec: ResolvedData, seed: number, context: DataContext, text?: TextInput): Promise<PreparedData<Examples>> {
  const raw = await readExamples(spec, context);
  if (isText(raw)) {
    const split = prepareData(raw as TextSet, spec, seed);
    if (text == null) throw new InternalError(`${spec.dataset} texts prepared without a vocabulary`);
    const tokenized = (set: TextSet): TokenSet => ({ ...set, tokens: encode(set.texts, text.vocabulary, text.settings), shape: [text.settings.maxLength] });
    return { ...split, train: tokenized(split.train), validation: tokenized(split.validation), test: tokenized(split.test) };
  }
  const prepared = prepareData(raw, spec, seed);
  if (isFiles(raw)) return prepared;
  const [h, w, c] = preparedShape(spec, raw.shape);
  const format = { size: [h, w] as [number, number], channels: c as 1 | 3, resize: spec.resize };
  const conformed = (set: ReadExamples) => conform(set as ImageSet, format);
  return { ...prepared, train: await conformed(prepared.train), validation: await conformed(prepared.validation), test: await conformed(prepared.test) };
}

/** The dataset prepared for a seed (prepareExamples) with every example's input in memory. */
export async function loadData(spec: ResolvedData, seed: number, context: DataContext, text?: TextInput): Promise<PreparedData<InMemory>> {
  const prepared = await prepareExamples(spec, seed, context, text);
  return { ...prepared, train: await decodeExamples(prepared.train), validation: await decodeExamples(prepared.validation), test: await decodeExamples(prepared.test) };
}
