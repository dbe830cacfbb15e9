import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { isLock, tryLock } from '../../src/results/file-lock.js';
import type { TrialRecord } from '../../src/results/trial-record.js';
import { appendTrial, readTrials, repairTornTail } from '../../src/results/trials-log.js';

const record = (trial: string): TrialRecord => ({ trial, pointId: 'p', point: {}, repeat: 0, seed: 1, status: 'ok', finishedAt: 'now' });

it('a torn last line is cut before the next append, so no record is glued to a fragment', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'tlx-log-')), 'trials.jsonl');
  appendTrial(path, record('a'));
  const whole = readFileSync(path, 'utf8');
  writeFileSync(path, `${whole}${JSON.stringify(record('b')).slice(0, 17)}`); // died mid-write
  expect(readTrials(path).map((r) => r.trial)).toEqual(['a']);
  expect(repairTornTail(path)).toBe(17);
  appendTrial(path, record('c'));
  expect(readTrials(path).map((r) => r.trial)).toEqual(['a', 'c']);
  expect(repairTornTail(path)).toBe(0);
});

it('a lock is exclusive while its holder lives, and taken over once that process is gone', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'tlx-lock-')), 'run.lock');
  const first = tryLock(path, 'first');
  expect(isLock(first)).toBe(true);
  expect(tryLock(path, 'second')).toMatchObject({ pid: process.pid, host: hostname(), purpose: 'first' });
  if (isLock(first)) first.release();
  // A process that has exited: its pid no longer exists.
  const gone = Number(execFileSync('node', ['-e', 'process.stdout.write(String(process.pid))']).toString());
  writeFileSync(path, JSON.stringify({ pid: gone, host: hostname(), since: '', purpose: 'crashed' }));
  const taken = tryLock(path, 'after a crash');
  expect(isLock(taken)).toBe(true);
  expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid, purpose: 'after a crash' });
});
