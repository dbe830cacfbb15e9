import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, readSync, fstatSync } from 'node:fs';
import { appendLine } from './atomic-write.js';
import type { TrialRecord } from './trial-record.js';

/**
 * The finished trials of a run, one JSON line each. A last line cut short by a
 * crash is ignored (and removed by repairTornTail before the run appends again).
 */
export function readTrials(path: string): TrialRecord[] {
  if (!existsSync(path)) return [];
  const records: TrialRecord[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as TrialRecord);
    } catch {
      // a torn line from an interrupted write
    }
  }
  return records;
}

export function appendTrial(path: string, record: TrialRecord): void {
  appendLine(path, JSON.stringify(record));
}

/**
 * Cuts a torn last line (no newline: the process died mid-write) so the next
 * append starts a line of its own instead of gluing onto the fragment. Returns
 * the bytes removed. Call it holding the run's lock.
 */
export function repairTornTail(path: string): number {
  if (!existsSync(path)) return 0;
  const fd = openSync(path, 'r+');
  try {
    const size = fstatSync(fd).size;
    let end = size;
    const byte = Buffer.alloc(1);
    while (end > 0 && (readSync(fd, byte, 0, 1, end - 1), byte[0] !== 0x0a)) end--;
    if (end < size) ftruncateSync(fd, end);
    return size - end;
  } finally {
    closeSync(fd);
  }
}

/** A failed trial stays in the log; a later success of the same trial supersedes it. */
export function latestRecords(records: readonly TrialRecord[]): TrialRecord[] {
  const byTrial = new Map<string, TrialRecord>();
  for (const r of records) if (r.status !== 'failed' || !byTrial.has(r.trial)) byTrial.set(r.trial, r);
  return [...byTrial.values()];
}
