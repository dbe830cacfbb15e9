import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { LoadedExperiment } from '../config/load.js';
import { requirePresent } from '../config/presence.js';
import type { ResolvedExperiment } from '../config/resolved.js';
import { progressPrinter } from '../data/download.js';
import { ensureData } from '../data/prepare-inputs.js';
import { prepareSourceModel } from '../models/prepare-source.js';
import { type SourceModelFile, sourceModels } from '../models/model-hash.js';
import { type BackendIdentity, backendIdentity, describeBackend } from '../engine/backend-identity.js';
import type { BackendInfo } from '../engine/init-backend.js';
import { UsageError } from '../errors.js';
import { chanceTest, confusionCounts } from '../indicators/chance.js';
import { hasModel, readMeta } from '../models/model-files.js';
import { type Shard, shardName, shardTrials } from '../plan/shard.js';
import { readJournal } from '../results/search-journal.js';
import { journalPath, runSearch } from './search-run.js';
import { type KeyContext, pretrainKey, sourceKey } from '../plan/tasks.js';
import { planTrials, type Trial } from '../plan/trials.js';
import { writeFileAtomic } from '../results/atomic-write.js';
import { environment, gitCommit } from '../results/environment.js';
import type { Manifest, SourceScores } from '../results/manifest.js';
import { type PointSummary } from '../results/summary.js';
import { writeRunSummary } from '../results/run-summary.js';
import type { TrialRecord } from '../results/trial-record.js';
import { otherBackend } from '../results/run-backend.js';
import { latestRecords, readTrials } from '../results/trials-log.js';
import { augments } from '../train/frozen-features.js';
import { openRunDir, runDirOf } from './run-dir.js';
import { builtEmbeddingsSources } from './embeddings-sources.js';
import { embeddingsHashes } from '../models/embedding-weights.js';
import { pretrainedDir } from './task-cache.js';
import { trialRunner } from './trial-runner.js';
import type { PretrainResult, TaskRequest } from './task-messages.js';
import type { TaskProgress } from './worker-pool.js';

export type TaskKind = TaskRequest['kind'];

/** How much of a search's budget is spent: trials, or epochs of training summed over trials. */
export interface BudgetUse {
  readonly unit: 'trials' | 'epochs';
  readonly total: number;
  readonly used: number;
}

/**
 * What a progress view hears; it never reaches into the runner. A grid sweep plans
 * its tasks once; a search calls `planned` again with each configuration's tasks.
 * A finished fine-tuning trial carries its score (the validation score the search
 * ranks by, of the first metric).
 */
export interface RunObserver {
  planned?(tasks: readonly { key: string; kind: TaskKind; label: string }[]): void;
  /** Handed to the pool (it may wait there for a worker). */
  started?(key: string): void;
  /** A worker has taken it. */
  running?(key: string): void;
  progress?(p: TaskProgress): void;
  finished?(key: string, outcome: { ok: boolean; message?: string; score?: number }): void;
  budget?(use: BudgetUse): void;
}

export interface RunOptions {
  readonly backend: BackendInfo;
  readonly concurrency?: number;
  readonly resultsDir: string;
  readonly cacheDir: string;
  readonly observer?: RunObserver;
  /** Run only this slice of the trials (tlx run --shard i/N). */
  readonly shard?: Shard;
  /** Move the previous run of this experiment aside and start again. */
  readonly fresh?: boolean;
  /** false: train every trial end to end, never on cached frozen-layer features (--no-cache). */
  readonly featureCache?: boolean;
  /**
   * Aborting it stops scheduling: running tasks may finish within `graceSeconds`,
   * then are abandoned; nothing unfinished is recorded, so a rerun does it.
   */
  readonly signal?: AbortSignal;
  readonly graceSeconds?: number;
}

export interface RunOutcome {
  readonly runDir: string;
  readonly records: readonly TrialRecord[];
  readonly summary: readonly PointSummary[];
  readonly ran: number;
  readonly skipped: number;
  readonly failed: number;
  readonly interrupted: boolean;
  /** Where --fresh moved the previous run. */
  readonly movedTo?: string;
  /** Folder of the exported model (export: best), or of all of them (export: all). */
  readonly exported?: string;
  /** The pretrained sources of the trials, scored on their own task (as in the manifest). */
  readonly sources: readonly SourceScores[];
}

/** Trials at once: `auto` is the number of cores on CPU backends, 1 on a GPU. */
export function resolveConcurrency(requested: 'auto' | number, backend: BackendInfo, pending: number): number {
  const n = requested === 'auto' ? (backend.gpu ? 1 : availableParallelism()) : requested;
  return Math.max(1, Math.min(n, pending));
}

/**
 * Runs the trials of an experiment (or of one shard of it) not yet in its
 * trials.jsonl: the pretrained source once, then scratch baselines, probes and
 * fine-tunes on a pool of worker processes, each trial recorded (a whole line) as
 * soon as its indicators are known. Holds the run directory's lock throughout.
 */
export async function runExperiment(loaded: LoadedExperiment, options: RunOptions): Promise<RunOutcome> {
  requirePresent(loaded.missing);
  const runDir = runDirOf(options.resultsDir, loaded, options.shard);
  const planned = planTrials(loaded.raw);
  // A search's shards share one journal and take configurations from it as they go; a grid's are dealt their trials.
  const search = loaded.experiment.search != null;
  const trials = options.shard && !search ? shardTrials(planned, options.shard) : planned;
  if (options.fresh !== true) refuseOtherBackend(loaded, runDir, options.backend);
  // Inputs are checked (source model found, data read) before anything is written.
  const inputs = options.fresh === true || search || pendingTrials(trials, runDir).length > 0 ? await prepareInputs(loaded, trials, options) : undefined;
  const { lock, movedTo } = openRunDir(runDir, `tlx run ${relative(process.cwd(), loaded.file)}`, options.fresh === true);
  // A second Ctrl-C exits at once; the lock must not outlive the process.
  process.once('exit', lock.release);
  try {
    const outcome = await runUnderLock(loaded, trials, runDir, inputs, options);
    return { ...outcome, ...(movedTo ? { movedTo } : {}) };
  } finally {
    lock.release();
    process.off('exit', lock.release);
  }
}

/** A run's trials come from one backend: resuming with another would mix their numbers. */
function refuseOtherBackend(loaded: LoadedExperiment, runDir: string, backend: BackendInfo): void {
  const recorded = otherBackend(runDir, backend);
  if (recorded == null) return;
  const dir = relative(process.cwd(), runDir) || runDir;
  const ownId = loaded.experiment.run.backend !== backend.name ? `, --set run.backend=${backend.name} gives it a run id of its own` : '';
  throw new UsageError('E_RESUME_BACKEND',
    `${dir} holds trials computed with backend ${describeBackend(recorded)}; this run would use ${describeBackend(backendIdentity(backend))}, and one run's numbers must come from one backend`,
    `resume it with the backend it was run with (--backend ${recorded.name}${recorded.version ? `, ${recorded.package} ${recorded.version}` : ''}), ` +
    `or keep the runs apart: --fresh moves the old one aside, --results OTHER_DIR writes the new one elsewhere${ownId}`);
}

/** Trials recorded from another source (source.model's files edited since) are not resumed into. */
function refuseOtherSource(trials: readonly Trial[], trialsPath: string, keys: KeyContext, runDir: string): void {
  const now = new Map(trials.map((t) => [t.id, sourceKey(t.experiment, keys)]));
  const stale = readTrials(trialsPath).find((r) => r.source != null && now.has(r.trial) && r.source !== now.get(r.trial));
  if (stale == null) return;
  throw new UsageError('E_RESUME_SOURCE',
    `${relative(process.cwd(), runDir) || runDir} holds trials computed from source ${stale.source}, but the source is now ${now.get(stale.trial)} (source.model's files changed since)`,
    'start again with --fresh (the old run is moved aside), or write the new run elsewhere with --results OTHER_DIR');
}

function pendingTrials(trials: readonly Trial[], runDir: string): Trial[] {
  const done = new Set(readTrials(join(runDir, 'trials.jsonl')).filter((r) => r.status !== 'failed').map((r) => r.trial));
  return trials.filter((t) => !done.has(t.id));
}

interface PreparedInputs {
  readonly baseDir: string;
  /** The experiment with its data shapes fixed (see ensureData). */
  readonly adjust: (e: ResolvedExperiment) => ResolvedExperiment;
  readonly notes: readonly string[];
  /** What task keys depend on beyond the experiment; with the model.json of each source.model. */
  readonly keys: KeyContext;
  readonly models: ReadonlyMap<string, SourceModelFile>;
}

/** What a graph-model source changes in a run (see execute/run-task.ts headTraining). */
const GRAPH_NOTE = 'source.model is a graph model: only the head is trained, on its features at source.cut; ' +
  'no model is exported (the head takes features, not images) and there is no scratch baseline';

async function prepareInputs(loaded: LoadedExperiment, trials: readonly Trial[], options: RunOptions): Promise<PreparedInputs> {
  const baseDir = dirname(loaded.file);
  const onProgress = progressPrinter((t) => process.stderr.write(t), process.stderr.isTTY === true);
  const modelShape = await prepareSourceModel(loaded.experiment, { cacheDir: options.cacheDir, baseDir, env: process.env }, onProgress);
  const data = await ensureData(loaded.experiment, { baseDir, env: process.env, onProgress }, modelShape);
  for (const note of data.notes) process.stderr.write(`tlx: ${note}\n`);
  const models = sourceModels(trials.map((t) => t.experiment), { cacheDir: options.cacheDir, baseDir, env: process.env });
  const graph = [...models.values()].some((m) => m.kind === 'graph') ? [GRAPH_NOTE] : [];
  for (const note of graph) process.stderr.write(`tlx: ${note}\n`);
  const embeddingsHash = await embeddingsHashes(trials.map((t) => t.experiment), { cacheDir: options.cacheDir, baseDir, env: process.env });
  return {
    baseDir, adjust: data.adjust, notes: [...data.notes, ...graph], models,
    keys: { baseDir, modelHash: (model) => models.get(model)?.hash, modelKind: (model) => models.get(model)?.kind, embeddingsHash },
  };
}

async function runUnderLock(
  loaded: LoadedExperiment, trials: readonly Trial[], runDir: string, inputs: PreparedInputs | undefined, options: RunOptions,
): Promise<RunOutcome> {
  const { experiment } = loaded;
  const trialsPath = join(runDir, 'trials.jsonl');
  // Again, now holding the lock: another process may have finished some meanwhile.
  const pending = pendingTrials(trials, runDir);
  // A search decides as it goes what it runs; the base point's trials stand for it until then.
  const work = experiment.search != null || pending.length > 0;
  const concurrency = resolveConcurrency(options.concurrency ?? experiment.run.concurrency, options.backend, experiment.search ? Infinity : pending.length);
  const manifestPath = join(runDir, 'manifest.json');
  const manifest: Manifest = {
    name: experiment.name,
    runId: loaded.hash.slice(0, 8),
    experimentFile: relative(process.cwd(), loaded.file),
    experimentCommit: gitCommit(loaded.file),
    configHash: loaded.hash,
    overrides: loaded.overrides,
    config: experiment,
    seeds: Array.from({ length: experiment.repeats }, (_, r) => experiment.seed + r),
    environment: environment(options.backend),
    concurrency,
    ...(options.shard && options.shard.count > 1 ? { shard: options.shard } : {}),
    trials: experiment.search ? experiment.search.budget?.trials ?? 0 : trials.length,
    notes: [...runNotes(trials, options.featureCache !== false), ...(inputs?.notes ?? [])],
    startedAt: new Date().toISOString(),
    finishedAt: null,
    status: 'running',
  };
  let [ran, failed, interrupted] = [0, 0, options.signal?.aborted === true];
  const context = inputs != null ? { ...options, ...inputs, runDir, trialsPath, concurrency } : undefined;
  if (work && context != null && !interrupted) {
    refuseOtherSource(trials, trialsPath, context.keys, runDir);
    writeFileAtomic(manifestPath, JSON.stringify(manifest, null, 2));
    ({ ran, failed, interrupted } = await runTasks(loaded, pending, context));
  }
  // The run folder may hold trials of other sweeps of the same experiment (fewer grid values, another search): these are this one's.
  const inSweep = plannedTrials(loaded, trials, runDir, options.resultsDir);
  const log = readTrials(trialsPath).filter(inSweep);
  const records = latestRecords(log);
  const sources = inputs != null ? pretrainedSources(trials, inputs.keys, options.cacheDir, backendIdentity(options.backend)) : recordedSources(manifestPath);
  const { summary, exported } = writeRunSummary(runDir, records, experiment, sources, log);
  // A shard dealt no trials still leaves a run folder that tlx merge can read.
  if (work || !existsSync(manifestPath)) {
    const complete = new Set(records.filter((r) => r.status !== 'failed').map((r) => r.trial));
    const status = interrupted && trials.some((t) => !complete.has(t.id)) ? 'interrupted' : 'finished';
    const embeddings = inputs != null ? builtEmbeddingsSources(trials, { cacheDir: options.cacheDir, identity: backendIdentity(options.backend), keys: inputs.keys }) : [];
    // A search with an epoch budget knows its trials only once it has run them.
    const counted = experiment.search && experiment.search.budget?.trials == null ? { trials: records.length } : {};
    const finished: Manifest = { ...manifest, ...counted, ...(sources.length > 0 ? { sources } : {}), ...(embeddings.length > 0 ? { embeddings } : {}), finishedAt: new Date().toISOString(), status };
    writeFileAtomic(manifestPath, JSON.stringify(finished, null, 2));
  }
  return { runDir, records, summary, exported, ran, skipped: experiment.search ? 0 : trials.length - pending.length, failed, interrupted, sources };
}

/** Whether a record belongs to this sweep: a planned trial of the grid, or a trial of a configuration in this search's journal. */
function plannedTrials(loaded: LoadedExperiment, trials: readonly Trial[], runDir: string, resultsDir: string): (r: TrialRecord) => boolean {
  const { experiment } = loaded;
  if (experiment.search == null) {
    const ids = new Set(trials.map((t) => t.id));
    return (r) => ids.has(r.trial);
  }
  const points = new Set(readJournal(journalPath(runDirOf(resultsDir, loaded), { ...experiment, search: experiment.search })).history.suggestions.map((s) => s.pointId));
  return (r) => points.has(r.pointId) && r.repeat < experiment.repeats;
}

/**
 * The pretrained sources of these trials that are in the cache, with their own
 * scores (meta.json) and whether those are above chance: so the manifest, the
 * summary and the report say what the transferred knowledge is worth.
 */
function pretrainedSources(trials: readonly Trial[], keys: KeyContext, cacheDir: string, identity: BackendIdentity): SourceScores[] {
  const found = new Map<string, SourceScores>();
  for (const t of trials) {
    if (t.experiment.source.pretrain == null || t.experiment.source.model != null) continue;
    const key = pretrainKey(t.experiment, keys);
    const dir = pretrainedDir(cacheDir, identity, key);
    if (found.has(key) || !hasModel(dir)) continue;
    const { test, seconds, curve, confusion, embeddings } = readMeta<PretrainResult>(dir);
    found.set(key, { key, test, seconds, ...(curve ? { curve } : {}), ...(confusion ? { confusion } : {}),
      chance: confusion ? chanceTest([confusionCounts(confusion)]) : null, ...(embeddings ? { embeddings } : {}) });
  }
  return [...found.values()];
}

/** The sources an earlier run of this folder recorded (a rerun with nothing left to do reads them back). */
function recordedSources(manifestPath: string): readonly SourceScores[] {
  if (!existsSync(manifestPath)) return [];
  try {
    return (JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest).sources ?? [];
  } catch {
    return [];
  }
}

interface TaskContext extends RunOptions, PreparedInputs {
  readonly runDir: string;
  readonly trialsPath: string;
  readonly concurrency: number;
}

/** Pretrain (under the cache lock), then scratch, probes and fine-tunes on the pool: the pending trials of a grid, or a search's. */
async function runTasks(loaded: LoadedExperiment, pending: readonly Trial[], context: TaskContext): Promise<{ ran: number; failed: number; interrupted: boolean }> {
  const runner = trialRunner(context);
  const { experiment } = loaded;
  try {
    if (experiment.search == null) await runner.run(pending);
    else {
      await runSearch(runner, {
        raw: loaded.raw, experiment: { ...experiment, search: experiment.search }, searchDir: runDirOf(context.resultsDir, loaded),
        trialsPath: context.trialsPath, owner: context.shard && context.shard.count > 1 ? shardName(context.shard) : 'main',
        concurrency: context.concurrency, ...(context.observer ? { observer: context.observer } : {}),
      });
    }
  } finally {
    await runner.close();
  }
  return { ran: runner.ran, failed: runner.failed, interrupted: runner.interrupted };
}

function runNotes(trials: readonly Trial[], featureCache: boolean): string[] {
  if (!featureCache) return ['frozen-layer features were not cached (--no-cache): every batch ran the whole model'];
  return trials.some((t) => augments(t.experiment.train.augment))
    ? ['training batches are augmented (train.augment): frozen-layer features are computed for every batch, not cached']
    : [];
}
