import type { ConfigIssue, SourcePosition } from '../errors.js';
import { quote } from '../quote.js';
import { resolveFieldPath } from './field-path.js';
import { dotted } from './schema-issues.js';
import { didYouMean } from './suggest.js';
import { parseBoundedYaml } from './yaml-limits.js';
import type { PathSegment, YamlSource } from './yaml-source.js';

/** One `--set path=value`: the field it replaces and its new value (undefined removes it). */
export interface Override {
  readonly text: string;
  readonly keys: readonly PathSegment[];
  readonly value: unknown;
}

const issue = (text: string, path: string, message: string, hint?: string): ConfigIssue => ({
  code: 'E_OVERRIDE',
  position: { override: text },
  path,
  message,
  ...(hint ? { hint } : {}),
});

// Names separated by dots; list items as `.0` or `[0]`.
const FIELD_PATH = /^[A-Za-z$][\w$]*(?:\.(?:[A-Za-z$][\w$]*|\d+)|\[\d+\])*$/;

/**
 * Parses `path=value` as Hydra does: the path is a dotted field of the experiment
 * format, the value a YAML scalar or flow collection (`1`, `adam`, `[5, 6]`,
 * `{ upTo: conv2 }`); `null` or `~` removes the field, so its default applies.
 */
export function parseOverride(text: string): Override | ConfigIssue {
  const at = text.indexOf('=');
  const path = at < 0 ? '' : text.slice(0, at).trim();
  if (!FIELD_PATH.test(path)) return issue(text, '', `expected PATH=VALUE, like train.epochs=1 (got ${quote(text)})`);
  const found = resolveFieldPath(path);
  if (!found.ok) {
    const parts = path.replace(/\[(\d+)\]/g, '.$1').split('.');
    const wrong = parts[found.depth]!;
    const parent = found.depth === 0 ? 'the file' : parts.slice(0, found.depth).join('.');
    return issue(text, path, `unknown field ${quote(wrong)} (not a field of ${parent})`,
      didYouMean(wrong, found.fields) ?? (found.fields.length > 0 ? `fields there: ${found.fields.join(', ')}` : undefined));
  }
  const valueText = text.slice(at + 1);
  const parsed = parseBoundedYaml(valueText);
  if ('problems' in parsed) {
    const [problem] = parsed.problems;
    return problem!.code === 'E_YAML'
      ? issue(text, path, `the value is not YAML: ${problem!.message.replace(/^YAML syntax: /, '')}`, "quote the whole option for the shell: --set 'target.data.classes=[5, 6]'")
      : issue(text, path, `the value: ${problem!.message}`, problem!.hint);
  }
  const value: unknown = valueText.trim() === '' ? '' : parsed.data;
  return { text, keys: found.keys, value: value === null ? undefined : value };
}

/**
 * The file's data with the overrides applied in order, as a source whose positions
 * name the override for everything it set, so schema and rule messages about an
 * overridden value point at the command line instead of the file.
 */
export function withOverrides(source: YamlSource, overrides: readonly Override[]): { source: YamlSource; issues: ConfigIssue[] } {
  const data = structuredClone(source.data) as Record<string, unknown>;
  const issues = overrides.flatMap((o) => {
    const problem = assign(data, o.keys, structuredClone(o.value));
    return problem ? [issue(o.text, dotted(o.keys), problem)] : [];
  });
  // A problem at or inside an overridden field is the override's; so is one about a
  // field that holds an override (a head layer whose units were set, a source given
  // both `pretrain` and, by --set, `model`). The last override wins, as it did the set.
  const latestFirst = [...overrides].reverse();
  const locate = (path: readonly PathSegment[], options?: { key?: boolean }): SourcePosition => {
    const by = latestFirst.find((o) => startsWith(path, o.keys) || (path.length > 0 && startsWith(o.keys, path)));
    return by ? { override: by.text } : source.locate(path, options);
  };
  return { source: { file: source.file, data, locate }, issues };
}

function startsWith(path: readonly PathSegment[], prefix: readonly PathSegment[]): boolean {
  return prefix.length <= path.length && prefix.every((k, i) => String(path[i]) === String(k));
}

type Container = Record<string | number, unknown>;

/** Sets (or with undefined, removes) the value at `keys`, creating mappings and lists on the way; a problem as text. */
function assign(root: Container, keys: readonly PathSegment[], value: unknown): string | undefined {
  let node: Container = root;
  for (const [i, key] of keys.entries()) {
    if (value === undefined && !Object.hasOwn(node, key)) return undefined; // nothing there to remove
    if (Array.isArray(node) && typeof key === 'number' && key > node.length) {
      return `there is no item ${key}: ${dotted(keys.slice(0, i))} has ${node.length} (a new item goes at index ${node.length})`;
    }
    if (i === keys.length - 1) break;
    let next = Object.hasOwn(node, key) ? node[key] : undefined;
    if (next == null || typeof next !== 'object') {
      next = typeof keys[i + 1] === 'number' ? [] : {};
      node[key] = next;
    }
    node = next as Container;
  }
  const last = keys[keys.length - 1]!;
  if (value !== undefined) node[last] = value;
  else if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
  else delete node[last];
  return undefined;
}
