import { type AdapterInfo, describeAdapter } from './webgpu-adapter.js';

/**
 * What computed a result, as far as its numbers depend on it: the backend, the npm
 * package that provides it and that package's version, and for webgpu the adapter
 * and driver. Results of two identities differ in the last bits, so they are cached
 * apart and never mixed in one run.
 */
export interface BackendIdentity {
  readonly name: string;
  readonly package: string;
  readonly version: string | null;
  /** The WebGPU adapter (webgpu backend only). */
  readonly adapter?: AdapterInfo;
}

/** The identity of a started backend (BackendInfo) or of one recorded in a manifest. */
export function backendIdentity(backend: BackendIdentity): BackendIdentity {
  const { name, package: pkg, version, adapter } = backend;
  return { name, package: pkg, version, ...(adapter != null ? { adapter: { ...adapter } } : {}) };
}

export function sameBackend(a: BackendIdentity, b: BackendIdentity): boolean {
  return a.name === b.name && a.package === b.package && a.version === b.version && adapterKey(a.adapter) === adapterKey(b.adapter);
}

/** "wasm (@tensorflow/tfjs-backend-wasm 4.22.0)", for messages; webgpu's names its adapter. */
export function describeBackend(b: BackendIdentity): string {
  return `${b.name} (${b.package} ${b.version ?? 'version unknown'}${b.adapter != null ? ` on ${describeAdapter(b.adapter)}` : ''})`;
}

/**
 * A folder name for results cached per backend: "tfjs-backend-wasm@4.22.0", "tfjs-node-gpu@4.22.0",
 * "tfjs-backend-webgpu@4.22.0-llvmpipe-llvm-15-0-6-256-bits-opengles-3-2-mesa-22-3-6".
 */
export function backendFolder(b: BackendIdentity): string {
  const base = `${b.package.split('/').pop()}@${b.version ?? 'unknown'}`;
  return b.adapter == null ? base : `${base}-${slug(adapterKey(b.adapter))}`;
}

function adapterKey(a: AdapterInfo | undefined): string {
  return a == null ? '' : [a.vendor, a.architecture, a.device, a.driver, a.api].filter((s) => s !== '').join(' ');
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/\./g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
}
