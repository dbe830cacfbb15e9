import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const WORKER = join(process.cwd(), 'dist/src/execute/worker.js');

/** Starts a worker as the pool does; resolves with 'ready' or how it ended and what it printed. */
function startWorker(args: string[]): Promise<{ ready: boolean; stderr: string }> {
  const child = fork(WORKER, args, { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => {
    child.once('message', () => {
      child.kill('SIGKILL');
      resolve({ ready: true, stderr });
    });
    child.once('exit', () => resolve({ ready: false, stderr }));
  });
}

describe('a worker loads the backend package its runner chose', () => {
  it.each([
    { name: 'wasm from its package', args: ['wasm', '@tensorflow/tfjs-backend-wasm'], ready: true },
    { name: 'tensorflow from tfjs-node only, not tfjs-node-gpu', args: ['tensorflow', '@tensorflow/tfjs-node'], ready: false,
      stderr: "backend 'tensorflow' is not available (@tensorflow/tfjs-node: not installed)" },
    { name: 'a backend its package does not provide', args: ['cpu', '@tensorflow/tfjs-backend-wasm'], ready: false,
      stderr: "backend 'cpu' was to be @tensorflow/tfjs-backend-wasm, but @tensorflow/tfjs-backend-cpu started" },
  ])('$name', async ({ args, ready, stderr }) => {
    expect(existsSync(WORKER), 'run npm run build first').toBe(true);
    const started = await startWorker(args);
    expect(started.ready).toBe(ready);
    if (stderr) expect(started.stderr).toContain(stderr);
  }, 60_000);
});
