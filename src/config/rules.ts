import { resolve } from 'node:path';
import { type ClassList, selectClasses } from '../data/class-select.js';
import { DATASETS } from '../data/datasets.js';
import { compileGlob, isGlobProblem } from '../data/images/glob.js';
import { folderClassNames } from '../data/images/folder-walk.js';
import type { ConfigIssue } from '../errors.js';
import { graphTransferProblem, resolveNode } from '../models/graph-source.js';
import { canonicalJson } from '../plan/canonical-hash.js';
import { GRID_SIZE_HINT, gridSizeProblem } from '../plan/grid.js';
import { quote } from '../quote.js';
import { sourceLayerNames } from '../models/layer-names.js';
import { ModelError } from '../models/model-error.js';
import { dataBlocks } from './data-blocks.js';
import { MODALITY_RULES } from './modality-rules.js';
import { unfreezeStages } from '../models/layer-groups.js';
import { resolveCut, resolveFreeze, resolveUnfreeze, type SurgeryProblem } from '../models/surgery.js';
import type { ResolvedData, ResolvedExperiment } from './resolved.js';
import { resolveFieldPath } from './field-path.js';
import { classWeightsRule } from './train-rules.js';
import { SEARCH_RULES } from './search-rules.js';
import { optimizerRule } from './optimizer-settings.js';
import { dotted } from './schema-issues.js';
import { didYouMean } from './suggest.js';
import type { PathSegment, YamlSource } from './yaml-source.js';

/** What a rule reports: a problem at a path of the file. */
export interface RuleProblem {
  readonly code: string;
  readonly path: readonly PathSegment[];
  readonly message: string;
  readonly hint?: string;
  /** Point at the key rather than the value (an unknown name). */
  readonly atKey?: boolean;
}

export interface RuleContext {
  /** Directory of the experiment file; relative paths in it are relative to it. */
  readonly baseDir: string;
  /** Where downloaded models are cached (XDG_CACHE_HOME). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export type Rule = (experiment: ResolvedExperiment, context: RuleContext) => RuleProblem[];

const sourceKind: Rule = ({ source }) => {
  const given = [source.pretrain && 'pretrain', source.model && 'model', source.embeddings && 'embeddings'].filter(Boolean);
  if (given.length === 1) return [];
  return [{
    code: 'E_SOURCE_KIND',
    path: ['source'],
    message: given.length === 0 ? 'no source model: expected `pretrain`, `model` or `embeddings`' : `${given.length === 2 ? 'both ' : ''}${given.map((g) => `\`${g}\``).join(' and ')} given; expected one`,
    hint: 'pretrain: train a built-in architecture on a source task; model: a TensorFlow.js model.json (path or URL); embeddings: word vectors (for texts)',
  }];
};

/** The classes of a dataset known before its images are read: a dataset's own, or an image folder's folders (when it is there). */
export function knownClasses(data: ResolvedData, baseDir: string): ClassList | undefined {
  const info = DATASETS[data.dataset];
  if (info.classes != null) return { count: info.classes, ...(info.classNames ? { names: info.classNames } : {}), what: data.dataset };
  if (data.dataset !== 'imagefolder' || data.path == null) return undefined; // a CSV's or IDX file's: known once read
  const root = resolve(baseDir, data.path);
  try {
    const names = folderClassNames(root);
    return { count: names.length, names, what: `the folder ${root}` };
  } catch {
    return undefined; // a missing folder is presence.ts's to report, an unreadable one the run's
  }
}

function classProblems(data: ResolvedData, path: PathSegment[], baseDir: string): RuleProblem[] {
  if (data.classes == null) return [];
  const named = data.classes.findIndex((c) => typeof c === 'string');
  if (data.dataset === 'idx' && named >= 0) {
    return [{ code: 'E_CLASS_NAME', path: [...path, 'classes', named], message: `class '${data.classes[named]}' is a name, but idx labels are numbers`, hint: 'give the class by its label number' }];
  }
  const list = knownClasses(data, baseDir);
  const chosen = list && selectClasses(data.classes, list);
  if (chosen == null || chosen.ok) return [];
  return [{ code: chosen.code, path: [...path, 'classes', chosen.index], message: chosen.message, ...(chosen.hint ? { hint: chosen.hint } : {}) }];
}


const classesInRange: Rule = (experiment, { baseDir }) => dataBlocks(experiment).flatMap(([data, path]) => classProblems(data, path, baseDir));

/** include / exclude choose the files of an image folder, and each must be a glob tlx can read. */
const filePatterns: Rule = (experiment) => dataBlocks(experiment).flatMap(([data, path]) => (['include', 'exclude'] as const).flatMap((field) => {
  const patterns = data[field];
  if (patterns == null) return [];
  if (data.dataset !== 'imagefolder') {
    return [{ code: 'E_DATA_FIELD', path: [...path, field], atKey: true, message: `'${field}' does not apply to dataset ${data.dataset}`, hint: 'include and exclude choose the files of an image folder (dataset: imagefolder)' }];
  }
  return patterns.flatMap((pattern, i) => {
    const glob = compileGlob(pattern);
    return isGlobProblem(glob) ? [{ code: 'E_DATA_GLOB', path: [...path, field, i], message: glob.message }] : [];
  });
}));

/** Which file fields each dataset takes (whether the files are on this machine is presence.ts's question). */
const dataFields: Rule = (experiment) => dataBlocks(experiment).flatMap(([data, path]) => {
  const problems: RuleProblem[] = [];
  const wants = DATASETS[data.dataset].files;
  for (const field of ['path', 'images', 'labels'] as const) {
    const value = data[field];
    if (value != null && wants[field] == null) {
      problems.push({ code: 'E_DATA_FIELD', path: [...path, field], atKey: true, message: `'${field}' does not apply to dataset ${data.dataset}` });
    } else if (value == null && wants[field] === 'required') {
      problems.push({ code: 'E_DATA_FIELD', path, message: `dataset ${data.dataset} needs '${field}'`, hint: describeFiles(data.dataset) });
    }
  }
  // Target images are read at the source model's input size; a source's own data has no such guide.
  const isSource = path[0] === 'source';
  if (isSource && (data.dataset === 'imagefolder' || data.dataset === 'csv') && data.imageSize == null) {
    problems.push({ code: 'E_DATA_FIELD', path, message: `dataset ${data.dataset} needs 'imageSize' ([height, width] every image is resized to)` });
  }
  return problems;
});

function describeFiles(dataset: ResolvedData['dataset']): string {
  return dataset === 'idx' ? 'idx: give `images` and `labels`, the two IDX files' : `${dataset}: give \`path\``;
}

// Layer names per source and check: building a model to name its layers takes
// ~0.1 s, and every value of a sweep is checked (a learning-rate sweep has one source).
type LayerNames = ReturnType<typeof sourceLayerNames>;
const layerNamesSeen = new WeakMap<RuleContext, Map<string, LayerNames>>();
function layerNamesOf(source: ResolvedExperiment['source'], context: RuleContext): LayerNames {
  const seen = layerNamesSeen.get(context) ?? new Map<string, LayerNames>();
  layerNamesSeen.set(context, seen);
  const key = canonicalJson(source);
  if (!seen.has(key)) seen.set(key, sourceLayerNames(source, context.baseDir, context.env));
  return seen.get(key);
}

const surgery: Rule = ({ source, transfer }, context) => {
  const layers = layerNamesOf(source, context);
  if (layers == null) return [];
  if (layers instanceof ModelError) return [{ code: layers.code, path: ['source', 'model'], message: layers.message, ...(layers.hint ? { hint: layers.hint } : {}) }];
  const problem = (path: PathSegment[], p: SurgeryProblem): RuleProblem => ({ code: 'E_LAYER', path, ...p });
  const { names } = layers;
  const cut = (layers.kind === 'graph' ? resolveNode : resolveCut)(names, source.cut);
  if (!cut.ok) return [problem(['source', 'cut'], cut.problem)];
  if (layers.kind === 'graph') {
    const graph = graphTransferProblem(transfer);
    return graph ? [{ code: 'E_GRAPH_TRANSFER', ...graph }] : [];
  }
  const frozen = resolveFreeze(names.slice(0, cut.value + 1), names, transfer.freeze);
  if (!frozen.ok) return [problem(['transfer', 'freeze'], frozen.problem)];
  if (transfer.fineTune == null) return [];
  const unfrozen = resolveUnfreeze(frozen.value, transfer.fineTune.unfreeze);
  if (!unfrozen.ok) return [problem(['transfer', 'fineTune', 'unfreeze'], unfrozen.problem)];
  const { weighted } = layers;
  if (transfer.fineTune.gradual == null || weighted == null) return [];
  const stages = unfreezeStages(unfrozen.value.map((name) => ({ name, weighted: weighted[names.indexOf(name)] === true })), transfer.fineTune);
  return stages.ok ? [] : [problem(['transfer', 'fineTune', 'epochs'], stages.problem)];
};

// A grid key or a search parameter is a dotted path to a field the file may have.
const sweptPaths: Rule = ({ grid, search }) => [
  ...Object.keys(grid).map((key) => ({ key, path: ['grid', key] })),
  ...Object.keys(search?.space ?? {}).map((key) => ({ key, path: ['search', 'space', key] })),
].flatMap(({ key, path }) => {
  const segments = key.split('.');
  const found = resolveFieldPath(key);
  if (found.ok) {
    return ['grid', 'search'].includes(segments[0]!) || key === 'name' ? [{ code: 'E_GRID_PATH', path, atKey: true, message: `${quote(key)} cannot be swept` }] : [];
  }
  const wrong = segments[found.depth]!;
  return [{
    code: 'E_GRID_PATH',
    path,
    atKey: true,
    message: `${quote(key)} names no field of the experiment (${quote(wrong)} is not a field of ${found.depth === 0 ? 'the file' : segments.slice(0, found.depth).join('.')})`,
    hint: didYouMean(wrong, found.fields) ?? `fields there: ${found.fields.join(', ')}`,
  }];
});

// Counted before anything expands the grid: 10^20 points are refused, not listed.
const gridSize: Rule = ({ grid, repeats }) => {
  const problem = gridSizeProblem(grid, repeats);
  return problem ? [{ code: 'E_GRID_SIZE', path: ['grid'], message: problem, hint: GRID_SIZE_HINT }] : [];
};

// Two equal values make two equal points, which would share one trial id and record.
const gridDuplicates: Rule = ({ grid }) => Object.entries(grid).flatMap(([key, values]) => {
  const first = new Map<string, number>();
  return values.flatMap((value, i) => {
    const json = canonicalJson(value);
    const earlier = first.get(json);
    if (earlier === undefined) first.set(json, i);
    return earlier === undefined ? [] : [{
      code: 'E_GRID_DUPLICATE',
      path: ['grid', key, i],
      message: `${quote(value)} is listed twice (items ${earlier} and ${i}); each grid point must differ`,
    }];
  });
});

/** Cross-field checks, in the order their messages are printed. */
export const RULES: readonly Rule[] = [
  sourceKind, dataFields, ...MODALITY_RULES, filePatterns, classesInRange, surgery, optimizerRule, sweptPaths, gridSize, gridDuplicates, ...SEARCH_RULES, classWeightsRule,
];

export function runRules(experiment: ResolvedExperiment, context: RuleContext, rules: readonly Rule[] = RULES): RuleProblem[] {
  return rules.flatMap((rule) => rule(experiment, context));
}

export function problemToIssue(p: RuleProblem, source: YamlSource, at: readonly PathSegment[] = p.path): ConfigIssue {
  return {
    code: p.code,
    position: source.locate(at, { key: p.atKey === true }),
    path: dotted(p.path),
    message: p.message,
    ...(p.hint ? { hint: p.hint } : {}),
  };
}
