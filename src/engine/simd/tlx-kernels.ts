import { readFileSync } from 'node:fs';
import { InternalError } from '../../errors.js';
import { packagePath } from '../../package-root.js';

/**
 * tlx's SIMD kernels (tlx-kernels.c, optimizer-kernels.c), instantiated over tfjs-backend-wasm's own
 * memory so they work on tensors in place. Arguments are byte offsets into it.
 */
export interface SimdKernels {
  sumLeading(x: number, rows: number, width: number, scale: number, out: number, part: number, acc: number): void;
  depthwiseFilterGrad(geometry: number, x: number, dy: number, out: number, part: number, acc: number): void;
  depthwiseInputGrad(geometry: number, dy: number, w: number, dx: number): void;
  maxPoolGrad(geometry: number, x: number, dy: number, dx: number, where: number): void;
  clipGrad(x: number, dy: number, n: number, lo: number, hi: number, dx: number): void;
  bandGrad(x: number, dy: number, n: number, lo: number, hi: number, dx: number): void;
  batchNormGrad(x: number, dy: number, mean: number, variance: number, scale: number, epsilon: number,
    rows: number, channels: number, dx: number, dmean: number, dvariance: number, dscale: number,
    doffset: number, part: number, acc: number): void;
  batchNorm(x: number, mean: number, variance: number, scale: number, offset: number, epsilon: number,
    rows: number, channels: number, y: number, k: number, b: number): void;
  batchNormTrain(x: number, scale: number, offset: number, epsilon: number, rows: number, channels: number,
    invRows: number, y: number, mean: number, variance: number, part: number, acc: number, k: number, b: number): void;
  batchNormTrainGrad(x: number, dy: number, mean: number, variance: number, scale: number, dmeanOut: number,
    dvarianceOut: number, epsilon: number, rows: number, channels: number, dx: number, dscale: number, doffset: number,
    part: number, acc: number, coef: number): void;
  matmulAtB(a: number, b: number, n: number, m: number, p: number, out: number, acc: number): void;
  convFilterGrad(geometry: number, x: number, dy: number, out: number, acc: number): void;
  segmentSum(x: number, ids: number, rows: number, width: number, segments: number, out: number): void;
  /** optimizer-kernels.c: one variable's Adam/AdamW step (flags: OPTIMIZER_FLAGS). */
  adamStep(n: number, flags: number, w: number, g: number, m: number, v: number, vMax: number,
    wOut: number, mOut: number, vOut: number, vMaxOut: number, decay: number, l2: number, beta1: number,
    oneMinusBeta1: number, beta2: number, oneMinusBeta2: number, corrected2: number, epsilon: number,
    stepSize: number): void;
  /** optimizer-kernels.c: one variable's SGD step. */
  sgdStep(n: number, flags: number, w: number, g: number, velocity: number, wOut: number, velocityOut: number,
    l2: number, momentum: number, learningRate: number): void;
}

/** The flags of adam_step and sgd_step (optimizer-kernels.c). */
export const OPTIMIZER_FLAGS = { decoupledDecay: 1, l2: 2, amsgrad: 4, momentum: 8, nesterov: 16 } as const;

/** The parts of the emscripten module of tfjs-backend-wasm that tlx uses. */
export interface WasmModule {
  /** The single-threaded builds export their memory. */
  asm: { memory?: WebAssembly.Memory };
  /** The threaded build imports it (shared); emscripten keeps it here (both builds). */
  wasmMemory?: WebAssembly.Memory;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
}

const instances = new WeakMap<WebAssembly.Memory, SimdKernels>();

export function simdKernels(module: WasmModule): SimdKernels {
  const memory = wasmMemory(module);
  if (!(memory instanceof WebAssembly.Memory)) {
    throw new InternalError('tfjs-backend-wasm does not export its memory; tlx kernels cannot attach');
  }
  let kernels = instances.get(memory);
  if (kernels == null) {
    // The threaded tfjs-backend-wasm has a shared memory, which only a module declaring
    // a shared memory import can link to.
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const plain = readFileSync(packagePath('src', 'engine', 'simd', 'tlx-kernels.wasm'));
    const bytes = shared ? sharedMemoryVariant(plain) : plain;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    const e = instance.exports as Record<string, (...args: number[]) => void>;
    kernels = {
      sumLeading: e.sum_leading!,
      depthwiseFilterGrad: e.depthwise_filter_grad!,
      depthwiseInputGrad: e.depthwise_input_grad!,
      maxPoolGrad: e.max_pool_grad!,
      clipGrad: e.clip_grad!,
      bandGrad: e.band_grad!,
      batchNormGrad: e.batch_norm_grad!,
      batchNorm: e.batch_norm!,
      batchNormTrain: e.batch_norm_train!,
      batchNormTrainGrad: e.batch_norm_train_grad!,
      matmulAtB: e.matmul_at_b!,
      convFilterGrad: e.conv_filter_grad!,
      segmentSum: e.segment_sum!,
      adamStep: e.adam_step!,
      sgdStep: e.sgd_step!,
    };
    instances.set(memory, kernels);
  }
  return kernels;
}

/**
 * tlx-kernels.wasm with its memory import declared shared, with a maximum of 4 GiB
 * (65536 pages, the threaded tfjs-backend-wasm's): the bytes lld writes for
 * `build.sh` with TLX_SHARED_MEMORY=1 (checked by a test where clang is installed).
 * The kernels keep no data in memory and use no stack, so nothing else differs.
 */
export function sharedMemoryVariant(module: Uint8Array): Uint8Array<ArrayBuffer> {
  const IMPORT_SECTION = 2;
  // The import section of the plain build: one import, env.memory, limits {min 1}.
  const plainImports = [1, 3, ...ascii('env'), 6, ...ascii('memory'), 2, 0x00, 1];
  const sharedImports = [1, 3, ...ascii('env'), 6, ...ascii('memory'), 2, 0x03, 1, 0x80, 0x80, 0x04];
  let at = 8;
  while (at < module.length) {
    const id = module[at]!;
    const [size, sizeBytes] = leb128(module, at + 1);
    const body = at + 1 + sizeBytes;
    if (id === IMPORT_SECTION) {
      const section = module.subarray(body, body + size);
      if (section.length !== plainImports.length || !section.every((b, i) => b === plainImports[i])) {
        throw new InternalError('tlx-kernels.wasm imports something other than one unshared env.memory; rebuild it with build.sh');
      }
      return Uint8Array.from([...module.subarray(0, at), IMPORT_SECTION, sharedImports.length, ...sharedImports,
        ...module.subarray(body + size)]);
    }
    at = body + size;
  }
  throw new InternalError('tlx-kernels.wasm has no import section');
}

function ascii(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0));
}

/** An unsigned LEB128 number at `at`: its value and its length in bytes. */
function leb128(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  let i = at;
  for (;;) {
    const b = bytes[i++]!;
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, i - at];
  }
}

/** tfjs-backend-wasm's memory, exported by its single-threaded builds, imported by the threaded one. */
export function wasmMemory(module: WasmModule): WebAssembly.Memory | undefined {
  return module.asm?.memory ?? module.wasmMemory;
}

/** Field order of conv_geometry in tlx-kernels.c. */
export interface ConvGeometry {
  batch: number; inH: number; inW: number; channels: number; multiplier: number; outH: number; outW: number;
  filterH: number; filterW: number; strideH: number; strideW: number; dilationH: number; dilationW: number;
  padTop: number; padLeft: number; outChannels: number;
}

const GEOMETRY_FIELDS = 16;

/** The conv_geometry of a tfjs convolution (depthwise ones give their multiplier). */
export function convGeometry(info: {
  batchSize: number; inHeight: number; inWidth: number; inChannels: number; outHeight: number; outWidth: number;
  outChannels: number; filterHeight: number; filterWidth: number; strideHeight: number; strideWidth: number;
  dilationHeight: number; dilationWidth: number; padInfo: { top: number; left: number };
}, multiplier = 1): ConvGeometry {
  return {
    batch: info.batchSize, inH: info.inHeight, inW: info.inWidth, channels: info.inChannels, multiplier,
    outH: info.outHeight, outW: info.outWidth, filterH: info.filterHeight, filterW: info.filterWidth,
    strideH: info.strideHeight, strideW: info.strideWidth, dilationH: info.dilationHeight,
    dilationW: info.dilationWidth, padTop: info.padInfo.top, padLeft: info.padInfo.left,
    outChannels: info.outChannels,
  };
}

/**
 * Runs `f` with scratch blocks from tfjs's allocator (the geometry struct first),
 * freed afterwards. Allocation can grow the memory, so callers take offsets, not views.
 */
export function withScratch<T>(
  module: WasmModule,
  geometry: ConvGeometry | undefined,
  bytes: readonly number[],
  f: (geometryPtr: number, ...scratch: number[]) => T,
): T {
  const geometryPtr = geometry ? heapAlloc(module, GEOMETRY_FIELDS * 4) : 0;
  const scratch = bytes.map((n) => heapAlloc(module, Math.max(n, 8)));
  try {
    if (geometry) {
      const g = geometry;
      new Int32Array(wasmMemory(module)!.buffer, geometryPtr, GEOMETRY_FIELDS).set([
        g.batch, g.inH, g.inW, g.channels, g.multiplier, g.outH, g.outW, g.filterH, g.filterW,
        g.strideH, g.strideW, g.dilationH, g.dilationW, g.padTop, g.padLeft, g.outChannels]);
    }
    return f(geometryPtr, ...scratch);
  } finally {
    for (const p of scratch) module._free(p);
    if (geometry) module._free(geometryPtr);
  }
}

/**
 * A block from tfjs's allocator as an unsigned byte offset. emscripten's `_malloc`
 * returns a signed 32-bit number, so past 2 GiB of wasm memory (which a 224 px
 * backbone at batch 16 reaches) its offsets read as negative and every view on them
 * throws; tfjs-backend-wasm applies `>>> 0` to its own allocations for this reason.
 * Passed back into wasm, the unsigned number converts to the same 32 bits.
 */
export function heapAlloc(module: WasmModule, bytes: number): number {
  const pointer = module._malloc(bytes) >>> 0;
  if (pointer === 0) throw new InternalError(`the wasm heap cannot hold ${bytes} more bytes (4 GiB at most)`);
  return pointer;
}
