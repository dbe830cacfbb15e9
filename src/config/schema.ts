import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { packagePath } from '../package-root.js';

/** schemas/experiment.schema.json, the one definition of the file format. */
export const EXPERIMENT_SCHEMA = JSON.parse(
  readFileSync(packagePath('schemas', 'experiment.schema.json'), 'utf8'),
) as Record<string, unknown>;

function compile(useDefaults: boolean) {
  const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true, useDefaults, allowUnionTypes: true });
  return ajv.compile(EXPERIMENT_SCHEMA);
}

const check = compile(false);
const fill = compile(true);

/** Schema errors of a value (all of them), or none. */
export function schemaErrors(value: unknown): ErrorObject[] {
  return check(value) ? [] : [...(check.errors ?? [])];
}

/** Fills in every default the schema declares, in place; the value must be valid. */
export function applyDefaults(value: unknown): void {
  fill(value);
}

type SchemaNode = { $ref?: string; properties?: Record<string, SchemaNode>; oneOf?: SchemaNode[] };

function deref(node: SchemaNode): SchemaNode {
  if (node.$ref?.startsWith('#/$defs/')) {
    const defs = EXPERIMENT_SCHEMA.$defs as Record<string, SchemaNode>;
    return deref(defs[node.$ref.slice('#/$defs/'.length)] ?? {});
  }
  return node;
}

/**
 * Whether a dotted path names a field of the experiment format; if not, the
 * fields that exist where it went wrong (for a suggestion).
 */
export function fieldAt(path: readonly string[]): { ok: true } | { ok: false; depth: number; fields: string[] } {
  let node = deref(EXPERIMENT_SCHEMA as SchemaNode);
  for (let i = 0; i < path.length; i++) {
    const next = node.properties?.[path[i]!];
    if (next == null) return { ok: false, depth: i, fields: Object.keys(node.properties ?? {}) };
    node = deref(next);
  }
  return { ok: true };
}
