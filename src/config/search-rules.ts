import { canonicalJson } from '../plan/canonical-hash.js';
import { ashaRungs } from '../plan/search/asha.js';
import { SOBOL_MAX_DIMENSIONS } from '../plan/search/sobol.js';
import { dimensions, dimensionValues, spaceSize } from '../plan/search/space.js';
import { quote } from '../quote.js';
import type { Distribution, ResolvedExperiment } from './resolved.js';
import type { Rule, RuleProblem } from './rules.js';
import type { PathSegment } from './yaml-source.js';

const at = (...path: PathSegment[]) => ['search', ...path];

const notBoth: Rule = ({ search, grid }) => (search != null && Object.keys(grid).length > 0 ? [{
  code: 'E_SEARCH_GRID', path: at(), atKey: true,
  message: 'an experiment has a grid or a search, not both',
  hint: 'move the grid\'s lists into search.space as {choice: [...]} (with strategy: grid to run every combination)',
}] : []);

/** A distribution's own problems: bounds in order, above 0 on a log scale, each choice once. */
function distributionProblems(key: string, d: Distribution): RuleProblem[] {
  const problem = (path: PathSegment[], message: string, hint?: string): RuleProblem => ({ code: 'E_SEARCH_SPACE', path: at('space', key, ...path), message, ...(hint ? { hint } : {}) });
  if ('choice' in d) {
    const seen = new Map<string, number>();
    return d.choice.flatMap((v, i) => {
      const earlier = seen.get(canonicalJson(v));
      seen.set(canonicalJson(v), earlier ?? i);
      return earlier == null ? [] : [problem(['choice', i], `${quote(v)} is listed twice (items ${earlier} and ${i}); each choice must differ`)];
    });
  }
  const [name, [low, high]] = 'uniform' in d ? ['uniform', d.uniform] : 'logUniform' in d ? ['logUniform', d.logUniform] : ['int', d.int];
  if (!(low < high)) return [problem([name, 1], `the upper bound ${high} is not above the lower bound ${low}`, `write [low, high] with low < high; a fixed value belongs in the file, not the space`)];
  if (name === 'logUniform' && low <= 0) return [problem([name, 0], `a log scale needs bounds above 0, got ${low}`, 'use uniform for ranges that include 0')];
  if ('int' in d && d.log === true && d.step != null) return [problem(['step'], 'an integer range on a log scale takes no step', 'drop step, or log')];
  if ('int' in d && d.log === true && low < 1) return [problem(['int', 0], `an integer range on a log scale starts at 1 or above, got ${low}`)];
  return [];
}

const space: Rule = ({ search }) => Object.entries(search?.space ?? {}).flatMap(([key, d]) => (d == null ? [] : distributionProblems(key, d)));

const strategyFits: Rule = (e) => {
  const search = e.search;
  if (search == null) return [];
  const dims = dimensions(search.space);
  const problems: RuleProblem[] = [];
  if (search.strategy === 'grid') {
    const continuous = dims.find((d) => dimensionValues(d) == null);
    if (continuous) problems.push({ code: 'E_SEARCH_STRATEGY', path: at('space', continuous.key), message: `strategy grid needs finitely many values, and ${quote(continuous.key)} is a continuous range`, hint: 'give it a step, list values with choice, or use strategy random, sobol, tpe or asha' });
  } else if (search.budget == null) {
    problems.push({ code: 'E_SEARCH_BUDGET', path: at('strategy'), message: `strategy ${search.strategy} needs a budget`, hint: 'add search.budget: {trials: N} (configurations x repeats) or {epochs: N}' });
  }
  if (search.strategy === 'sobol' && dims.length > SOBOL_MAX_DIMENSIONS) {
    problems.push({ code: 'E_SEARCH_STRATEGY', path: at('space'), message: `strategy sobol takes at most ${SOBOL_MAX_DIMENSIONS} parameters, the space has ${dims.length}`, hint: 'use strategy random or tpe' });
  }
  if (search.strategy === 'asha') problems.push(...ashaProblems(e, search));
  if (search.budget?.trials != null && search.budget.trials < e.repeats) {
    problems.push({ code: 'E_SEARCH_BUDGET', path: at('budget', 'trials'), message: `a budget of ${search.budget.trials} trials is less than one configuration (repeats: ${e.repeats})`, hint: `give at least ${e.repeats} trials` });
  }
  const size = spaceSize(dims);
  if (search.budget?.trials != null && size * e.repeats < search.budget.trials) {
    problems.push({ code: 'E_SEARCH_BUDGET', path: at('budget', 'trials'), message: `the space has only ${size} configurations (${size * e.repeats} trials with ${e.repeats} repeats), fewer than the budget of ${search.budget.trials} trials`, hint: 'no configuration is proposed twice: lower the budget or widen the space' });
  }
  return problems;
};

// The fidelity is train.epochs: a rung continues a single phase of training from its checkpoint.
function ashaProblems(e: ResolvedExperiment, search: NonNullable<ResolvedExperiment['search']>): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (search.asha.minEpochs >= e.train.epochs) {
    problems.push({ code: 'E_SEARCH_ASHA', path: at('asha', 'minEpochs'), message: `asha.minEpochs (${search.asha.minEpochs}) must be below train.epochs (${e.train.epochs}), the top rung; rungs would be ${ashaRungs({ ...search.asha, maxEpochs: e.train.epochs }).join(', ')}`, hint: 'raise train.epochs, the most a configuration trains, or lower asha.minEpochs' });
  }
  if (e.transfer.fineTune != null) {
    problems.push({ code: 'E_SEARCH_ASHA', path: at('strategy'), message: 'strategy asha continues one phase of training across rungs, and transfer.fineTune adds a second', hint: 'use strategy tpe or random with fine-tuning, or search the single phase (no transfer.fineTune)' });
  }
  if (e.train.earlyStopping != null) {
    problems.push({ code: 'E_SEARCH_ASHA', path: at('strategy'), message: 'strategy asha stops configurations itself, at its rungs; train.earlyStopping would stop a trial between them', hint: 'remove train.earlyStopping, or use strategy tpe or random' });
  }
  for (const key of Object.keys(search.space)) {
    if (key === 'train.epochs') problems.push({ code: 'E_SEARCH_ASHA', path: at('space', key), atKey: true, message: 'strategy asha sets the epochs itself (its rungs); train.epochs cannot be searched', hint: 'train.epochs is the top rung' });
  }
  return problems;
}

/** Checks of a search block, beside the grid's. */
export const SEARCH_RULES: readonly Rule[] = [notBoth, space, strategyFits];
