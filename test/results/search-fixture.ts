import { timeToTarget } from '../../src/indicators/time-to-target.js';
import { seededRandom, shuffleInPlace } from '../../src/random.js';
import type { SearchMark, TrialRecord } from '../../src/results/trial-record.js';
import type { CurvePoint } from '../../src/train/fit.js';

/** A made-up search's trial log in file order, and what its generator decided. */
export interface SearchLog {
  readonly log: TrialRecord[];
  readonly repeats: number;
  /** Epochs trained to at each rung (one rung without ASHA). */
  readonly rungEpochs: readonly number[];
  /** `suggestion/rung` of every configuration promoted from that rung. */
  readonly promoted: ReadonlySet<string>;
  /** ASHA: a configuration stopped at rung 0 whose one repeat scored above every fully trained trial. */
  readonly trap?: number;
  readonly configurations: number;
}

const REPEATS = 2;
const UNITS = [32, 64, 128, 256];

// A validation curve rising to `score` at `epochs`, seconds at `pace` per epoch.
function curve(score: number, epochs: number, pace: number): CurvePoint[] {
  return Array.from({ length: epochs }, (_, i) => {
    const acc = score * (1 - Math.exp(-(i + 1) / 3)) / (1 - Math.exp(-epochs / 3));
    return { epoch: i + 1, phase: 1, loss: 1 - acc, valLoss: 1 - acc, val: { accuracy: acc, macroF1: acc - 0.01 },
      steps: (i + 1) * 24, examples: (i + 1) * 1500, seconds: (i + 1) * pace, learningRate: 0.001 };
  });
}

interface Configuration {
  readonly suggestion: number;
  readonly point: Record<string, unknown>;
  /** How good it gets when fully trained. */
  readonly quality: number;
}

function configuration(suggestion: number, random: () => number): Configuration {
  const lr = 10 ** (-5 + 4 * random());
  const point = { 'train.learningRate': lr, 'transfer.head.0.dense.units': UNITS[Math.floor(random() * UNITS.length)]!, 'train.optimizer': random() < 0.5 ? 'adam' : 'sgd' };
  return { suggestion, point, quality: 0.55 + 0.35 * Math.exp(-((Math.log10(lr) + 3) ** 2) / 2) + 0.05 * random() };
}

/**
 * The records a trial would leave, shaped like the runner's (curve, test scores,
 * confusion matrix, seconds) with its search mark. As in a real journal, an ASHA
 * promotion is a suggestion of its own (a later number), of the same point.
 */
function record(c: Configuration, repeat: number, mark: Omit<SearchMark, 'suggestion'>, score: number, status: TrialRecord['status'] = 'ok'): TrialRecord {
  const base = {
    trial: `t${String(c.suggestion).padStart(3, '0')}-r${repeat}`, pointId: `p${(c.suggestion * 2654435761 >>> 0).toString(16)}`, point: c.point,
    repeat, seed: 1337 + repeat, search: { ...mark, suggestion: c.suggestion + 1000 * (mark.rung ?? 0) }, finishedAt: '2026-01-01T00:00:00.000Z',
  };
  if (status === 'failed') return { ...base, status, error: { message: 'worker exited with code 134 (out of memory?)', code: 'E_WORKER' } };
  const k = Math.round(60 * score);
  // Validation scores that rank the configurations differently from their test scores, as real ones do.
  const validation = curve(score + 0.01 + 0.12 * Math.sin(c.suggestion * 12.9898 + repeat * 78.233 + mark.epochs), mark.epochs, 1.5);
  return {
    ...base, status, frozen: ['conv1', 'conv2', 'pool', 'dropout1', 'flatten'], curve: validation,
    test: { accuracy: score, macroF1: score - 0.01 }, confusion: [[k, 60 - k], [60 - k, k]], seconds: mark.epochs * 1.5,
    indicators: { timeToTarget: timeToTarget({ value: 0.5 }, 'accuracy', validation, undefined) },
  };
}

// The trials' record sequences interleaved at random, each trial's own order kept (rung k before k+1).
function interleave(sequences: TrialRecord[][], random: () => number): TrialRecord[] {
  const slots = sequences.flatMap((s, i) => s.map(() => i));
  shuffleInPlace(slots, random);
  const next = sequences.map(() => 0);
  return slots.map((i) => sequences[i]![next[i]!++]!);
}

/** A random search: `n` configurations of 3 parameters (a log-uniform learning rate), 2 repeats, 5 epochs each. */
export function randomSearchLog(seed: number, n = 6): SearchLog {
  const random = seededRandom(seed);
  const sequences = Array.from({ length: n }, (_, s) => configuration(s, random)).flatMap((c) =>
    Array.from({ length: REPEATS }, (_, r) => {
      const seconds = 5 * (1.5 + random());
      return [record(c, r, { strategy: 'random', epochs: 5, addedEpochs: 5, addedSeconds: seconds }, Math.min(0.99, c.quality * (0.97 + 0.03 * random())))];
    }));
  return { log: interleave(sequences, random), repeats: REPEATS, rungEpochs: [5], promoted: new Set(), configurations: n };
}

/**
 * ASHA with 3 rungs (1, 3, 9 epochs), 9 configurations, 2 repeats: the best third by
 * rung mean promoted each time, except a trap (one repeat very high, one very low at
 * rung 0: ASHA goes by the validation score, and never promotes it). One rung-0 repeat
 * fails first and succeeds when retried.
 */
export function ashaSearchLog(seed: number): SearchLog {
  const random = seededRandom(seed);
  const rungEpochs = [1, 3, 9];
  const configs = Array.from({ length: 9 }, (_, s) => configuration(s, random));
  const trap = Math.floor(random() * configs.length);
  const score = (c: Configuration, epochs: number) => Math.min(0.98, c.quality * (1 - Math.exp(-epochs / 3)) + 0.03 * random());
  const scores = new Map<string, number[]>();
  const sequences = configs.flatMap((c) => Array.from({ length: REPEATS }, () => [] as TrialRecord[]));
  const at = (c: Configuration, r: number) => sequences[c.suggestion * REPEATS + r]!;
  const promoted = new Set<string>();
  let alive = configs;
  for (const [rung, epochs] of rungEpochs.entries()) {
    for (const c of alive) {
      const s = Array.from({ length: REPEATS }, (_, r) => (c.suggestion === trap && rung === 0 ? (r === 0 ? 0.999 : 0.05) : score(c, epochs)));
      scores.set(`${c.suggestion}/${rung}`, s);
      s.forEach((v, r) => {
        const added = epochs - (rungEpochs[rung - 1] ?? 0);
        const mark = { strategy: 'asha' as const, rung, epochs, addedEpochs: added, addedSeconds: added * (1.5 + random()) };
        if (rung === 0 && c.suggestion === (trap + 1) % configs.length && r === 1) at(c, r).push(record(c, r, { ...mark, addedEpochs: 0, addedSeconds: 0.4 }, 0, 'failed'));
        at(c, r).push(record(c, r, mark, v));
      });
    }
    if (rung === rungEpochs.length - 1) break;
    const mean = (c: Configuration) => scores.get(`${c.suggestion}/${rung}`)!.reduce((a, b) => a + b, 0) / REPEATS;
    alive = alive.filter((c) => c.suggestion !== trap).sort((a, b) => mean(b) - mean(a)).slice(0, Math.ceil(alive.length / 3));
    for (const c of alive) promoted.add(`${c.suggestion}/${rung}`);
  }
  return { log: interleave(sequences, random), repeats: REPEATS, rungEpochs, promoted, trap, configurations: configs.length };
}

/** The configuration a record belongs to, as the summary numbers it: its first (lowest-rung) suggestion. */
export function configurationOf(r: TrialRecord): number {
  return r.search!.suggestion % 1000;
}
