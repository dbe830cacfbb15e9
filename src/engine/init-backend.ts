import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import './quiet.js';
import './chained-ops.js';
import { InternalError, UsageError } from '../errors.js';
import { BACKEND_NAMES, type BackendName, type BackendRequest, INSTALL_HINT, isBackendRequest } from './backend-name.js';
import { registerTrainingKernels, type TrainingKernelName } from './kernels/register.js';
import { importOptional, type OptionalImport } from './optional-module.js';
import { startWebgpu, WEBGPU_PACKAGE } from './start-webgpu.js';
import { registerThreadedWasm, requestedWasmThreads, WASM_THREADS_VARIABLE } from './wasm-threads.js';
import type { AdapterInfo, AdapterSearch } from './webgpu-adapter.js';

/** What ran: recorded in every run's manifest. */
export interface BackendInfo {
  readonly name: BackendName;
  /** The npm package that provides it. */
  readonly package: string;
  /** That package's version (null when its package.json cannot be read). */
  readonly version: string | null;
  /** Computes on a GPU: tfjs-node-gpu with CUDA, or webgpu on a hardware adapter. */
  readonly gpu: boolean;
  /** The WebGPU adapter and driver (webgpu only). */
  readonly adapter?: AdapterInfo;
  /** Kernels tlx registered to make this backend train. */
  readonly kernelsAdded: readonly TrainingKernelName[];
  /** wasm only, where TLX_WASM_THREADS asked for more than 1: the threads it computes with. */
  readonly threads?: number;
  /** Why it computes with fewer threads than TLX_WASM_THREADS asked for. */
  readonly threadsNote?: string;
}

/** Where the choice came from, most specific first: CLI flag, TLX_BACKEND, config. */
export function chooseBackend(sources: {
  flag?: string | undefined;
  env?: string | undefined;
  config?: BackendRequest | undefined;
}): BackendRequest {
  for (const [origin, value] of [['--backend', sources.flag], ['TLX_BACKEND', sources.env]] as const) {
    if (value == null || value === '') continue;
    if (!isBackendRequest(value)) {
      throw new UsageError('E_BACKEND_UNKNOWN', `${origin}: unknown backend '${value}'`,
        `expected one of: ${BACKEND_NAMES.join(', ')}`);
    }
    return value;
  }
  return sources.config ?? 'auto';
}

const TFJS_NODE_GPU = '@tensorflow/tfjs-node-gpu';
const TFJS_NODE = '@tensorflow/tfjs-node';

export interface StartOptions {
  /**
   * The exact package to load (a worker loads what its parent chose, so `tensorflow`
   * is the same tfjs-node(-gpu) everywhere); another one is an error.
   */
  readonly package?: string;
  /** How optional packages are imported; tests pass a fake. */
  readonly importer?: (specifier: string) => Promise<OptionalImport>;
  /** How WebGPU adapters are found; tests pass a fake. */
  readonly adapters?: () => Promise<AdapterSearch>;
}

let active: BackendInfo | undefined;

/**
 * Starts the requested backend once per process. `auto` prefers tfjs-node-gpu when
 * it sees a GPU; without tfjs-node-gpu installed, webgpu on a hardware adapter; then
 * tfjs-node, then wasm with tlx's training kernels.
 */
export async function initBackend(request: BackendRequest, options: StartOptions = {}): Promise<BackendInfo> {
  const fits = (b: BackendInfo) => (request === 'auto' || request === b.name) && (options.package == null || options.package === b.package);
  if (active != null && fits(active)) return active;
  active = await startBackend(request, options);
  return active;
}

/** Starts a backend (every call; initBackend keeps the one started). */
export async function startBackend(request: BackendRequest, options: StartOptions = {}): Promise<BackendInfo> {
  const started = await start(request, options);
  if (options.package != null && started.package !== options.package) {
    throw new InternalError(`backend '${request}' was to be ${options.package}, but ${started.package} started`);
  }
  return started;
}

async function start(request: BackendRequest, options: StartOptions): Promise<BackendInfo> {
  switch (request) {
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      await activate('cpu');
      return { name: 'cpu', ...packageOf('@tensorflow/tfjs-backend-cpu'), gpu: false, kernelsAdded: [] };
    case 'wasm':
      return startWasm();
    case 'tensorflow':
      return startTensorflow(true, options);
    case 'webgpu':
      return (await webgpu(false, options))!;
    case 'auto':
      return (await startTensorflow(false, options, [TFJS_NODE_GPU]))
        ?? (await tfjsNodeGpuUnloaded(options) ? await webgpu(true, options) : undefined)
        ?? (await startTensorflow(false, options, [TFJS_NODE]))
        ?? startWasm();
  }
}

/** webgpu; under auto (`hardwareOnly`) only on a hardware adapter, else undefined. */
async function webgpu(hardwareOnly: boolean, options: StartOptions): Promise<BackendInfo | undefined> {
  if (options.package != null && options.package !== WEBGPU_PACKAGE) {
    if (hardwareOnly) return undefined;
    throw new InternalError(`backend 'webgpu' cannot come from ${options.package}`);
  }
  const found = await startWebgpu({ hardwareOnly, ...(options.adapters ? { search: options.adapters } : {}) });
  if (found == null) return undefined;
  await activate('webgpu');
  return { name: 'webgpu', ...packageOf(WEBGPU_PACKAGE), gpu: !found.info.software, adapter: found.info, kernelsAdded: [] };
}

/**
 * Whether tfjs-node-gpu is out of auto's way: not installed, or installed but unable
 * to load (its CUDA 11.2 libraries missing, as on current NVIDIA drivers' machines).
 * Where it loaded (and found no GPU) auto does not add Dawn's GPU stack to CUDA's.
 */
async function tfjsNodeGpuUnloaded(options: StartOptions): Promise<boolean> {
  if (options.package != null && options.package !== WEBGPU_PACKAGE) return false;
  return (await (options.importer ?? importOptional)(TFJS_NODE_GPU)).status !== 'loaded';
}

async function startWasm(): Promise<BackendInfo> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const requested = requestedWasmThreads();
  let note: string | undefined;
  if (requested > 1) {
    const threaded = await registerThreadedWasm(requested);
    if (!threaded.ok) {
      note = `${WASM_THREADS_VARIABLE}=${requested}: ${threaded.reason}; computing on 1 thread`;
      process.stderr.write(`tlx: ${note}\n`);
    }
  }
  await activate('wasm');
  const threads = wasm.getThreadsCount();
  if (note == null && threads !== requested) note = `${WASM_THREADS_VARIABLE}=${requested}, but tfjs-backend-wasm started ${threads}`;
  const kernelsAdded = registerTrainingKernels('wasm');
  return {
    name: 'wasm', ...packageOf('@tensorflow/tfjs-backend-wasm'), gpu: false, kernelsAdded,
    ...(requested > 1 || threads > 1 ? { threads } : {}), ...(note != null ? { threadsNote: note } : {}),
  };
}

async function startTensorflow(required: true, options: StartOptions): Promise<BackendInfo>;
async function startTensorflow(required: false, options: StartOptions, packages: readonly string[]): Promise<BackendInfo | undefined>;
async function startTensorflow(required: boolean, options: StartOptions, packages: readonly string[] = [TFJS_NODE_GPU, TFJS_NODE]): Promise<BackendInfo | undefined> {
  const attempts: [string, OptionalImport][] = [];
  const wanted = options.package;
  if (wanted != null && !packages.includes(wanted)) {
    if (required) throw new InternalError(`backend 'tensorflow' cannot come from ${wanted}`);
    return undefined;
  }
  for (const pkg of wanted == null ? packages : [wanted]) {
    const loaded = await (options.importer ?? importOptional)(pkg);
    attempts.push([pkg, loaded]);
    if (loaded.status !== 'loaded') continue;
    if (tf.findBackend('tensorflow') == null) {
      attempts[attempts.length - 1] = [pkg, { status: 'broken', reason:
        `it registered no 'tensorflow' backend with tlx's @tensorflow/tfjs-core ${tf.version_core}; install version ${tf.version_core}` }];
      continue;
    }
    await activate('tensorflow');
    const gpu = usesGpu(tf.backend());
    // Under auto, the GPU package on a machine without a GPU is no better than tfjs-node.
    if (pkg === TFJS_NODE_GPU && !gpu && !required && wanted == null) continue;
    return { name: 'tensorflow', ...packageOf(pkg), gpu, kernelsAdded: [] };
  }
  if (!required) return undefined;
  const why = attempts
    .map(([pkg, a]) => `${pkg}: ${a.status === 'absent' ? 'not installed' : a.status === 'broken' ? a.reason : 'loaded'}`)
    .join('; ');
  throw new UsageError('E_BACKEND_UNAVAILABLE', `backend 'tensorflow' is not available (${why})`,
    `install one of:\n  ${INSTALL_HINT.tensorflowGpu}\n  ${INSTALL_HINT.tensorflowCpu}\n` +
    `or choose --backend wasm (always available)`);
}

async function activate(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) {
    throw new UsageError('E_BACKEND_INIT', `backend '${name}' failed to initialise`,
      'run with --backend wasm, or TLX_DEBUG=1 to see the cause');
  }
  await tf.ready();
}

const require = createRequire(import.meta.url);

function packageOf(name: string): { package: string; version: string | null } {
  try {
    const json = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version?: string };
    return { package: name, version: json.version ?? null };
  } catch {
    return { package: name, version: null };
  }
}

/** tfjs-node-gpu's binding reports whether TensorFlow placed ops on a GPU. */
function usesGpu(backend: unknown): boolean {
  const binding = (backend as { binding?: { isUsingGpuDevice?: () => boolean } }).binding;
  return binding?.isUsingGpuDevice?.() ?? false;
}
