import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, type Document } from 'yaml';
import type { ConfigIssue, SourcePosition } from '../errors.js';

export type PathSegment = string | number;

/** A parsed YAML file that can say where each value came from. */
export interface YamlSource {
  readonly file: string;
  readonly data: unknown;
  /** Position of the value at `path`, or of its key with `key: true`; the deepest existing ancestor otherwise. */
  locate(path: readonly PathSegment[], options?: { key?: boolean }): SourcePosition;
}

/** Parses YAML text; syntax errors come back as issues, all of them. */
export function parseYaml(text: string, file: string): { source?: YamlSource; issues: ConfigIssue[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col };
  };
  const issues: ConfigIssue[] = doc.errors.map((e) => ({
    code: 'E_YAML',
    position: at(e.pos[0]),
    path: '',
    message: `YAML syntax: ${e.message.split('\n')[0]}`,
  }));
  if (issues.length > 0) return { issues };
  return {
    issues,
    source: {
      file,
      data: doc.toJS({ maxAliasCount: 100 }),
      locate: (path, options) => at(offsetOf(doc, path, options?.key === true)),
    },
  };
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
