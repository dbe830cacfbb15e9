import * as tf from '@tensorflow/tfjs-core';
import { UsageError } from '../errors.js';
import { INSTALL_HINT } from './backend-name.js';
import { type AdapterSearch, describeAdapter, type FoundAdapter, findAdapters, type GpuLike } from './webgpu-adapter.js';

export const WEBGPU_PACKAGE = '@tensorflow/tfjs-backend-webgpu';

// Limits above WebGPU's defaults that tfjs-backend-webgpu's shaders need (its own
// start-up asks for the same ones); the adapter's maximum of each.
const LIMITS = [
  'maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize', 'maxBufferSize',
  'maxComputeWorkgroupSizeX', 'maxComputeWorkgroupSizeY', 'maxComputeWorkgroupSizeZ', 'maxComputeInvocationsPerWorkgroup',
] as const;

interface GpuDeviceLike {
  readonly lost: Promise<{ readonly reason: string; readonly message: string }>;
}

let lost: string | undefined;
let started: FoundAdapter | undefined;

/** Why the WebGPU device was lost (driver reset, out of memory), once it was: every later kernel fails for it. */
export function deviceLost(): string | undefined {
  return lost;
}

/**
 * Registers and starts the webgpu backend on the best adapter Dawn finds (hardware
 * before software). `hardwareOnly` (auto's choice) returns undefined where the only
 * adapter is a software one or there is none; otherwise that is an error saying why.
 */
export async function startWebgpu(options: { hardwareOnly: boolean; search?: () => Promise<AdapterSearch> }): Promise<FoundAdapter | undefined> {
  // One device per process: tfjs keeps the backend it first made.
  if (started != null) return options.hardwareOnly && started.info.software ? undefined : started;
  const search = await (options.search ?? findAdapters)();
  const best = search.status === 'found' ? search.adapters[0] : undefined;
  if (best == null || (options.hardwareOnly && best.info.software)) {
    if (options.hardwareOnly) return undefined;
    throw new UsageError('E_BACKEND_UNAVAILABLE', `backend 'webgpu' is not available (${search.status === 'none' ? search.reason : 'no adapter'})`,
      `${INSTALL_HINT.webgpu}\nor choose --backend wasm (always available)`);
  }
  // Imported before navigator.gpu is set: its own start-up would ask for an adapter
  // at the core feature level, which OpenGL ES does not give.
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  exposeGpu(best.gpu);
  const limits: Record<string, number> = {};
  for (const k of LIMITS) {
    const max = best.adapter.limits[k];
    if (typeof max === 'number') limits[k] = max;
  }
  const device = await best.adapter.requestDevice({ requiredLimits: limits });
  void (device as GpuDeviceLike).lost.then((info) => {
    lost = `WebGPU device lost (${info.reason}): ${info.message}`;
    process.stderr.write(`tlx: ${lost}\n`);
  });
  if (tf.findBackend('webgpu') == null) {
    tf.registerBackend('webgpu', () => new WebGPUBackend(device as ConstructorParameters<typeof WebGPUBackend>[0], best.adapter.info as ConstructorParameters<typeof WebGPUBackend>[1]));
  }
  started = best;
  if (best.info.software) process.stderr.write(`tlx: webgpu runs on a software adapter (${describeAdapter(best.info)}): correct but slow\n`);
  return best;
}

/** tfjs-backend-webgpu reads `navigator.gpu`; Node has no navigator before 21, and one without `gpu` after. */
function exposeGpu(gpu: GpuLike): void {
  const holder = globalThis as { navigator?: object };
  if (holder.navigator == null) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  else Object.defineProperty(holder.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
}
