import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node } from 'yaml';
import type { ConfigIssue, SourcePosition } from '../errors.js';
import { parseBoundedYaml } from './yaml-limits.js';

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
  const parsed = parseBoundedYaml(text, lineCounter.addNewLine);
  if ('problems' in parsed) {
    return { issues: parsed.problems.map((p) => ({ code: p.code, position: at(p.offset), path: '', message: p.message, ...(p.hint ? { hint: p.hint } : {}) })) };
  }
  const { doc, data } = parsed;
  return { issues: [], source: { file, data, locate: (path, options) => at(offsetOf(doc, path, options?.key === true)) } };
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
