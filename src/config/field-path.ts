import { EXPERIMENT_SCHEMA } from './schema.js';
import type { PathSegment } from './yaml-source.js';

type SchemaNode = {
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  oneOf?: SchemaNode[];
  items?: SchemaNode;
  additionalProperties?: boolean | SchemaNode;
};

function deref(node: SchemaNode): SchemaNode {
  if (node.$ref?.startsWith('#/$defs/')) {
    const defs = EXPERIMENT_SCHEMA.$defs as Record<string, SchemaNode>;
    const name = node.$ref.slice('#/$defs/'.length);
    return deref(Object.hasOwn(defs, name) ? defs[name]! : {});
  }
  return node;
}

// A field may be declared by the node itself or by one of its oneOf alternatives
// (a head layer, a freeze rule, a time-to-target goal), or theirs (an optimizer's
// parameters: a name or one of the named optimizers).
function alternatives(node: SchemaNode): SchemaNode[] {
  return [node, ...(node.oneOf ?? []).flatMap((n) => alternatives(deref(n)))];
}

// Own properties only: `constructor` or `__proto__` is no field of the format.
function child(node: SchemaNode, name: string): SchemaNode | undefined {
  const declaring = alternatives(node).find((n) => n.properties != null && Object.hasOwn(n.properties, name));
  const found = declaring?.properties?.[name];
  return found && deref(found);
}

function fields(node: SchemaNode): string[] {
  return [...new Set(alternatives(node).flatMap((n) => Object.keys(n.properties ?? {})))];
}

/** A dotted path checked against the experiment format: its keys, or where it leaves the format. */
export type FieldPath =
  | { readonly ok: true; readonly keys: PathSegment[] }
  | { readonly ok: false; readonly depth: number; readonly fields: string[] };

/**
 * Resolves a dotted path (`train.epochs`, `transfer.head.0.dense.units`, or with
 * `[0]` for list items) to the keys of the file. Inside a mapping whose keys are
 * free (grid), the rest of the path is one key: `grid.train.learningRate` is the
 * grid's `train.learningRate`.
 */
export function resolveFieldPath(path: string): FieldPath {
  const parts = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  const keys: PathSegment[] = [];
  let node = deref(EXPERIMENT_SCHEMA as SchemaNode);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (node.properties == null && typeof node.additionalProperties === 'object') {
      keys.push(parts.slice(i).join('.'));
      return { ok: true, keys };
    }
    if (node.items != null && /^\d+$/.test(part)) {
      keys.push(Number(part));
      node = deref(node.items);
      continue;
    }
    const next = child(node, part);
    if (next == null) return { ok: false, depth: i, fields: fields(node) };
    keys.push(part);
    node = next;
  }
  return { ok: true, keys };
}
