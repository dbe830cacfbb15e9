import { existsSync, readFileSync } from 'node:fs';
import { appendLine } from './atomic-write.js';
import type { TrialRecord } from './trial-record.js';

/**
 * The finished trials of a run, one JSON line each. A last line cut short by a
 * crash is ignored (and rewritten when its trial runs again).
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

/** A failed trial stays in the log; a later success of the same trial supersedes it. */
export function latestRecords(records: readonly TrialRecord[]): TrialRecord[] {
  const byTrial = new Map<string, TrialRecord>();
  for (const r of records) if (r.status !== 'failed' || !byTrial.has(r.trial)) byTrial.set(r.trial, r);
  return [...byTrial.values()];
}
