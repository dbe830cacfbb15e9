import type { Experiment } from './experiment.generated.js';
import type { OptimizerName, ResolvedOptimizer, ResolvedTrain, WrittenOptimizer } from './resolved.js';
import type { Rule } from './rules.js';
import { EXPERIMENT_SCHEMA } from './schema.js';
import type { PathSegment } from './yaml-source.js';

type Kind = { properties: Record<string, { const?: unknown; default?: unknown }> };
type OptimizerSchema = { oneOf: [unknown, { oneOf: Kind[] }] };

// Each optimizer's parameters and their defaults, read from the schema: the schema
// cannot fill them itself (they sit inside a oneOf), and no second copy is kept here.
function schemaDefaults(name: OptimizerName): Record<string, unknown> {
  const kinds = (EXPERIMENT_SCHEMA.$defs as { optimizer: OptimizerSchema }).optimizer.oneOf[1].oneOf;
  const properties = kinds.find((k) => k.properties.name?.const === name)!.properties;
  return Object.fromEntries(Object.entries(properties).flatMap(([key, p]) => (p.default === undefined ? [] : [[key, p.default]])));
}

/** An optimizer as written (a name, or a name with some parameters) with every parameter present. */
export function resolveOptimizer(written: WrittenOptimizer): ResolvedOptimizer {
  const given = typeof written === 'string' ? { name: written } : written;
  return { ...schemaDefaults(given.name), ...given } as ResolvedOptimizer;
}

/**
 * The file with each short-form optimizer (`optimizer: sgd`) written as
 * `{ name: sgd }`, so a grid can sweep one of its parameters
 * (`train.optimizer.momentum`) without the file changing its form first.
 * (A --set override applies to the text before this: it needs the mapping form.)
 */
export function expandOptimizers(raw: Experiment): Experiment {
  const expand = <T extends { optimizer?: WrittenOptimizer } | undefined>(train: T): T =>
    (typeof train?.optimizer === 'string' ? { ...train, optimizer: { name: train.optimizer } } : train);
  const pretrain = raw.source?.pretrain;
  return {
    ...raw,
    ...(raw.train ? { train: expand(raw.train) } : {}),
    ...(pretrain?.train ? { source: { ...raw.source, pretrain: { ...pretrain, train: expand(pretrain.train) } } } : {}),
  } as Experiment;
}

/**
 * `sgd (momentum 0.9, nesterov true)`: an optimizer by its name and the parameters
 * it sets away from their defaults (a manifest of an older tlx holds only a name).
 */
export function describeOptimizer(written: WrittenOptimizer): string {
  const optimizer = resolveOptimizer(written);
  const defaults = schemaDefaults(optimizer.name);
  const changed = Object.entries(optimizer).filter(([key, value]) => key !== 'name' && defaults[key] !== value);
  return changed.length === 0 ? optimizer.name : `${optimizer.name} (${changed.map(([key, value]) => `${key} ${String(value)}`).join(', ')})`;
}

/** Nesterov momentum with no momentum is no update rule at all (PyTorch refuses it too). */
export const optimizerRule: Rule = ({ train, source }) => {
  const blocks: [ResolvedTrain, PathSegment[]][] = [
    ...(source.pretrain ? [[source.pretrain.train, ['source', 'pretrain', 'train']] as [ResolvedTrain, PathSegment[]]] : []),
    [train, ['train']],
  ];
  return blocks.flatMap(([{ optimizer }, path]) => (optimizer.name === 'sgd' && optimizer.nesterov && optimizer.momentum === 0 ? [{
    code: 'E_OPTIMIZER',
    path: [...path, 'optimizer', 'nesterov'],
    message: 'nesterov: true needs a momentum above 0 (momentum is 0)',
    hint: 'set momentum (e.g. momentum: 0.9) or remove nesterov',
  }] : []));
};
