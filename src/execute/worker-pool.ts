import { type ChildProcess, fork } from 'node:child_process';
import pLimit from 'p-limit';
import type { BackendInfo } from '../engine/init-backend.js';
import { InterruptedError, TrialError } from '../errors.js';
import { packagePath } from '../package-root.js';
import { type TaskRequest, type TaskResults, taskError, type WorkerMessage } from './task-messages.js';

export interface TaskProgress {
  readonly key: string;
  readonly epoch: number;
  readonly epochs: number;
  readonly score?: number;
}

/** How the message of a task the pool never started (the run was interrupted) ends; a progress view counts it as not run. */
export const NOT_STARTED = 'not started: the run was interrupted';

/** Runs tasks, at most `size` at once, each in a worker process with a warm backend. */
export interface Executor {
  run<K extends TaskRequest['kind']>(request: Extract<TaskRequest, { kind: K }>): Promise<TaskResults[K]>;
  /** Stops taking tasks: those not started are rejected with InterruptedError. */
  stop(): void;
  /** Ends every worker, running or not. */
  close(): Promise<void>;
}

interface Slot {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  exited: boolean;
  /** Its backend failed (a wasm abort): it is ended after its task. */
  retired?: boolean;
}

/**
 * A pool of worker processes (built code: dist/src/execute/worker.js). Processes,
 * not threads: a task that crashes its worker, exhausts its memory or is killed
 * takes only that worker down. p-limit bounds how many tasks run; a dead worker
 * fails its task (with the exit code or signal) and is replaced by the next task.
 */
export function workerPool(
  size: number, backend: Pick<BackendInfo, 'name' | 'package'>, onProgress: (p: TaskProgress) => void, onStart?: (key: string) => void,
): Executor {
  const limit = pLimit(size);
  const idle: Slot[] = [];
  const all = new Set<Slot>();
  const entry = packagePath('dist', 'src', 'execute', 'worker.js');
  let stopped = false;

  const spawn = (): Slot => {
    // 'advanced' serialization keeps typed arrays and Error-like objects intact.
    const child = fork(entry, [backend.name, backend.package], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const slot: Slot = {
      child,
      exited: false,
      ready: new Promise<void>((resolve, reject) => {
        child.once('message', (m: WorkerMessage) => (m.type === 'ready' ? resolve() : reject(new Error('worker did not start'))));
        child.once('exit', (code, signal) => reject(new Error(`worker could not start (${exitDescription(code, signal)})`)));
      }),
    };
    child.once('exit', () => {
      slot.exited = true;
      all.delete(slot);
    });
    all.add(slot);
    return slot;
  };

  const runOn = <K extends TaskRequest['kind']>(slot: Slot, request: Extract<TaskRequest, { kind: K }>) =>
    new Promise<TaskResults[K]>((resolve, reject) => {
      const onMessage = (m: WorkerMessage) => {
        if (m.type === 'progress' && m.key === request.key) onProgress(m);
        else if (m.type === 'done' && m.key === request.key) finish(() => resolve(m.result as TaskResults[K]));
        else if (m.type === 'failed' && m.key === request.key) {
          // A worker whose backend broke takes no further task.
          if (m.fatal) slot.retired = true;
          finish(() => reject(taskError(request.key, m.error)));
        }
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
        finish(() => reject(new TrialError(request.key, `worker process ${exitDescription(code, signal)} during the task`, { code: 'E_WORKER_EXIT' })));
      const finish = (settle: () => void) => {
        slot.child.off('message', onMessage);
        slot.child.off('exit', onExit);
        settle();
      };
      slot.child.on('message', onMessage);
      slot.child.on('exit', onExit);
      slot.child.send(request);
    });

  return {
    run: (request) => limit(async () => {
      if (stopped) throw new InterruptedError(`${request.key} ${NOT_STARTED}`);
      const slot = idle.pop() ?? spawn();
      await slot.ready;
      onStart?.(request.key);
      try {
        return await runOn(slot, request);
      } finally {
        // A task that threw leaves its worker usable; a dead or broken one is not reused.
        if (!slot.exited && !slot.retired) idle.push(slot);
        else if (!slot.exited) slot.child.kill('SIGKILL');
      }
    }),
    stop: () => {
      stopped = true;
    },
    close: async () => {
      await Promise.all([...all].map((slot) => new Promise<void>((resolve) => {
        if (slot.exited) return resolve();
        slot.child.once('exit', () => resolve());
        slot.child.kill('SIGKILL');
      })));
      all.clear();
    },
  };
}

/** "killed by SIGKILL (out of memory, or killed from outside)" or "exited with code 3". */
function exitDescription(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal === 'SIGKILL') return 'was killed by SIGKILL (out of memory, or killed from outside)';
  if (signal === 'SIGABRT' || code === 134) return 'aborted (SIGABRT: out of JavaScript heap?)';
  if (signal != null) return `was killed by ${signal}`;
  return `exited with code ${code}`;
}
