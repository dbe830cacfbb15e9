import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Metric } from '../config/resolved.js';
import { FileError } from '../errors.js';
import { gridPoints } from '../plan/grid.js';
import { varyingKeys } from './grid-axes.js';
import { pointLabel } from '../results/format-estimate.js';
import type { Manifest } from '../results/manifest.js';
import { inSuggestionOrder, searchedKeys, searchSummary, type SearchSummary } from '../results/search-summary.js';
import { type PointSummary, summarize } from '../results/summary.js';
import type { TrialRecord } from '../results/trial-record.js';
import { latestRecords, readTrials } from '../results/trials-log.js';

/** A results folder that cannot be reported on. */
export class RunDirError extends FileError {
  override readonly name = 'RunDirError';
}

/** Everything a report shows, read from one run's folder. */
export interface RunData {
  readonly dir: string;
  readonly manifest: Manifest;
  /** The latest record of every trial (a retried failure superseded). */
  readonly records: readonly TrialRecord[];
  /** Per grid point (per configuration of a search), in grid order (a search's: the order it proposed them). */
  readonly summary: readonly PointSummary[];
  readonly metric: Metric;
  /** A search's configurations, rungs and progress against compute; null for a grid sweep. */
  readonly search: SearchSummary | null;
  /** Target class names, in label order. */
  readonly classNames: readonly string[];
  /** The comment block at the top of the experiment file (its question), when the file is found. */
  readonly notes: string | null;
}

export function loadRun(dir: string, cwd: string): RunData {
  const runDir = resolve(cwd, dir);
  const hint = 'give the folder that tlx run printed as "results: ...", e.g. results/<name>/<run>';
  if (!existsSync(runDir) || !statSync(runDir).isDirectory()) throw new RunDirError('E_RUN_DIR', dir, 'no such folder', hint);
  const manifestPath = join(runDir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new RunDirError('E_RUN_DIR', dir, 'not a run folder (no manifest.json)', hint);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  } catch (error) {
    throw new RunDirError('E_RUN_DIR', manifestPath, `unreadable: ${(error as Error).message}`);
  }
  const log = readTrials(join(runDir, 'trials.jsonl'));
  const records = latestRecords(log);
  const metric = manifest.config.metrics[0] ?? 'accuracy';
  const search = searchSummary(log, metric, manifest.config.repeats);
  const summary = summarize(records, metric, manifest.sources ?? []);
  return {
    dir: runDir,
    manifest,
    records,
    summary: search ? inSuggestionOrder(summary, search) : inGridOrder(summary, gridPoints(manifest.config.grid).map(pointLabel)),
    metric,
    search,
    classNames: classNames(runDir, manifest, records),
    notes: experimentNotes(resolve(cwd, manifest.experimentFile)),
  };
}

// Exported models carry the class names (folder names for image folders); else the
// configured classes; else the label numbers.
function classNames(runDir: string, manifest: Manifest, records: readonly TrialRecord[]): string[] {
  const models = join(runDir, 'models');
  const exported = existsSync(models) ? readdirSync(models).map((d) => join(models, d, 'labels.json')).find((f) => existsSync(f)) : undefined;
  if (exported) return JSON.parse(readFileSync(exported, 'utf8')) as string[];
  const configured = manifest.config.target.data.classes;
  if (configured) return configured.map(String);
  const k = records.find((r) => r.confusion)?.confusion?.length ?? 0;
  return Array.from({ length: k }, (_, i) => String(i));
}

/** The leading `#` comment lines of the experiment file, without the editor modeline. */
function experimentNotes(file: string): string | null {
  if (!existsSync(file)) return null;
  const lines: string[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('#')) break;
    if (!line.includes('yaml-language-server:')) lines.push(line.replace(/^# ?/, ''));
  }
  const text = lines.join('\n').trim();
  return text === '' ? null : text;
}

/** The parameters trials are labelled by: those the grid varies, or those the search did. */
export function runKeys(run: Pick<RunData, 'manifest' | 'search'>): string[] {
  return run.search ? searchedKeys(run.search.configurations) : varyingKeys(run.manifest.config.grid);
}

// Records arrive in the order trials finished; tables and panels follow the grid.
function inGridOrder(summary: readonly PointSummary[], order: readonly string[]): PointSummary[] {
  const rank = (s: PointSummary) => {
    const i = order.indexOf(pointLabel(s.point));
    return i < 0 ? order.length : i;
  };
  return [...summary].sort((a, b) => rank(a) - rank(b));
}
