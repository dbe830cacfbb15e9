import type { BackendName } from '../engine/backend-name.js';
import { initBackend } from '../engine/init-backend.js';
import { deviceLost } from '../engine/start-webgpu.js';
import { runTask } from './run-task.js';
import { serializeError, type TaskRequest, type WorkerMessage } from './task-messages.js';

// A worker process with its own TensorFlow.js backend, kept warm across tasks; it
// runs one task at a time (their seeded randomness relies on it).

if (process.send == null) throw new Error('execute/worker.js must be started by the worker pool (child_process.fork)');
const send = (message: WorkerMessage) => process.send!(message);
// The runner gone (even by kill -9) closes the channel: nothing left to work for.
process.on('disconnect', () => process.exit(0));
// Ctrl-C in a terminal reaches the whole process group: the runner decides whether
// running tasks finish (first) or everything ends (second), not each worker.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);

// The backend and the exact package the runner chose (under auto, tfjs-node-gpu or
// tfjs-node): a worker must compute with what the run records.
await initBackend(process.argv[2] as BackendName, { package: process.argv[3] });
send({ type: 'ready' });

process.on('message', async (request: TaskRequest) => {
  try {
    injectFault(request.key);
    const result = await runTask(request, (epoch, epochs, point) =>
      send({ type: 'progress', key: request.key, epoch, epochs, score: Object.values(point.val)[0] }));
    send({ type: 'done', key: request.key, result });
  } catch (error) {
    // A wasm abort (memory exhausted) or out-of-bounds access leaves the backend's
    // memory unusable, as a lost WebGPU device does: every later task here would fail
    // too. The worker says so; the pool ends it and starts a new one for the next task.
    const lost = deviceLost();
    const fatal = error instanceof WebAssembly.RuntimeError || lost != null;
    send({ type: 'failed', key: request.key, error: serializeError(lost != null ? withCause(error, lost) : error), ...(fatal ? { fatal } : {}) });
  }
});

/** The error, its message naming the lost device: the failure's real cause. */
function withCause(error: unknown, cause: string): unknown {
  if (!(error instanceof Error)) return new Error(`${String(error)} (${cause})`);
  error.message = `${error.message} (${cause})`;
  return error;
}

/**
 * Failure injection for tests of the pool's isolation: TLX_INJECT_FAULT is a
 * comma-separated list of <throw|pid|wasm|exit|kill>:<task key prefix>; the task throws
 * (naming its worker's pid, or as a broken wasm backend does), exits its worker, or
 * has it killed by SIGKILL (as the kernel's OOM killer would).
 * The thrown error carries a code, as tlx's own errors do, to show it is kept.
 */
function injectFault(key: string): void {
  for (const fault of (process.env.TLX_INJECT_FAULT ?? '').split(',')) {
    const [how, prefix] = fault.split(':');
    if (prefix == null || prefix === '' || !key.startsWith(prefix)) continue;
    if (how === 'throw') throw Object.assign(new Error(`injected fault in ${key}`), { code: 'E_INJECTED', hint: 'TLX_INJECT_FAULT is set' });
    if (how === 'wasm') throw new WebAssembly.RuntimeError(`injected wasm failure in ${key}`);
    if (how === 'pid') throw new Error(`injected fault in ${key} by process ${process.pid}`);
    if (how === 'exit') process.exit(3);
    if (how === 'kill') process.kill(process.pid, 'SIGKILL');
  }
}
