/**
 * What computed a result, as far as its numbers depend on it: the backend, the npm
 * package that provides it and that package's version. Results of two identities
 * differ in the last bits, so they are cached apart and never mixed in one run.
 */
export interface BackendIdentity {
  readonly name: string;
  readonly package: string;
  readonly version: string | null;
}

/** The identity of a started backend (BackendInfo) or of one recorded in a manifest. */
export function backendIdentity(backend: BackendIdentity): BackendIdentity {
  return { name: backend.name, package: backend.package, version: backend.version };
}

export function sameBackend(a: BackendIdentity, b: BackendIdentity): boolean {
  return a.name === b.name && a.package === b.package && a.version === b.version;
}

/** "wasm (@tensorflow/tfjs-backend-wasm 4.22.0)", for messages. */
export function describeBackend(b: BackendIdentity): string {
  return `${b.name} (${b.package} ${b.version ?? 'version unknown'})`;
}

/** A folder name for results cached per backend: "tfjs-backend-wasm@4.22.0", "tfjs-node-gpu@4.22.0". */
export function backendFolder(b: BackendIdentity): string {
  return `${b.package.split('/').pop()}@${b.version ?? 'unknown'}`;
}
