import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { backendFolder, backendIdentity, describeBackend, sameBackend } from '../../src/engine/backend-identity.js';
import { startBackend } from '../../src/engine/init-backend.js';
import type { OptionalImport } from '../../src/engine/optional-module.js';
import { adapterInfo, type AdapterSearch, findAdapters, isSoftwareAdapter } from '../../src/engine/webgpu-adapter.js';
import { UsageError } from '../../src/errors.js';
import { need } from '../support/optional.js';

// How tlx chooses and records the webgpu backend. The adapters are Dawn's where one
// is found (Mesa's llvmpipe in CI), relabelled to stand for a hardware GPU.

describe('software adapters are told apart by name', () => {
  it.each([
    { name: 'Mesa llvmpipe (OpenGL ES)', info: { device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'OpenGL version OpenGL ES 3.2 Mesa 22.3.6' }, software: true },
    { name: 'Mesa lavapipe (Vulkan)', info: { vendor: 'mesa', device: 'llvmpipe (LLVM 15.0.6, 256 bits)', description: 'lavapipe: Mesa 22.3.6' }, software: true },
    { name: 'SwiftShader', info: { vendor: 'google', architecture: 'swiftshader', device: 'subzero', description: 'SwiftShader driver' }, software: true },
    { name: 'a fallback adapter', info: { vendor: 'x', device: 'y', isFallbackAdapter: true }, software: true },
    { name: 'NVIDIA (Vulkan)', info: { vendor: 'nvidia', architecture: 'hopper', device: 'NVIDIA H200', description: 'NVIDIA: 550.54.15' }, software: false },
    { name: 'AMD (Vulkan)', info: { vendor: 'amd', architecture: 'rdna-3', device: 'AMD Radeon RX 7900 XTX (RADV NAVI31)', description: 'radv: Mesa 24.0.5' }, software: false },
  ])('$name', ({ info, software }) => {
    expect(isSoftwareAdapter(info)).toBe(software);
    expect(adapterInfo(info, 'default').software).toBe(software);
  });
});

describe('the identity names the adapter', () => {
  const base = { name: 'webgpu', package: '@tensorflow/tfjs-backend-webgpu', version: '4.22.0' };
  const llvmpipe = adapterInfo({ device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'OpenGL version OpenGL ES 3.2 Mesa 22.3.6' }, 'opengles');
  const nvidia = adapterInfo({ vendor: 'nvidia', architecture: 'hopper', device: 'NVIDIA H200', description: 'NVIDIA: 550.54.15' }, 'default');

  it('two adapters (or drivers) are two backends, cached apart', () => {
    const a = backendIdentity({ ...base, adapter: llvmpipe });
    const b = backendIdentity({ ...base, adapter: nvidia });
    const c = backendIdentity({ ...base, adapter: { ...nvidia, driver: 'NVIDIA: 560.35.03' } });
    expect(sameBackend(a, backendIdentity({ ...base, adapter: { ...llvmpipe } }))).toBe(true);
    expect(sameBackend(a, b)).toBe(false);
    expect(sameBackend(b, c)).toBe(false);
    expect(new Set([a, b, c].map(backendFolder)).size).toBe(3);
    for (const id of [a, b, c]) expect(backendFolder(id)).toMatch(/^tfjs-backend-webgpu@4\.22\.0-[a-z0-9-]+$/);
    expect(describeBackend(a)).toContain('llvmpipe');
    expect(describeBackend(a)).toContain('software');
  });

  it('backends without an adapter keep their folder and identity', () => {
    const wasm = { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', version: '4.22.0' };
    expect(backendFolder(wasm)).toBe('tfjs-backend-wasm@4.22.0');
    expect(backendIdentity(wasm)).toEqual(wasm);
  });
});

const absent = async (): Promise<OptionalImport> => ({ status: 'absent' });
const none: AdapterSearch = { status: 'none', reason: 'Dawn found no adapter (test)' };

const search = await findAdapters();
const dawn = need('a WebGPU adapter', search.status === 'found', search.status === 'none' ? search.reason : '');
const real = search.status === 'found' ? search.adapters[0]! : undefined;
const asHardware = async (): Promise<AdapterSearch> => ({ status: 'found', adapters: [{ ...real!, info: { ...real!.info, device: 'relabelled hardware', software: false } }] });
const asSoftware = async (): Promise<AdapterSearch> => ({ status: 'found', adapters: [{ ...real!, info: { ...real!.info, software: true } }] });

describe('choosing webgpu', () => {
  it('asked for with no adapter: a usage error saying why and what to install', async () => {
    const error = await startBackend('webgpu', { adapters: async () => none }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('E_BACKEND_UNAVAILABLE');
    expect((error as UsageError).message).toContain('Dawn found no adapter (test)');
    expect((error as UsageError).hint).toContain('npm install webgpu');
  });

  it.skipIf(!dawn.available)(`auto never takes a software adapter ${dawn.label}`, async () => {
    const info = await startBackend('auto', { importer: absent, adapters: asSoftware });
    expect(info.name).toBe('wasm');
  });

  it.skipIf(!dawn.available)(`auto leaves the GPU to tfjs-node-gpu where it loads ${dawn.label}`, async () => {
    // A tfjs-node-gpu that loads and finds no GPU: auto goes on to tfjs-node (absent here), then wasm.
    const importer = async (specifier: string): Promise<OptionalImport> => {
      if (specifier !== '@tensorflow/tfjs-node-gpu') return { status: 'absent' };
      if (tf.findBackend('tensorflow') != null) tf.removeBackend('tensorflow');
      tf.registerBackend('tensorflow', () => Object.assign(new MathBackendCPU(), { binding: { isUsingGpuDevice: () => false } }));
      return { status: 'loaded', module: {} };
    };
    const info = await startBackend('auto', { importer, adapters: asHardware });
    expect(info.name).toBe('wasm');
  });

  it.skipIf(!dawn.available)(`auto takes a hardware adapter when tfjs-node-gpu is absent, and records it ${dawn.label}`, async () => {
    const info = await startBackend('auto', { importer: absent, adapters: asHardware });
    expect(info).toMatchObject({ name: 'webgpu', package: '@tensorflow/tfjs-backend-webgpu', version: '4.22.0', gpu: true });
    expect(info.adapter?.device).toBe('relabelled hardware');
    expect(tf.getBackend()).toBe('webgpu');
    const y = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5], [6]]));
    expect(Array.from(await y.data())).toEqual([17, 39]);
  });
});
