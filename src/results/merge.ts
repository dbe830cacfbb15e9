import { cpSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { backendIdentity, describeBackend, sameBackend } from '../engine/backend-identity.js';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';
import type { Manifest } from './manifest.js';
import { recordedBackends } from './run-backend.js';
import { writeRunSummary } from './run-summary.js';
import { latestRecords, readTrials } from './trials-log.js';
import type { TrialRecord } from './trial-record.js';

export interface MergeOutcome {
  readonly out: string;
  readonly trials: number;
  /** Shard indices (of manifest.shard.count) not among the merged runs. */
  readonly missingShards: readonly number[];
  readonly unfinished: readonly string[];
}

/**
 * Joins runs of one experiment (typically the shards of a sweep) into one run
 * directory: trials.jsonl with each trial once (a success over a failure), the
 * exported models, the summary and a manifest listing where each part ran. Runs
 * of different configurations or backends are refused. The caller holds `out`'s lock.
 */
export function mergeRuns(dirs: readonly string[], out: string): MergeOutcome {
  const manifests = dirs.map((dir) => readManifest(dir));
  const first = manifests[0]!;
  const other = manifests.findIndex((m) => m.configHash !== first.configHash);
  if (other >= 0) {
    throw new UsageError('E_MERGE', `${dirs[other]} is a run of a different configuration (${manifests[other]!.configHash.slice(0, 8)}) than ${dirs[0]} (${first.configHash.slice(0, 8)})`,
      'only shards or partial runs of the same experiment file (same settings) can be merged');
  }
  refuseMixedBackends(dirs, manifests, out);
  const sources = [...dirs.filter((d) => d !== out), ...(existsSync(join(out, 'trials.jsonl')) ? [out] : [])];
  // A search's trial may have its rungs in different shards: the highest rung is its latest record.
  const all = sources.flatMap((dir) => readTrials(join(dir, 'trials.jsonl'))).sort((a, b) => (a.search?.epochs ?? 0) - (b.search?.epochs ?? 0));
  const byTrial = (a: TrialRecord, b: TrialRecord) => (a.trial < b.trial ? -1 : a.trial > b.trial ? 1 : (a.search?.epochs ?? 0) - (b.search?.epochs ?? 0));
  const records = latestRecords(all).sort(byTrial);
  // Each trial once, and for a search each of its rungs once (ASHA's compute and promotions are read from them).
  const log = searchLog(all, records).sort(byTrial);
  writeFileAtomic(join(out, 'trials.jsonl'), log.map((r) => `${JSON.stringify(r)}\n`).join(''));
  for (const dir of dirs) {
    const models = join(dir, 'models');
    if (dir === out || !existsSync(models)) continue;
    for (const trial of readdirSync(models)) {
      if (!existsSync(join(out, 'models', trial))) cpSync(join(models, trial), join(out, 'models', trial), { recursive: true });
    }
  }
  // Each shard lists the sources of its own trials.
  const pretrained = [...new Map(manifests.flatMap((m) => m.sources ?? []).map((s) => [s.key, s])).values()];
  writeRunSummary(out, records, first.config, pretrained, log);
  const count = first.shard?.count ?? 1;
  const present = new Set(manifests.map((m) => m.shard?.index ?? 0));
  const missingShards = count > 1 ? Array.from({ length: count }, (_, i) => i).filter((i) => !present.has(i)) : [];
  const unfinished = dirs.filter((_, i) => manifests[i]!.status !== 'finished');
  const { shard: _shard, ...base } = first;
  const manifest: Manifest = {
    ...base,
    // A search's shards share one budget; a grid's are dealt parts of the trials.
    trials: first.config.search ? first.trials : count > 1 && missingShards.length === 0 ? manifests.reduce((n, m) => n + m.trials, 0) : records.length,
    notes: [...new Set(manifests.flatMap((m) => m.notes))],
    ...(pretrained.length > 0 ? { sources: pretrained } : {}),
    mergedFrom: manifests.map((m, i) => ({
      dir: relative(out, dirs[i]!) || '.', ...(m.shard ? { shard: m.shard } : {}), environment: m.environment, status: m.status,
    })),
    startedAt: manifests.map((m) => m.startedAt).sort()[0]!,
    finishedAt: manifests.map((m) => m.finishedAt ?? '').sort().at(-1) || null,
    status: missingShards.length === 0 && unfinished.length === 0 ? 'finished' : 'interrupted',
  };
  writeFileAtomic(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return { out, trials: records.length, missingShards, unfinished };
}

/** Numbers of two backends differ in the last bits: a merged run comes from one. */
function refuseMixedBackends(dirs: readonly string[], manifests: readonly Manifest[], out: string): void {
  const parts = dirs.map((dir, i) => ({ dir, backends: [backendIdentity(manifests[i]!.environment.backend), ...recordedBackends(dir)] }));
  if (!dirs.includes(out) && existsSync(join(out, 'trials.jsonl'))) parts.push({ dir: out, backends: recordedBackends(out) });
  const first = parts[0]!.backends[0]!;
  for (const { dir, backends } of parts) {
    const other = backends.find((b) => !sameBackend(b, first));
    if (other == null) continue;
    const shown = (d: string) => relative(process.cwd(), d) || d;
    throw new UsageError('E_MERGE_BACKEND',
      `${shown(dir)} was computed with backend ${describeBackend(other)}, ${shown(dirs[0]!)} with ${describeBackend(first)}: one run's numbers must come from one backend`,
      `run that part again with --backend ${first.name} (${first.package} ${first.version ?? ''}), or merge each backend's runs on their own, each with --out DIR`);
  }
}

/** Where merged shards go by default: the run directory that holds them all. */
export function defaultMergeTarget(dirs: readonly string[]): string | undefined {
  const parents = new Set(dirs.map((d) => (basename(d).startsWith('shard-') ? dirname(d) : '')));
  const [only] = [...parents];
  return parents.size === 1 && only ? only : undefined;
}

function readManifest(dir: string): Manifest {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) throw new UsageError('E_MERGE', `${dir} has no manifest.json: not a tlx run directory`, 'pass run directories such as results/<name>/<run>/shard-0-of-3');
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
}

/** The latest records, with a search's earlier rungs of the same trials before them (one record per trial and rung). */
function searchLog(all: readonly TrialRecord[], latest: readonly TrialRecord[]): TrialRecord[] {
  const kept = new Map(latest.map((r) => [`${r.trial}@${r.search?.epochs}`, r]));
  for (const r of all) {
    const key = `${r.trial}@${r.search?.epochs}`;
    if (r.search != null && r.status !== 'failed' && !kept.has(key)) kept.set(key, r);
  }
  return [...kept.values()];
}
