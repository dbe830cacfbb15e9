import { type Document, isAlias, isMap, isPair, isSeq, type Node, parseDocument, Parser, type YAMLError } from 'yaml';
import { formatCount, quote } from '../quote.js';

/** The deepest nesting of mappings and lists in an experiment file (its own need is under 10). */
export const MAX_DEPTH = 32;

/** The most values an experiment file may hold, each use of an alias counting all it repeats. */
export const MAX_VALUES = 100_000;

/** Why a YAML text is refused (bad syntax, a limit passed, a tag): where, and what to say. */
export interface YamlProblem {
  readonly code: string;
  readonly offset: number;
  readonly message: string;
  readonly hint?: string;
}

/**
 * One YAML document's value, parsed within the limits (size of the expansion,
 * depth) and refusing what tlx would otherwise drop or mistake: tags it does not
 * know, a second document, aliases in a cycle. For files and `--set` values alike.
 */
export function parseBoundedYaml(text: string, onNewLine?: (offset: number) => void): { doc: Document; data: unknown } | { problems: YamlProblem[] } {
  const tooDeep = depthProblem(text, onNewLine);
  if (tooDeep) return { problems: [tooDeep] };
  const doc = parseDocument(text, { uniqueKeys: true });
  const problems: YamlProblem[] = [
    ...doc.errors.map((e) => ({ code: 'E_YAML', offset: e.pos[0], ...syntaxMessage(e) })),
    ...doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED').map((w) => ({
      code: 'E_YAML_TAG',
      offset: w.pos[0],
      message: `unknown YAML tag ${quote(text.slice(w.pos[0], w.pos[1]))}: experiment files hold plain values`,
      hint: 'remove the tag; a value that must stay text goes in quotes',
    })),
  ];
  const aliases = problems.length === 0 ? aliasProblem(doc) : undefined;
  if (aliases) problems.push(aliases);
  if (problems.length > 0) return { problems };
  return { doc, data: doc.toJS({ maxAliasCount: -1 }) }; // aliasProblem has bounded what they expand to
}

// The yaml library's message without its position (the issue has one) or its advice to callers.
function syntaxMessage(e: YAMLError): { message: string; hint?: string } {
  if (e.code === 'MULTIPLE_DOCS') {
    return { message: 'a second YAML document (after ---): an experiment file holds one', hint: 'remove the --- line, or put each experiment in its own file' };
  }
  return { message: `YAML syntax: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}` };
}

type CstToken = { type: string; offset: number; value?: CstToken; items?: { key?: CstToken | null; value?: CstToken | null }[] };

/**
 * How deeply the text nests, measured on the parser's token tree without recursion
 * (composing 10,000 nested lists overflows the stack before it can say so);
 * `onNewLine` receives the offset of each line, as for a LineCounter.
 */
function depthProblem(text: string, onNewLine?: (offset: number) => void): YamlProblem | undefined {
  let deepest = 0;
  let first: number | undefined;
  const stack: [CstToken, number][] = [];
  for (const token of new Parser(onNewLine).parse(text)) stack.push([token as CstToken, 0]);
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [token, outer] = next;
    const depth = token.items ? outer + 1 : outer;
    if (depth > MAX_DEPTH && (first == null || token.offset < first)) first = token.offset;
    deepest = Math.max(deepest, depth);
    if (token.value) stack.push([token.value, depth]);
    for (const item of token.items ?? []) {
      if (item.key) stack.push([item.key, depth]);
      if (item.value) stack.push([item.value, depth]);
    }
  }
  if (first == null) return undefined;
  return {
    code: 'E_YAML_DEPTH',
    offset: first,
    message: `values nested ${formatCount(deepest)} levels deep; experiment files nest at most ${MAX_DEPTH} levels`,
  };
}

/**
 * Aliases that repeat the value holding them (a cycle no JSON can hold), or that
 * repeat values until the file expands past MAX_VALUES (the "billion laughs").
 * The document's depth is already bounded, so plain recursion is safe here.
 */
function aliasProblem(doc: Document): YamlProblem | undefined {
  const sizes = new Map<unknown, number>();
  const open = new Set<unknown>();
  let aliases = 0;
  let cycle: { offset: number; source: string } | undefined;
  const size = (node: unknown): number => {
    if (isAlias(node)) {
      const target = node.resolve(doc);
      aliases++;
      if (open.has(target)) {
        cycle ??= { offset: node.range?.[0] ?? 0, source: node.source };
        return 0;
      }
      return target ? size(target) : 1;
    }
    const known = sizes.get(node);
    if (known != null) return known;
    open.add(node);
    let total = 1;
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items) total += isPair(item) ? size(item.key) + size(item.value) : size(item);
    }
    open.delete(node);
    sizes.set(node, total);
    return total;
  };
  const total = size(doc.contents);
  if (cycle) {
    return {
      code: 'E_YAML_ALIAS',
      offset: cycle.offset,
      message: `alias *${cycle.source} repeats a value that contains the alias itself`,
      hint: 'an alias repeats a value anchored (&name) outside it; copy the value instead',
    };
  }
  if (total <= MAX_VALUES) return undefined;
  return {
    code: 'E_YAML_SIZE',
    offset: overflowAt(doc.contents, size),
    message: `the file expands to ${formatCount(total)} values (each alias counting all it repeats); experiment files are limited to ${formatCount(MAX_VALUES)}`,
    ...(aliases > 0 ? { hint: 'aliases that repeat aliases multiply: write the values out, or repeat fewer of them' } : {}),
  };
}

// The offset of the alias (or value) at which the running count first passes MAX_VALUES.
function overflowAt(root: unknown, size: (node: unknown) => number): number {
  let count = 0;
  const visit = (node: unknown): number | undefined => {
    if (node == null) return undefined;
    const here = (node as Node).range?.[0] ?? 0;
    if (isAlias(node) || !(isMap(node) || isSeq(node))) {
      count += size(node);
      return count > MAX_VALUES ? here : undefined;
    }
    count += 1;
    for (const item of node.items) {
      const found = isPair(item) ? visit(item.key) ?? visit(item.value) : visit(item);
      if (found != null) return found;
    }
    return undefined;
  };
  return visit(root) ?? 0;
}
