import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BackendIdentity, backendIdentity, sameBackend } from '../engine/backend-identity.js';
import type { Manifest } from './manifest.js';
import { readTrials } from './trials-log.js';

/**
 * The backends that computed a run directory's trials: each record's own, and the
 * manifest's for records written before trials carried one. Empty when no trial is
 * recorded yet. One run's numbers must come from one backend.
 */
export function recordedBackends(runDir: string): BackendIdentity[] {
  const records = readTrials(join(runDir, 'trials.jsonl'));
  if (records.length === 0) return [];
  const manifest = readManifestBackend(runDir);
  const found = records.map((r) => r.backend ?? manifest).filter((b): b is BackendIdentity => b != null).map(backendIdentity);
  return found.filter((b, i) => found.findIndex((o) => sameBackend(o, b)) === i);
}

/** The first recorded backend that is not `backend`. */
export function otherBackend(runDir: string, backend: BackendIdentity): BackendIdentity | undefined {
  return recordedBackends(runDir).find((b) => !sameBackend(b, backend));
}

function readManifestBackend(runDir: string): BackendIdentity | undefined {
  try {
    return (JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8')) as Manifest).environment.backend;
  } catch {
    return undefined;
  }
}
