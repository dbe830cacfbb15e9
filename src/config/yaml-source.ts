import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, type Document, type YAMLError } from 'yaml';
import type { ConfigIssue, SourcePosition } from '../errors.js';
import { quote } from '../quote.js';
import { aliasProblem, depthProblem, type LimitProblem } from './yaml-limits.js';

export type PathSegment = string | number;

/** A parsed YAML file that can say where each value came from. */
export interface YamlSource {
  readonly file: string;
  readonly data: unknown;
  /** Position of the value at `path`, or of its key with `key: true`; the deepest existing ancestor otherwise. */
  locate(path: readonly PathSegment[], options?: { key?: boolean }): SourcePosition;
}

/** Parses YAML text; syntax errors come back as issues, all of them, and so does going past a limit. */
export function parseYaml(text: string, file: string): { source?: YamlSource; issues: ConfigIssue[] } {
  const lineCounter = new LineCounter();
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col };
  };
  const problem = (p: LimitProblem): ConfigIssue => ({ code: p.code, position: at(p.offset), path: '', message: p.message, ...(p.hint ? { hint: p.hint } : {}) });
  const tooDeep = depthProblem(text, lineCounter.addNewLine);
  if (tooDeep) return { issues: [problem(tooDeep)] };
  const doc = parseDocument(text, { uniqueKeys: true });
  const issues: ConfigIssue[] = [
    ...doc.errors.map((e) => problem({ code: 'E_YAML', offset: e.pos[0], ...syntaxMessage(e) })),
    ...doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED').map((w) => problem({
      code: 'E_YAML_TAG',
      offset: w.pos[0],
      message: `unknown YAML tag ${quote(text.slice(w.pos[0], w.pos[1]))}: experiment files hold plain values`,
      hint: 'remove the tag; a value that must stay text goes in quotes',
    })),
  ];
  const aliases = issues.length === 0 ? aliasProblem(doc) : undefined;
  if (aliases) issues.push(problem(aliases));
  if (issues.length > 0) return { issues };
  return {
    issues,
    source: {
      file,
      data: doc.toJS({ maxAliasCount: -1 }), // aliasProblem has bounded what they expand to
      locate: (path, options) => at(offsetOf(doc, path, options?.key === true)),
    },
  };
}

// The yaml library's message without its position (the issue has one) or its advice to callers.
function syntaxMessage(e: YAMLError): { message: string; hint?: string } {
  if (e.code === 'MULTIPLE_DOCS') {
    return { message: 'a second YAML document (after ---): an experiment file holds one', hint: 'remove the --- line, or put each experiment in its own file' };
  }
  return { message: `YAML syntax: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}` };
}

function offsetOf(doc: Document, path: readonly PathSegment[], key: boolean): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return offset;
      if (last && key) return rangeStart(pair.key) ?? offset;
      node = pair.value;
      offset = rangeStart(node) ?? rangeStart(pair.key) ?? offset;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      if (node == null) return offset;
      offset = rangeStart(node) ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}
