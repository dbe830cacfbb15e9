import { Worker } from 'node:worker_threads';
import pLimit from 'p-limit';
import type { BackendName } from '../engine/backend-name.js';
import { TrialError } from '../errors.js';
import { packagePath } from '../package-root.js';
import type { TaskRequest, TaskResults, WorkerMessage, WorkerSetup } from './task-messages.js';

export interface TaskProgress {
  readonly key: string;
  readonly epoch: number;
  readonly epochs: number;
  readonly score?: number;
}

/** Runs tasks, at most `size` at once, each on a worker thread with a warm backend. */
export interface Executor {
  run<K extends TaskRequest['kind']>(request: Extract<TaskRequest, { kind: K }>): Promise<TaskResults[K]>;
  close(): Promise<void>;
}

interface Slot {
  readonly worker: Worker;
  readonly ready: Promise<void>;
}

/**
 * A pool of worker threads (built code: dist/src/execute/worker.js). p-limit bounds
 * how many tasks run; a free worker is taken for each. A worker that dies fails
 * its task and is replaced.
 */
export function workerPool(size: number, backend: BackendName, onProgress: (p: TaskProgress) => void): Executor {
  const limit = pLimit(size);
  const idle: Slot[] = [];
  const all = new Set<Slot>();
  const entry = packagePath('dist', 'src', 'execute', 'worker.js');

  const spawn = (): Slot => {
    const worker = new Worker(entry, { workerData: { backend } satisfies WorkerSetup });
    const ready = new Promise<void>((resolve, reject) => {
      worker.once('message', (m: WorkerMessage) => (m.type === 'ready' ? resolve() : reject(new Error('worker did not start'))));
      worker.once('error', reject);
    });
    const slot: Slot = { worker, ready };
    all.add(slot);
    return slot;
  };

  const runOn = <K extends TaskRequest['kind']>(slot: Slot, request: Extract<TaskRequest, { kind: K }>) =>
    new Promise<TaskResults[K]>((resolve, reject) => {
      const onMessage = (m: WorkerMessage) => {
        if (m.type === 'progress' && m.key === request.key) onProgress(m);
        else if (m.type === 'done' && m.key === request.key) finish(() => resolve(m.result as TaskResults[K]));
        else if (m.type === 'failed' && m.key === request.key) finish(() => reject(new TrialError(request.key, m.error.message, m.error.stack)));
      };
      const onExit = (code: number) => finish(() => reject(new TrialError(request.key, `worker exited with code ${code} during the task`)));
      const finish = (settle: () => void) => {
        slot.worker.off('message', onMessage);
        slot.worker.off('exit', onExit);
        settle();
      };
      slot.worker.on('message', onMessage);
      slot.worker.on('exit', onExit);
      slot.worker.postMessage(request);
    });

  return {
    run: (request) => limit(async () => {
      const slot = idle.pop() ?? spawn();
      await slot.ready;
      try {
        const result = await runOn(slot, request);
        idle.push(slot);
        return result;
      } catch (error) {
        // A task that threw leaves its worker usable; a worker that exited is replaced.
        if (slot.worker.threadId >= 0) idle.push(slot);
        else all.delete(slot);
        throw error;
      }
    }),
    close: async () => {
      await Promise.all([...all].map((s) => s.worker.terminate()));
      all.clear();
    },
  };
}
