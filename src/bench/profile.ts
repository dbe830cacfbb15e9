import * as tf from '@tensorflow/tfjs-core';

/** One kernel's share of a step: time spent in it, less the kernels it ran inside itself. */
export interface KernelShare {
  readonly kernel: string;
  /** Milliseconds per step, exclusive of nested kernels. */
  readonly ms: number;
  /** Calls per step. */
  readonly calls: number;
}

export interface StepProfile {
  /** Wall time per step (ms). */
  readonly stepMs: number;
  /** Time per step inside kernels (ms); the rest is tfjs dispatch, tapes and JavaScript. */
  readonly kernelMs: number;
  readonly calls: number;
  /** Largest share first. */
  readonly kernels: readonly KernelShare[];
}

/**
 * Where the steps of `run` go, kernel by kernel, on the active backend: every kernel
 * registered for it is wrapped with a timer for the duration, then restored. Kernels
 * that call others (tlx's compositions) are charged only their own time. Meaningful
 * on backends whose kernels finish when they return (wasm, cpu); on webgpu it times
 * the dispatch only.
 */
export async function profileSteps(steps: number, run: () => Promise<unknown>): Promise<StepProfile> {
  const backend = tf.getBackend();
  const originals = tf.getKernelsForBackend(backend);
  const totals = new Map<string, { ms: number; calls: number }>();
  // Time spent in kernels nested inside the running one, per level.
  const nested: number[] = [];
  for (const config of originals) {
    const inner = config.kernelFunc;
    tf.unregisterKernel(config.kernelName, backend);
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        const start = performance.now();
        nested.push(0);
        try {
          return inner(args);
        } finally {
          const elapsed = performance.now() - start;
          const own = elapsed - nested.pop()!;
          if (nested.length > 0) nested[nested.length - 1]! += elapsed;
          const total = totals.get(config.kernelName) ?? { ms: 0, calls: 0 };
          total.ms += own;
          total.calls += 1;
          totals.set(config.kernelName, total);
        }
      },
    });
  }
  try {
    const start = performance.now();
    for (let i = 0; i < steps; i++) await run();
    const stepMs = (performance.now() - start) / steps;
    const kernels = [...totals].map(([kernel, t]) => ({ kernel, ms: t.ms / steps, calls: t.calls / steps }))
      .sort((a, b) => b.ms - a.ms);
    return {
      stepMs,
      kernelMs: kernels.reduce((s, k) => s + k.ms, 0),
      calls: kernels.reduce((s, k) => s + k.calls, 0),
      kernels,
    };
  } finally {
    for (const config of originals) {
      tf.unregisterKernel(config.kernelName, backend);
      tf.registerKernel(config);
    }
  }
}
