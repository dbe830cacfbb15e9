import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { History, Outcome, Suggestion } from '../plan/search/strategy.js';
import { appendLine } from './atomic-write.js';
import { waitForLock } from './file-lock.js';
import { repairTornTail } from './trials-log.js';

/** Who took a suggestion: a shard (or the one process of an unsharded run), with its process for the curious. */
export interface Owner {
  readonly owner: string;
  readonly pid: number;
  readonly host: string;
}

/** One line of a search journal: a configuration proposed, or what its trials came to. */
export type JournalLine =
  | ({ readonly kind: 'suggest'; readonly at: string } & Suggestion & Owner)
  | ({ readonly kind: 'outcome'; readonly at: string } & Outcome);

/** A journal read back: the strategy's history, and who took each suggestion. */
export interface Journal {
  readonly history: History;
  readonly owners: ReadonlyMap<number, Owner>;
}

/**
 * Reads a journal (append-only, a whole line per write as trials.jsonl). A torn
 * last line is ignored; a suggestion out of sequence (numbered other than its
 * place) is not trusted and ends the history there; an outcome counts once.
 */
export function readJournal(path: string): Journal {
  const suggestions: Suggestion[] = [];
  const outcomes = new Map<number, Outcome>();
  const owners = new Map<number, Owner>();
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let entry: JournalLine;
    try {
      entry = JSON.parse(line) as JournalLine;
    } catch {
      continue; // a torn line from an interrupted write
    }
    if (entry.kind === 'suggest') {
      if (entry.index !== suggestions.length) break;
      const { kind: _k, at: _a, owner, pid, host, ...suggestion } = entry;
      suggestions.push(suggestion);
      owners.set(entry.index, { owner, pid, host });
    } else if (entry.kind === 'outcome' && !outcomes.has(entry.index) && entry.index < suggestions.length) {
      outcomes.set(entry.index, { index: entry.index, status: entry.status, score: entry.score });
    }
  }
  return { history: { suggestions, outcomes }, owners };
}

/** The owner line of this process, for a shard name. */
export function ownerOf(owner: string): Owner {
  return { owner, pid: process.pid, host: hostname() };
}

/**
 * Runs `f` on the journal as it is now, holding its lock (`<journal>.lock`, the
 * run folder's file system's O_EXCL, so shards on several machines take turns),
 * with a torn tail cut first; what `f` returns is appended before the lock goes.
 * `f` must be synchronous: nothing else may change the journal meanwhile.
 */
export async function underJournal<T>(path: string, f: (journal: Journal) => { lines: readonly JournalLine[]; value: T }): Promise<T> {
  const lock = await waitForLock(`${path}.lock`, 'updating the search journal', 50);
  try {
    repairTornTail(path);
    const { lines, value } = f(readJournal(path));
    for (const line of lines) appendLine(path, JSON.stringify(line));
    return value;
  } finally {
    lock.release();
  }
}
