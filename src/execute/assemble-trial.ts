import { timeToTarget } from '../indicators/time-to-target.js';
import type { Trial } from '../plan/trials.js';
import type { TrialRecord } from '../results/trial-record.js';
import type { TaskResults } from './task-messages.js';

/**
 * A trial's record: its fine-tune, then (when they finish) the scratch baseline and
 * probe it shares with other trials, and the indicators computed from all three
 * (or why its scratch baseline could not be trained).
 * A failure becomes a `failed` record with its error, not an exception.
 */
export async function runTrial(
  trial: Trial,
  finetune: () => Promise<TaskResults['finetune']>,
  scratchTask: Promise<TaskResults['scratch']> | undefined,
  scratchKey: string | undefined,
  probeTask: Promise<TaskResults['probe']> | undefined,
  scratchUnavailable?: string,
): Promise<TrialRecord> {
  const base = { trial: trial.id, pointId: trial.pointId, point: trial.point, repeat: trial.repeat, seed: trial.seed };
  const e = trial.experiment;
  const metric = e.metrics[0]!;
  try {
    const result = await finetune();
    const scratch = scratchTask ? await scratchTask : undefined;
    const probe = probeTask ? await probeTask : undefined;
    const transfer = result.test[metric] ?? NaN;
    return {
      ...base,
      status: result.status,
      frozen: result.frozen,
      ...(result.unfrozen ? { unfrozen: result.unfrozen } : {}),
      ...(result.stages ? { stages: result.stages } : {}),
      featureCache: result.featureCache,
      ...(result.microBatch ? { microBatch: result.microBatch } : {}),
      curve: result.curve,
      ...(result.restored ? { restored: result.restored } : {}),
      test: result.test,
      confusion: result.confusion,
      ...(result.misclassified ? { misclassified: result.misclassified } : {}),
      seconds: result.seconds,
      ...(scratch && scratchKey ? { scratch: { task: scratchKey, test: scratch.test, curve: scratch.curve } } : {}),
      ...(scratchUnavailable != null ? { scratchUnavailable } : {}),
      indicators: {
        ...(probe ? { transferOnly: { probe: e.indicators.transferOnly.probe, test: probe.test } } : {}),
        timeToTarget: timeToTarget(e.indicators.timeToTarget.target, metric, result.curve, scratch?.curve),
        ...(scratch ? { finalVsScratch: { metric, transfer, scratch: scratch.test[metric] ?? NaN, difference: transfer - (scratch.test[metric] ?? NaN) } } : {}),
      },
      finishedAt: new Date().toISOString(),
    };
  } catch (error) {
    const err = error as Error & { code?: string };
    return { ...base, status: 'failed', error: { message: err.message, ...(err.code ? { code: err.code } : {}) }, finishedAt: new Date().toISOString() };
  }
}

