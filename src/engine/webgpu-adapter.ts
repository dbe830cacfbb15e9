import { importOptional, type OptionalImport } from './optional-module.js';

/**
 * The WebGPU adapter a webgpu backend computes on, as Dawn names it: recorded in the
 * manifest and in each trial's backend, because two adapters (or two drivers of one)
 * give results that differ in the last bits.
 */
export interface AdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  /** Dawn's description of the adapter: the driver and its version ("OpenGL ES 3.2 Mesa 22.3.6"). */
  readonly driver: string;
  /** A software rasteriser (llvmpipe, lavapipe, SwiftShader, a fallback adapter): correct, slow, never chosen by `auto`. */
  readonly software: boolean;
  /** Which of Dawn's native APIs reached it. */
  readonly api: DawnApi;
}

/** Dawn's instance kinds tlx tries, in order: its default (Vulkan on Linux), then OpenGL ES over EGL. */
export type DawnApi = 'default' | 'opengles';

/** What Dawn's `GPUAdapterInfo` carries in Node (webgpu 0.6). */
interface GpuAdapterInfoLike {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  readonly isFallbackAdapter?: boolean;
}

/** The parts of the WebGPU API tlx touches before the backend takes over. */
export interface GpuAdapterLike {
  readonly info: GpuAdapterInfoLike;
  readonly limits: Record<string, number>;
  requestDevice(descriptor?: { requiredLimits?: Record<string, number> }): Promise<unknown>;
}
export interface GpuLike {
  requestAdapter(options?: { featureLevel?: string; powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

interface DawnModule {
  readonly create: (flags: string[]) => GpuLike;
  readonly globals: Record<string, unknown>;
}

/** An adapter found, with the `navigator.gpu` that found it (the backend needs both). */
export interface FoundAdapter {
  readonly gpu: GpuLike;
  readonly adapter: GpuAdapterLike;
  readonly info: AdapterInfo;
}

/** Either adapters (best first) or why there is none. */
export type AdapterSearch =
  | { readonly status: 'found'; readonly adapters: readonly FoundAdapter[] }
  | { readonly status: 'none'; readonly reason: string };

// Names software rasterisers give themselves in the adapter's device or description.
const SOFTWARE = /llvmpipe|lavapipe|softpipe|swiftshader|software|microsoft basic render/i;

/** Whether an adapter is a software rasteriser (Dawn in Node does not expose the adapter type, so the name decides). */
export function isSoftwareAdapter(info: GpuAdapterInfoLike): boolean {
  return info.isFallbackAdapter === true || SOFTWARE.test(`${info.device ?? ''} ${info.description ?? ''} ${info.vendor ?? ''}`);
}

/** The recorded form of Dawn's adapter info. */
export function adapterInfo(info: GpuAdapterInfoLike, api: DawnApi): AdapterInfo {
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    driver: (info.description ?? '').replace(/^OpenGL version /, ''),
    software: isSoftwareAdapter(info),
    api,
  };
}

/** "llvmpipe (LLVM 15.0.6, 256 bits), OpenGL ES 3.2 Mesa 22.3.6, software": for messages and `tlx bench`. */
export function describeAdapter(a: AdapterInfo): string {
  const name = [a.vendor, a.architecture, a.device].filter((s) => s !== '').join(' ') || 'unnamed adapter';
  return `${name}${a.driver !== '' ? `, ${a.driver}` : ''} via ${a.api === 'default' ? 'Dawn default (Vulkan)' : 'OpenGL ES'}${a.software ? ', software' : ''}`;
}

let dawn: Promise<OptionalImport> | undefined;

/** The `webgpu` package (Dawn's Node binding), imported once. */
export function importDawn(importer: (specifier: string) => Promise<OptionalImport> = importOptional): Promise<OptionalImport> {
  dawn ??= importer('webgpu');
  return dawn;
}

/**
 * Asks Dawn for adapters through each of its APIs: core WebGPU first, then the
 * compatibility level (all that OpenGL ES gives). Hardware adapters come first.
 * Mesa's EGL needs a platform without a display server: EGL_PLATFORM=surfaceless is
 * set for this process (and its workers) unless the user chose one.
 */
export async function findAdapters(importer?: (specifier: string) => Promise<OptionalImport>): Promise<AdapterSearch> {
  const loaded = await importDawn(importer);
  if (loaded.status === 'absent') return { status: 'none', reason: "the 'webgpu' package is not installed" };
  if (loaded.status === 'broken') return { status: 'none', reason: `the 'webgpu' package failed to load: ${loaded.reason}` };
  const { create, globals } = loaded.module as DawnModule;
  // GPUBufferUsage, GPUMapMode and the other WebGPU constants tfjs-backend-webgpu reads as globals.
  for (const [name, value] of Object.entries(globals)) if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  process.env.EGL_PLATFORM ??= 'surfaceless';
  const found: FoundAdapter[] = [];
  const tries: [DawnApi, string[], string][] = [['default', [], 'core'], ['opengles', ['backend=opengles'], 'compatibility']];
  for (const [api, flags, featureLevel] of tries) {
    const gpu = create(flags);
    const adapter = await gpu.requestAdapter({ featureLevel, powerPreference: 'high-performance' }).catch(() => null);
    if (adapter != null) found.push({ gpu, adapter, info: adapterInfo(adapter.info, api) });
  }
  if (found.length === 0) return { status: 'none', reason: 'Dawn found no adapter (Vulkan: libvulkan1 and a driver; OpenGL ES: libegl-dev, libegl-mesa0, libgl1-mesa-dri)' };
  return { status: 'found', adapters: [...found].sort((a, b) => Number(a.info.software) - Number(b.info.software)) };
}
