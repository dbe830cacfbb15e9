/** Backends a user can ask for; `auto` picks the fastest one available. */
export const BACKEND_NAMES = ['auto', 'tensorflow', 'wasm', 'cpu', 'webgpu'] as const;
export type BackendRequest = (typeof BACKEND_NAMES)[number];
export type BackendName = Exclude<BackendRequest, 'auto'>;

export function isBackendRequest(value: string): value is BackendRequest {
  return (BACKEND_NAMES as readonly string[]).includes(value);
}

/** The single command that gives a user each optional backend. */
export const INSTALL_HINT = {
  tensorflowGpu: 'npm install @tensorflow/tfjs-node-gpu@4.22.0   (NVIDIA GPU, CUDA 11.2 + cuDNN 8.1)',
  tensorflowCpu: 'npm install @tensorflow/tfjs-node@4.22.0',
  webgpu: 'npm install webgpu   (Dawn; on Linux: a Vulkan driver and libvulkan1, or libegl-dev, libegl-mesa0 and libgl1-mesa-dri)',
} as const;
