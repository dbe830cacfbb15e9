import { join } from 'node:path';
import { byteSize } from '../config/byte-size.js';
import type { ResolvedExperiment } from '../config/resolved.js';
import { backendIdentity } from '../engine/backend-identity.js';
import type { BackendInfo } from '../engine/init-backend.js';
import type { KeyContext } from '../plan/tasks.js';
import { planTasks, sourceKey } from '../plan/tasks.js';
import type { Trial } from '../plan/trials.js';
import type { SourceModelFile } from '../models/model-hash.js';
import type { SearchMark, TrialRecord } from '../results/trial-record.js';
import { appendTrial } from '../results/trials-log.js';
import { validationScore } from '../results/objective.js';
import type { RungOptions } from '../train/fit.js';
import { runTrial } from './assemble-trial.js';
import { buildEmbeddingsSources } from './embeddings-sources.js';
import type { RunObserver, TaskKind } from './run-experiment.js';
import { cachedModel, cachedTask } from './task-cache.js';
import type { TaskRequest, TaskResults } from './task-messages.js';
import { trialSourceModel } from './trial-source.js';
import { workerPool } from './worker-pool.js';

export interface TrialRunnerContext {
  readonly backend: BackendInfo;
  readonly concurrency: number;
  readonly cacheDir: string;
  readonly baseDir: string;
  readonly runDir: string;
  readonly trialsPath: string;
  readonly adjust: (e: ResolvedExperiment) => ResolvedExperiment;
  readonly keys: KeyContext;
  readonly models: ReadonlyMap<string, SourceModelFile>;
  readonly featureCache?: boolean;
  readonly observer?: RunObserver;
  readonly signal?: AbortSignal;
  readonly graceSeconds?: number;
}

/** What a search adds to a fine-tune: how far it trains now, and the mark its record carries. */
export interface TrialExtra {
  readonly rung?: RungOptions;
  readonly search?: Omit<SearchMark, 'addedSeconds'>;
}

export interface TrialRunner {
  /**
   * Runs trials on the pool: their pretrained source, scratch baselines and probes
   * first (each once per key, however many calls need it), then each fine-tune,
   * appending every record to trials.jsonl as soon as it is known. Resolves with
   * the records (none for work an interruption cut short).
   */
  run(trials: readonly Trial[], extra?: (t: Trial) => TrialExtra): Promise<TrialRecord[]>;
  readonly interrupted: boolean;
  readonly ran: number;
  readonly failed: number;
  close(): Promise<void>;
}

/** A pool of workers and the shared tasks of the trials run on it (see TrialRunner). */
export function trialRunner(context: TrialRunnerContext): TrialRunner {
  const { cacheDir, baseDir, runDir, trialsPath, adjust, backend, keys, models } = context;
  const observer = context.observer ?? {};
  const identity = backendIdentity(backend);
  const sourceOf = (t: Trial) => trialSourceModel(t, { cacheDir, identity, keys, models });
  const note = (text: string) => process.stderr.write(`tlx: ${text}\n`);
  const pool = workerPool(context.concurrency, backend, (p) => observer.progress?.(p), (key) => observer.running?.(key));
  const shared = new Map<string, Promise<unknown>>();
  let [interrupted, ran, failed] = [false, 0, 0];
  let grace: NodeJS.Timeout | undefined;
  const interrupt = () => {
    interrupted = true;
    pool.stop();
    grace = setTimeout(() => void pool.close(), (context.graceSeconds ?? 60) * 1000);
  };
  context.signal?.addEventListener('abort', interrupt, { once: true });
  const runTask = <K extends TaskKind>(request: Extract<TaskRequest, { kind: K }>): Promise<TaskResults[K]> => {
    observer.started?.(request.key);
    const promise = pool.run(request);
    // A fine-tune is reported finished with its record (and score), below.
    if (request.kind !== 'finetune') promise.then(() => observer.finished?.(request.key, { ok: true }), (e: Error) => observer.finished?.(request.key, { ok: false, message: e.message }));
    return promise;
  };
  const base = (key: string, trial: Trial) => {
    const featureBudget: number | false = context.featureCache === false ? false : byteSize(trial.experiment.run.cacheBudget);
    return { key, experiment: adjust(trial.experiment), sourceModel: sourceOf(trial), baseDir, cacheDir, featureBudget };
  };
  // Each shared task once: the first trial to need its key starts it, the others await the same promise.
  const once = <T>(key: string, start: () => Promise<T>): Promise<T> => {
    let p = shared.get(key) as Promise<T> | undefined;
    if (p == null) {
      p = start();
      // Nobody may await it until a trial does; its failure surfaces in that trial's record.
      p.catch(() => undefined);
      shared.set(key, p);
    }
    return p;
  };
  const cached = <K extends 'scratch' | 'probe'>(kind: K, key: string, t: Trial): Promise<TaskResults[K]> => once(key, async () => {
    let computed = false;
    const result = await cachedTask(cacheDir, identity, key, () => {
      computed = true;
      return runTask({ kind, ...base(key, t), seed: t.seed } as Extract<TaskRequest, { kind: K }>) as Promise<TaskResults[K]>;
    }, { note });
    if (!computed) observer.finished?.(key, { ok: true, message: 'from the cache' });
    return result;
  });

  async function run(trials: readonly Trial[], extra?: (t: Trial) => TrialExtra): Promise<TrialRecord[]> {
    if (trials.length === 0 || interrupted) return [];
    const tasks = planTasks(trials, keys);
    const metric = trials[0]!.experiment.metrics[0]!;
    observer.planned?.([
      ...[...tasks.pretrain.keys()].filter((k) => !shared.has(k)).map((key) => ({ key, kind: 'pretrain' as const, label: `pretrain source ${key}` })),
      ...[...tasks.scratch.keys()].filter((k) => !shared.has(k)).map((key) => ({ key, kind: 'scratch' as const, label: `scratch baseline ${key}` })),
      ...[...tasks.probe.keys()].filter((k) => !shared.has(k)).map((key) => ({ key, kind: 'probe' as const, label: `transfer-only probe ${key}` })),
      ...trials.map((t) => ({ key: t.id, kind: 'finetune' as const, label: `trial ${t.id} ${JSON.stringify(t.point)}` })),
    ]);
    await buildEmbeddingsSources(trials, { cacheDir, identity, keys, baseDir, env: process.env, note });
    for (const [key, t] of tasks.pretrain) {
      await once(key, () => cachedModel(cacheDir, identity, key, () => runTask({ kind: 'pretrain', ...base(key, t) }), { note }));
    }
    for (const [key, t] of tasks.scratch) void cached('scratch', key, t);
    for (const [key, t] of tasks.probe) void cached('probe', key, t);
    const records = await Promise.all(trials.map(async (trial): Promise<TrialRecord | undefined> => {
      const more = extra?.(trial) ?? {};
      const exportDir = trial.experiment.export === 'none' ? {} : { exportDir: join(runDir, 'models', trial.id) };
      const scratchKey = tasks.scratchOf.get(trial.id);
      const probeKey = tasks.probeOf.get(trial.id);
      const started = performance.now();
      const record = await runTrial(trial, () => runTask({ kind: 'finetune', ...base(trial.id, trial), seed: trial.seed, ...exportDir, ...(more.rung ? { rung: more.rung } : {}) }),
        scratchKey ? shared.get(scratchKey) as Promise<TaskResults['scratch']> : undefined, scratchKey,
        probeKey ? shared.get(probeKey) as Promise<TaskResults['probe']> : undefined, tasks.scratchUnavailable.get(trial.id));
      // Work cut short by an interruption is not a result: the next run does it.
      if (interrupted && record.status === 'failed') return undefined;
      const search = more.search ? { search: { ...more.search, addedSeconds: (performance.now() - started) / 1000 } } : {};
      const full: TrialRecord = { ...record, ...search, backend: identity, source: sourceKey(trial.experiment, keys) };
      appendTrial(trialsPath, full);
      ran++;
      if (record.status === 'failed') failed++;
      const score = validationScore(full, metric);
      observer.finished?.(trial.id, { ok: record.status !== 'failed', ...(record.error ? { message: record.error.message } : {}), ...(score != null ? { score } : {}) });
      return full;
    }));
    return records.filter((r): r is TrialRecord => r != null);
  }

  return {
    run,
    get interrupted() { return interrupted; },
    get ran() { return ran; },
    get failed() { return failed; },
    close: async () => {
      clearTimeout(grace);
      context.signal?.removeEventListener('abort', interrupt);
      await pool.close();
    },
  };
}
