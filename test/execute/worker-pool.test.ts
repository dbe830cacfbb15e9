import { afterAll, describe, expect, it } from 'vitest';
import type { TaskRequest } from '../../src/execute/task-messages.js';
import { workerPool } from '../../src/execute/worker-pool.js';

// A worker whose wasm backend failed (an abort when its memory ran out) cannot run
// another task: the pool ends it and gives the next task a new worker. Faults are
// injected before a task runs, so the requests need no experiment.

const previous = process.env.TLX_INJECT_FAULT;
process.env.TLX_INJECT_FAULT = 'pid:pid-,wasm:wasm-';
afterAll(() => {
  if (previous == null) delete process.env.TLX_INJECT_FAULT;
  else process.env.TLX_INJECT_FAULT = previous;
});

const request = (key: string) => ({ kind: 'probe', key }) as unknown as Extract<TaskRequest, { kind: 'probe' }>;
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('the task did not fail'); }, (e: Error & { code?: string }) => e);
const pidOf = (e: Error) => Number(/by process (\d+)/.exec(e.message)?.[1]);

describe('the worker pool', () => {
  it('replaces a worker whose wasm backend failed, and keeps one whose task merely threw', async () => {
    const pool = workerPool(1, { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm' }, () => undefined);
    try {
      const first = pidOf(await failure(pool.run(request('pid-1'))));
      expect(pidOf(await failure(pool.run(request('pid-2'))))).toBe(first);
      const broken = await failure(pool.run(request('wasm-1')));
      expect(broken.message).toContain('injected wasm failure');
      const next = pidOf(await failure(pool.run(request('pid-3'))));
      expect(next).toBeGreaterThan(0);
      expect(next).not.toBe(first);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
