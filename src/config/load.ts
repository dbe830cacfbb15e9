import { dirname, relative, resolve } from 'node:path';
import { ConfigError, type ConfigIssue, UsageError } from '../errors.js';
import { hashOf } from '../plan/canonical-hash.js';
import { quote } from '../quote.js';
import { applyPoint } from '../plan/grid.js';
import { sweptValues } from './swept-values.js';
import { unswept } from '../plan/trials.js';
import { POINT_ID_LENGTH } from '../plan/trials.js';
import type { Experiment } from './experiment.generated.js';
import { decodeText, readBounded, sizeIssue } from './file-text.js';
import { OPTIMIZERS_VERSION } from '../train/optimizers/version.js';
import { TOKENIZER_VERSION } from '../data/text/tokenize.js';
import { normalize } from './normalize.js';
import { type Override, parseOverride, withOverrides } from './overrides.js';
import type { ResolvedExperiment } from './resolved.js';
import { PRESENCE_RULES } from './presence.js';
import { problemToIssue, type Rule, type RuleContext, type RuleProblem, RULES, runRules } from './rules.js';
import { schemaErrors } from './schema.js';
import { dotted, schemaIssues } from './schema-issues.js';
import { parseYaml, type YamlSource } from './yaml-source.js';

/** A checked experiment file. */
export interface LoadedExperiment {
  readonly file: string;
  readonly raw: Experiment;
  readonly experiment: ResolvedExperiment;
  /** Hash of the resolved experiment: a run of the same content reuses its results. */
  readonly hash: string;
  readonly source: YamlSource;
  /** The `--set path=value` overrides applied to the file, as given. */
  readonly overrides: readonly string[];
  /** What a run needs that is not on this machine (presence.ts); the file is valid regardless. */
  readonly missing: readonly ConfigIssue[];
}

export interface LoadOptions {
  /** `path=value` overrides (`--set`), applied in order before any check. */
  readonly overrides?: readonly string[];
  /** Environment for the model cache (XDG_CACHE_HOME); process.env when absent. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Reads, parses, applies the `--set` overrides to, schema-checks, normalizes and
 * rule-checks an experiment file. Every problem is collected and thrown together
 * as one ConfigError; what a run needs from this machine and does not find is
 * returned as `missing`.
 */
export function loadExperiment(path: string, cwd = process.cwd(), options: LoadOptions = {}): LoadedExperiment {
  const { overrides = [], env = process.env } = options;
  const file = resolve(cwd, path);
  let read: ReturnType<typeof readBounded>;
  try {
    read = readBounded(file);
  } catch (e) {
    throw new UsageError('E_FILE', `cannot read ${quote(path)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      'give the path of an experiment YAML file, e.g. experiments/mnist-digits.yaml');
  }
  const shown = relative(cwd, file) || file;
  if ('tooLarge' in read) throw new ConfigError([sizeIssue(shown, read.tooLarge)]);
  const decoded = decodeText(read.bytes, shown);
  if ('issue' in decoded) throw new ConfigError([decoded.issue]);
  const parsed = parseYaml(decoded.text, shown);
  if (!parsed.source) throw new ConfigError(parsed.issues);
  const { source, issues: overrideIssues } = overridden(parsed.source, overrides);
  const errors = schemaErrors(source.data);
  throwIfAny([...overrideIssues, ...schemaIssues(errors, source)]);
  const raw = source.data as Experiment;
  const experiment = normalize(raw);
  const context = { baseDir: dirname(file), env };
  throwIfAny(runRules(experiment, context).map((p) => problemToIssue(p, source)));
  throwIfAny(gridValueIssues(RULES, raw, experiment, source, context));
  const absent = runRules(experiment, context, PRESENCE_RULES);
  const missing = [
    ...absent.map((p) => problemToIssue(p, source)),
    ...gridValueIssues(PRESENCE_RULES, raw, experiment, source, context, absent),
  ];
  return { file, raw, experiment, hash: runHash(experiment), source, overrides, missing };
}

/** The file with the overrides that can be applied, and the problems of the others (checked with the file's). */
function overridden(source: YamlSource, texts: readonly string[]): { source: YamlSource; issues: ConfigIssue[] } {
  const parsed = texts.map(parseOverride);
  const usable = parsed.filter((p): p is Override => !('code' in p));
  const applied = withOverrides(source, usable);
  return { source: applied.source, issues: [...parsed.filter((p): p is ConfigIssue => 'code' in p), ...applied.issues] };
}

function throwIfAny(issues: ConfigIssue[]): void {
  if (issues.length > 0) throw new ConfigError(issues);
}

/**
 * Each grid value (and search choice, and end of a search range) must make a valid experiment: it is substituted and checked like
 * the file itself, and problems point at the value in the grid. Problems the file
 * has without the value (`known`) are not repeated for it.
 */
function gridValueIssues(
  rules: readonly Rule[], raw: Experiment, experiment: ResolvedExperiment, source: YamlSource, context: RuleContext,
  known: readonly RuleProblem[] = [],
): ConfigIssue[] {
  const isKnown = (p: RuleProblem) => known.some((k) => k.code === p.code && k.message === p.message && dotted(k.path) === dotted(p.path));
  const issues: ConfigIssue[] = [];
  // Once: a copy per value would grow with the square of the sweep.
  const single = unswept(raw);
  for (const { key, value, at } of sweptValues(experiment)) {
    const variant = applyPoint(single, { [key]: value });
    const errors = schemaErrors(variant);
    const found = errors.length > 0
      ? schemaIssues(errors, source).map((issue) => ({ ...issue, position: source.locate(at) }))
      : runRules(normalize(variant), context, rules).filter((p) => !isKnown(p)).map((p) => problemToIssue(p, source, at));
    for (const issue of found) {
      issues.push({ ...issue, path: dotted(at), message: `with ${key} = ${quote(value)}: ${issue.path ? `${issue.path}: ` : ''}${issue.message}` });
    }
  }
  return issues;
}

/**
 * The run id's hash: what every trial of the run shares. Not the sweep (grid,
 * search, repeats): a trial is identified by its own point and seed, so adding
 * grid values, raising repeats or a search's budget continues the same run and
 * reuses every trial already finished. Not the settings that only change how
 * fast it runs (concurrency, cache budget) either. The length of trial ids is in
 * it: a run recorded under shorter ids is not resumed (and mixed with) under
 * longer ones, it is a run of its own; so is the version of the optimizers'
 * implementation (a run trained with tfjs-core's Adadelta is not resumed), and of
 * the tokenizer's where texts are read.
 */
function runHash(experiment: ResolvedExperiment): string {
  const tokenizer = experiment.source.input.text ? { tokenizer: TOKENIZER_VERSION } : {};
  const { grid: _grid, search: _search, repeats: _repeats, ...shared } = experiment;
  return hashOf({ ...shared, run: { backend: experiment.run.backend }, trialIds: POINT_ID_LENGTH, optimizers: OPTIMIZERS_VERSION, ...tokenizer });
}
