import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { LoadedExperiment } from '../config/load.js';
import { requirePresent } from '../config/presence.js';
import type { ResolvedExperiment } from '../config/resolved.js';
import { progressPrinter } from '../data/download.js';
import { ensureData } from '../data/prepare-inputs.js';
import { prepareSourceModel } from '../models/prepare-source.js';
import type { BackendInfo } from '../engine/init-backend.js';
import { packagePath } from '../package-root.js';
import { planTasks } from '../plan/tasks.js';
import { planTrials, type Trial } from '../plan/trials.js';
import { writeFileAtomic } from '../results/atomic-write.js';
import { gitCommit, machine, type Manifest } from '../results/manifest.js';
import { summarize, summaryCsv, summaryMarkdown, type PointSummary } from '../results/summary.js';
import type { TrialRecord } from '../results/trial-record.js';
import { appendTrial, readTrials } from '../results/trials-log.js';
import { runTrial } from './assemble-trial.js';
import type { TaskRequest, TaskResults } from './task-messages.js';
import { type TaskProgress, workerPool } from './worker-pool.js';

export type TaskKind = TaskRequest['kind'];

/** What a progress view hears; it never reaches into the runner. */
export interface RunObserver {
  planned?(tasks: readonly { key: string; kind: TaskKind; label: string }[]): void;
  started?(key: string): void;
  progress?(p: TaskProgress): void;
  finished?(key: string, outcome: { ok: boolean; message?: string }): void;
}

export interface RunOptions {
  readonly backend: BackendInfo;
  readonly concurrency?: number;
  readonly resultsDir: string;
  readonly cacheDir: string;
  readonly observer?: RunObserver;
}

export interface RunOutcome {
  readonly runDir: string;
  readonly records: readonly TrialRecord[];
  readonly summary: readonly PointSummary[];
  readonly ran: number;
  readonly skipped: number;
  readonly failed: number;
  /** Folder of the exported model (export: best), or of all of them (export: all). */
  readonly exported?: string;
}

/** Trials at once: `auto` is the number of cores on CPU backends, 1 on a GPU. */
export function resolveConcurrency(requested: 'auto' | number, backend: BackendInfo, pending: number): number {
  const n = requested === 'auto' ? (backend.gpu ? 1 : availableParallelism()) : requested;
  return Math.max(1, Math.min(n, pending));
}

/**
 * Runs the trials of an experiment not yet in its trials.jsonl: the pretrained
 * source once, then scratch baselines, probes and fine-tunes on a worker pool,
 * each trial recorded (a whole line) as soon as its indicators are known.
 */
export async function runExperiment(loaded: LoadedExperiment, options: RunOptions): Promise<RunOutcome> {
  requirePresent(loaded.missing);
  const { experiment } = loaded;
  const runDir = join(options.resultsDir, experiment.name, loaded.hash.slice(0, 8));
  const trialsPath = join(runDir, 'trials.jsonl');
  const trials = planTrials(loaded.raw);
  const done = new Set(readTrials(trialsPath).filter((r) => r.status !== 'failed').map((r) => r.trial));
  const pending = trials.filter((t) => !done.has(t.id));
  const tasks = planTasks(pending);
  const observer = options.observer ?? {};
  const concurrency = resolveConcurrency(options.concurrency ?? experiment.run.concurrency, options.backend, pending.length);

  let manifest: Manifest = {
    name: experiment.name,
    runId: loaded.hash.slice(0, 8),
    experimentFile: relative(process.cwd(), loaded.file),
    experimentCommit: gitCommit(loaded.file),
    configHash: loaded.hash,
    overrides: loaded.overrides,
    config: experiment,
    tlxVersion: (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version,
    backend: options.backend,
    node: process.version,
    cpu: machine(),
    concurrency,
    trials: trials.length,
    notes: runNotes(trials),
    startedAt: new Date().toISOString(),
    finishedAt: null,
    status: 'running',
  };
  let failed = 0;
  const baseDir = dirname(loaded.file);
  if (pending.length > 0) {
    const onProgress = progressPrinter((t) => process.stderr.write(t), process.stderr.isTTY === true);
    const modelShape = await prepareSourceModel(experiment, { cacheDir: options.cacheDir, baseDir, env: process.env }, onProgress);
    const data = await ensureData(experiment, { baseDir, env: process.env, onProgress }, modelShape);
    const input = data.adjust;
    for (const note of data.notes) process.stderr.write(`tlx: ${note}\n`);
    manifest = { ...manifest, notes: [...manifest.notes, ...data.notes] };
    writeFileAtomic(join(runDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
    const labels: { key: string; kind: TaskKind; label: string }[] = [
      ...[...tasks.pretrain.keys()].map((key) => ({ key, kind: 'pretrain' as const, label: `pretrain source ${key}` })),
      ...[...tasks.scratch.keys()].map((key) => ({ key, kind: 'scratch' as const, label: `scratch baseline ${key}` })),
      ...[...tasks.probe.keys()].map((key) => ({ key, kind: 'probe' as const, label: `transfer-only probe ${key}` })),
      ...pending.map((t) => ({ key: t.id, kind: 'finetune' as const, label: `trial ${t.id} ${JSON.stringify(t.point)}` })),
    ];
    observer.planned?.(labels);
    const pool = workerPool(concurrency, options.backend.name, (p) => observer.progress?.(p));
    const { cacheDir } = options;
    const run = <K extends TaskKind>(request: Extract<TaskRequest, { kind: K }>): Promise<TaskResults[K]> => {
      observer.started?.(request.key);
      const promise = pool.run(request);
      promise.then(() => observer.finished?.(request.key, { ok: true }), (e: Error) => observer.finished?.(request.key, { ok: false, message: e.message }));
      return promise;
    };
    try {
      for (const [key, t] of tasks.pretrain) await run({ kind: 'pretrain', key, experiment: input(t.experiment), cacheDir, baseDir });
      const scratch = new Map([...tasks.scratch].map(([key, t]) => [key, run({ kind: 'scratch', key, experiment: input(t.experiment), seed: t.seed, cacheDir, baseDir })]));
      const probes = new Map([...tasks.probe].map(([key, t]) => [key, run({ kind: 'probe', key, experiment: input(t.experiment), seed: t.seed, cacheDir, baseDir })]));
      const results = await Promise.allSettled(pending.map(async (trial) => {
        const record = await runTrial(trial, () => run({ kind: 'finetune', key: trial.id, experiment: input(trial.experiment), seed: trial.seed, cacheDir, baseDir, ...(experiment.export === 'none' ? {} : { exportDir: join(runDir, 'models', trial.id) }) }),
          scratch.get(tasks.scratchOf.get(trial.id) ?? ''), tasks.scratchOf.get(trial.id), probes.get(tasks.probeOf.get(trial.id) ?? ''));
        appendTrial(trialsPath, record);
        if (record.status === 'failed') failed++;
      }));
      for (const r of results) if (r.status === 'rejected') throw r.reason;
    } finally {
      await pool.close();
    }
  }
  const records = latestRecords(readTrials(trialsPath));
  const summary = summarize(records, experiment.metrics[0]!);
  const exported = keepExports(runDir, records, experiment);
  writeFileAtomic(join(runDir, 'summary.csv'), summaryCsv(summary));
  writeFileAtomic(join(runDir, 'summary.md'), summaryMarkdown(summary, experiment.name, experiment.metrics[0]!));
  if (pending.length > 0) {
    writeFileAtomic(join(runDir, 'manifest.json'), JSON.stringify({ ...manifest, finishedAt: new Date().toISOString(), status: 'finished' }, null, 2));
  }
  return { runDir, records, summary, exported, ran: pending.length, skipped: trials.length - pending.length, failed };
}

/**
 * export: best keeps the model of the trial with the best primary test metric and
 * removes the others (a resumed run compares old and new trials alike).
 */
function keepExports(runDir: string, records: readonly TrialRecord[], experiment: ResolvedExperiment): string | undefined {
  const dir = join(runDir, 'models');
  if (experiment.export === 'none' || !existsSync(dir)) return undefined;
  if (experiment.export === 'all') return dir;
  const metric = experiment.metrics[0]!;
  const best = records.filter((r) => r.status === 'ok' && existsSync(join(dir, r.trial)))
    .sort((a, b) => (b.test?.[metric] ?? -1) - (a.test?.[metric] ?? -1) || (a.trial < b.trial ? -1 : 1))[0];
  for (const name of readdirSync(dir)) if (name !== best?.trial) rmSync(join(dir, name), { recursive: true, force: true });
  return best ? join(dir, best.trial) : undefined;
}

function runNotes(trials: readonly Trial[]): string[] {
  const augmented = trials.some((t) => t.experiment.train.augment?.flip === true || (t.experiment.train.augment?.shift ?? 0) > 0);
  return augmented ? ['training batches are augmented (train.augment): frozen-layer features are computed for every batch, not cached'] : [];
}

/** A failed trial stays in the log; a later success of the same trial supersedes it. */
function latestRecords(records: readonly TrialRecord[]): TrialRecord[] {
  const byTrial = new Map<string, TrialRecord>();
  for (const r of records) if (r.status !== 'failed' || !byTrial.has(r.trial)) byTrial.set(r.trial, r);
  return [...byTrial.values()];
}
