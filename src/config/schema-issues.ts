import type { ErrorObject } from 'ajv';
import type { ConfigIssue } from '../errors.js';
import { quote } from '../quote.js';
import { EXPERIMENT_SCHEMA } from './schema.js';
import { didYouMean } from './suggest.js';
import type { PathSegment, YamlSource } from './yaml-source.js';

/** `/source/cut` -> ['source', 'cut'] (JSON pointer unescaping, numeric indices). */
export function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => {
    const key = s.replaceAll('~1', '/').replaceAll('~0', '~');
    return /^\d+$/.test(key) ? Number(key) : key;
  });
}

export function dotted(path: readonly PathSegment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/**
 * Turns ajv's errors into one issue per real problem: a failed oneOf is reported
 * once, with what the field accepts, instead of once per alternative; or, when the
 * value has the shape of one alternative and fails only inside it (a dense layer
 * with too many units), by what is wrong inside.
 */
export function schemaIssues(errors: readonly ErrorObject[], source: YamlSource): ConfigIssue[] {
  const failed = errors.filter((e) => e.keyword === 'oneOf');
  const meant = new Map(failed.map((o) => [o, meantAlternative(o, errors)]));
  // Under a failed oneOf, only the errors of the alternative meant (when one is) are shown.
  const hidden = (e: ErrorObject) => failed.some((o) => {
    const alternative = meant.get(o);
    return within(e, o) && !(alternative != null && within(e, o, alternative));
  });
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (hidden(e) || e.keyword === 'if' || meant.get(e) != null) continue;
    const issue = toIssue(e, source);
    const key = `${issue.path}\u0000${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

// Whether `e` is an error under the oneOf `o` (under its alternative `alternative`, when given).
function within(e: ErrorObject, o: ErrorObject, alternative = o.schemaPath): boolean {
  const at = e.instancePath === o.instancePath || e.instancePath.startsWith(`${o.instancePath}/`);
  return at && e.schemaPath.startsWith(`${alternative}/`);
}

// The one alternative whose every error lies below the value itself, or undefined.
function meantAlternative(o: ErrorObject, errors: readonly ErrorObject[]): string | undefined {
  const byAlternative = new Map<string, ErrorObject[]>();
  for (const e of errors.filter((x) => x !== o && within(x, o))) {
    const alternative = `${o.schemaPath}/${e.schemaPath.slice(o.schemaPath.length + 1).split('/')[0]}`;
    byAlternative.set(alternative, [...(byAlternative.get(alternative) ?? []), e]);
  }
  const deeper = [...byAlternative].filter(([, es]) => es.every((e) => e.instancePath.length > o.instancePath.length));
  if (deeper.length === 1) return deeper[0]![0];
  // Or the one alternative that declares the value's type and fails only by a name
  // (a name or a mapping accepted, and an optimizer or a field of it misspelt or
  // missing): its message lists the names and suggests one.
  const declared = (alternative: string) => (o.schema as { type?: unknown }[])[Number(alternative.split('/').pop())]?.type != null;
  const NAMING = ['enum', 'discriminator', 'additionalProperties', 'required'];
  const naming = (e: ErrorObject) => e.instancePath.length > o.instancePath.length || NAMING.includes(e.keyword);
  const named = [...byAlternative].filter(([alternative, es]) => declared(alternative) && es.every(naming));
  return deeper.length === 0 && named.length === 1 ? named[0]![0] : undefined;
}

function toIssue(e: ErrorObject, source: YamlSource): ConfigIssue {
  const path = pointerToPath(e.instancePath);
  const schema = (e.parentSchema ?? {}) as { description?: string; properties?: Record<string, unknown> };
  const issue = (message: string, at: PathSegment[] = path, hint?: string, key = false): ConfigIssue => ({
    code: `E_SCHEMA_${e.keyword.toUpperCase()}`,
    position: source.locate(at, { key }),
    path: dotted(at),
    message,
    ...(hint ? { hint } : {}),
  });
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const allowed = Object.keys(schema.properties ?? {});
      const hint = didYouMean(name, allowed) ?? (allowed.length ? `allowed here: ${allowed.join(', ')}` : undefined);
      return issue(`unknown field ${quote(name)}`, [...path, name], hint, true);
    }
    case 'required':
      return issue(`missing required field '${String(params.missingProperty)}'`);
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const hint = typeof e.data === 'string' ? didYouMean(e.data, allowed) : undefined;
      return issue(`expected one of ${allowed.map((v) => `'${v}'`).join(', ')} (got ${quote(e.data)})`, path, hint);
    }
    case 'discriminator': {
      // A mapping that names one of several kinds (an optimizer's name): the kinds are its alternatives' consts.
      const tag = String(params.tag);
      const kinds = kindsOf((e.parentSchema as { oneOf?: SchemaRef[] }).oneOf ?? [], tag);
      if (params.error === 'tag') {
        return issue(`missing required field '${tag}' (one of ${kinds.map((k) => `'${k}'`).join(', ')})`, path,
          `a mapping here names its kind beside its other fields, e.g. { ${tag}: ${kinds[0]}, ... }`);
      }
      const got = (e.data as Record<string, unknown>)[tag];
      return issue(`expected one of ${kinds.map((k) => `'${k}'`).join(', ')} (got ${quote(got)})`, [...path, tag],
        typeof got === 'string' ? didYouMean(got, kinds) : undefined);
    }
    case 'oneOf':
    case 'const':
      return issue(`expected ${schema.description ? lowerFirst(schema.description) : 'a different value'} (got ${quote(e.data)})`);
    case 'type':
      // YAML reads `background: #ffffff` as a key without a value: the # starts a comment.
      return issue(`expected ${article(String(params.type))} (got ${quote(e.data)})`, path,
        e.data === null ? "the value is empty; a value starting with '#' must be quoted (YAML reads # as the start of a comment)" : undefined);
    case 'pattern':
      return issue(`${quote(e.data)} does not match ${String(params.pattern)}`, path, schema.description);
    case 'propertyNames':
      return issue(`${quote(String(params.propertyName))} is not a dotted path to a field (like train.learningRate)`, [...path, String(params.propertyName)], undefined, true);
    default:
      return issue(`${e.message ?? 'invalid'} (got ${quote(e.data)})`);
  }
}

type SchemaRef = { $ref?: string; properties?: Record<string, { const?: unknown }> };

// The tag's value each alternative of a discriminated oneOf stands for.
function kindsOf(alternatives: readonly SchemaRef[], tag: string): string[] {
  const defs = EXPERIMENT_SCHEMA.$defs as Record<string, SchemaRef>;
  return alternatives.map((alt) => String((alt.$ref ? defs[alt.$ref.replace('#/$defs/', '')] : alt)?.properties?.[tag]?.const));
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1).replace(/\.$/, '');
}

function article(type: string): string {
  const words = type.split(',').map((t) => ({ integer: 'an integer', object: 'a mapping', array: 'a list', string: 'a string', number: 'a number', boolean: 'true or false', null: 'null' })[t] ?? t);
  return words.join(' or ');
}
