import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../engine/init-backend.js';
import { runTask } from './run-task.js';
import type { TaskRequest, WorkerMessage, WorkerSetup } from './task-messages.js';

// A worker thread with its own TensorFlow.js backend, kept warm across tasks; it
// runs one task at a time (their seeded randomness relies on it).

const port = parentPort;
if (port == null) throw new Error('execute/worker.js must run as a worker thread');
const send = (message: WorkerMessage) => port.postMessage(message);

await initBackend((workerData as WorkerSetup).backend);
send({ type: 'ready' });

port.on('message', async (request: TaskRequest) => {
  try {
    const result = await runTask(request, (epoch, epochs, point) =>
      send({ type: 'progress', key: request.key, epoch, epochs, score: Object.values(point.val)[0] }));
    send({ type: 'done', key: request.key, result });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    send({ type: 'failed', key: request.key, error: { message: e.message, stack: e.stack, code: (e as { code?: string }).code } });
  }
});
