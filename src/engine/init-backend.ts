import * as tf from '@tensorflow/tfjs-core';
import './quiet.js';
import { UsageError } from '../errors.js';
import { type BackendName, type BackendRequest, INSTALL_HINT, isBackendRequest } from './backend-name.js';
import { registerTrainingKernels, type TrainingKernelName } from './kernels/register.js';
import { importOptional, type OptionalImport } from './optional-module.js';

/** What ran: recorded in every run's manifest. */
export interface BackendInfo {
  readonly name: BackendName;
  /** The npm package that provides it. */
  readonly package: string;
  readonly gpu: boolean;
  /** Kernels tlx registered to make this backend train. */
  readonly kernelsAdded: readonly TrainingKernelName[];
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
        'expected one of: auto, tensorflow, wasm, cpu');
    }
    return value;
  }
  return sources.config ?? 'auto';
}

const TFJS_NODE_GPU = '@tensorflow/tfjs-node-gpu';
const TFJS_NODE = '@tensorflow/tfjs-node';

let active: BackendInfo | undefined;

/**
 * Starts the requested backend once per process. `auto` prefers tfjs-node-gpu when
 * it sees a GPU, then tfjs-node, then wasm with tlx's training kernels.
 */
export async function initBackend(request: BackendRequest): Promise<BackendInfo> {
  if (active != null && (request === 'auto' || request === active.name)) return active;
  active = await start(request);
  return active;
}

async function start(request: BackendRequest): Promise<BackendInfo> {
  switch (request) {
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      await activate('cpu');
      return { name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', gpu: false, kernelsAdded: [] };
    case 'wasm':
      return startWasm();
    case 'tensorflow':
      return startTensorflow(true);
    case 'auto':
      return (await startTensorflow(false)) ?? startWasm();
  }
}

async function startWasm(): Promise<BackendInfo> {
  await import('@tensorflow/tfjs-backend-wasm');
  await activate('wasm');
  const kernelsAdded = registerTrainingKernels('wasm');
  return { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', gpu: false, kernelsAdded };
}

async function startTensorflow(required: true): Promise<BackendInfo>;
async function startTensorflow(required: false): Promise<BackendInfo | undefined>;
async function startTensorflow(required: boolean): Promise<BackendInfo | undefined> {
  const attempts: [string, OptionalImport][] = [];
  for (const pkg of [TFJS_NODE_GPU, TFJS_NODE]) {
    const loaded = await importOptional(pkg);
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
    if (pkg === TFJS_NODE_GPU && !gpu && !required) continue;
    return { name: 'tensorflow', package: pkg, gpu, kernelsAdded: [] };
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

/** tfjs-node-gpu's binding reports whether TensorFlow placed ops on a GPU. */
function usesGpu(backend: unknown): boolean {
  const binding = (backend as { binding?: { isUsingGpuDevice?: () => boolean } }).binding;
  return binding?.isUsingGpuDevice?.() ?? false;
}
