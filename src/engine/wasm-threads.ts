import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';
import { packagePath } from '../package-root.js';

/**
 * Multi-threaded tfjs-backend-wasm under Node.
 *
 * tfjs-backend-wasm 4.22 ships a threaded SIMD build (emscripten pthreads: a shared
 * WebAssembly.Memory and one worker per thread; XNNPACK splits each operator across
 * them). Its JS glue supports Node (it uses worker_threads), but the package keeps it
 * off there: the WASM_HAS_MULTITHREAD_SUPPORT flag is false under Node (tfjs issue
 * 3830), and its loader gives emscripten the pthread worker and its own main script
 * as Blob URLs, which Node's Worker refuses (ERR_WORKER_PATH) and the worker's
 * importScripts cannot read. This file starts that build itself, through options
 * emscripten's glue takes and the package's public exports (BackendWasm,
 * setThreadsCount): `locateFile` gives the worker as a file (wasm-pthread-worker.ts),
 * `mainScriptUrlOrBlob` the glue as a path, and `instantiateWasm` instantiates the
 * binary. It relies on the package's file layout (wasm-out/, dist/*.wasm) and on what
 * its loader adds to the module (`module.tfjs`), so it runs only on the version it was
 * checked against and otherwise falls back to one thread, saying why.
 *
 * The C side caps the pool at half the logical cores (it assumes two hardware threads
 * per core), so on a 2-core machine it would allow 1. The glue reports the core count
 * through an import (`emscripten_num_logical_cores`, read once when the module starts);
 * tlx answers it with twice the threads asked for, so the cap is what the user chose
 * (at most 8: emscripten pre-starts 8 workers).
 */

/** The environment variable that chooses the number of wasm threads (default 1). */
export const WASM_THREADS_VARIABLE = 'TLX_WASM_THREADS';

/** The tfjs-backend-wasm version whose threaded build this was checked with. */
export const CHECKED_VERSION = '4.22.0';

/** emscripten pre-starts 8 pthread workers and tfjs caps its pool at 8. */
export const MAX_WASM_THREADS = 8;

/** The threads asked for through TLX_WASM_THREADS: 1 when unset or empty. */
export function requestedWasmThreads(value: string | undefined = process.env[WASM_THREADS_VARIABLE]): number {
  if (value == null || value.trim() === '') return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WASM_THREADS) {
    throw new UsageError('E_WASM_THREADS', `${WASM_THREADS_VARIABLE}: '${value}' is not a whole number from 1 to ${MAX_WASM_THREADS}`,
      `for example ${WASM_THREADS_VARIABLE}=2 (this machine has ${availableParallelism()} logical cores)`);
  }
  return n;
}

export type ThreadedStart =
  | { readonly ok: true; readonly module: unknown }
  | { readonly ok: false; readonly reason: string };

const require = createRequire(import.meta.url);
const PACKAGE = '@tensorflow/tfjs-backend-wasm';

/** The emscripten module's surface that this file uses. */
interface ThreadedModule {
  wasmMemory?: WebAssembly.Memory;
  PThread?: { runningWorkers?: { unref?(): void }[] };
  cwrap(name: string, returns: string | null, args: string[]): (...args: number[]) => number;
  tfjs?: Record<string, unknown>;
}

type Factory = (config: Record<string, unknown>) => Promise<ThreadedModule>;

/** Where the compiled pthread worker is: beside this file in dist/, or dist/ when run from src/ (tests). */
function workerScript(): string | undefined {
  const beside = join(dirname(fileURLToPath(import.meta.url)), 'wasm-pthread-worker.js');
  if (existsSync(beside)) return beside;
  const built = packagePath('dist', 'src', 'engine', 'wasm-pthread-worker.js');
  return existsSync(built) ? built : undefined;
}

/**
 * Starts the threaded build with `threads` threads and registers it as the `wasm`
 * backend (replacing the package's factory; its kernels stay registered). Call it
 * before `tf.setBackend('wasm')`. Returns why not where it cannot start.
 */
export async function registerThreadedWasm(threads: number): Promise<ThreadedStart> {
  let root: string;
  try {
    root = dirname(require.resolve(`${PACKAGE}/package.json`));
  } catch {
    return { ok: false, reason: `${PACKAGE} is not installed` };
  }
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version;
  if (version !== CHECKED_VERSION) {
    return { ok: false, reason: `tlx starts the threaded build of ${PACKAGE} ${CHECKED_VERSION} only (installed: ${version ?? 'unknown'})` };
  }
  if (typeof SharedArrayBuffer === 'undefined') return { ok: false, reason: 'this Node has no SharedArrayBuffer' };
  const glue = join(root, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
  const binary = join(root, 'dist', 'tfjs-backend-wasm-threaded-simd.wasm');
  const worker = workerScript();
  for (const [what, path] of [['glue', glue], ['binary', binary]] as const) {
    if (!existsSync(path)) return { ok: false, reason: `the threaded ${what} of ${PACKAGE} is missing (${path})` };
  }
  if (worker == null) return { ok: false, reason: 'tlx\'s pthread worker script is not built (npx tsc -p tsconfig.json)' };

  let module: ThreadedModule;
  let failInstantiation: (e: unknown) => void = () => {};
  const instantiationFailed = new Promise<never>((_, reject) => { failInstantiation = reject; });
  try {
    const factory = require(glue) as Factory;
    module = await Promise.race([instantiationFailed, factory({
      locateFile: (path: string) => path.endsWith('.worker.js') ? worker : path.endsWith('.wasm') ? binary : path,
      mainScriptUrlOrBlob: glue,
      instantiateWasm: (
        info: { env: Record<string, unknown> },
        receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
      ) => {
        const env = { ...info.env, emscripten_num_logical_cores: () => 2 * threads };
        WebAssembly.instantiate(readFileSync(binary), { ...info, env })
          .then(({ instance, module: compiled }) => receive(instance, compiled))
          .catch(failInstantiation);
        return {};
      },
    })]);
  } catch (e) {
    return { ok: false, reason: `the threaded build failed to start: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!(module.wasmMemory?.buffer instanceof SharedArrayBuffer)) {
    return { ok: false, reason: 'the threaded build started without a shared memory' };
  }
  // What the package's loader adds after the factory (backend_wasm.js, init()).
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  // Imported here, as init-backend.ts does: importing the package registers its
  // backend, which tfjs would otherwise pick for the first tensor made before startup.
  const { BackendWasm: Backend, setThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
  setThreadsCount(threads);
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', () => {
    // Creates XNNPACK's thread pool: its threads start and wait for work.
    const backend = new Backend(module as unknown as ConstructorParameters<typeof BackendWasm>[0]);
    // emscripten keeps the worker of each running pthread referenced, so Node would
    // never exit. The pool's threads only wait between operators, and every operator
    // finishes before its call returns on this thread, so nothing is left to do when
    // the event loop is otherwise empty: let Node exit then (emscripten unreferences
    // its idle workers the same way).
    for (const worker of module.PThread?.runningWorkers ?? []) worker.unref?.();
    return backend;
  }, 2);
  return { ok: true, module };
}
