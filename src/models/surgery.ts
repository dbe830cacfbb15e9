import type { Freeze } from '../config/resolved.js';
import { didYouMean } from '../config/suggest.js';
import { UsageError } from '../errors.js';

/** The layers a config can name: all but input layers, in model order. */
export function layerNames(model: { layers: readonly { name: string; getClassName(): string }[] }): string[] {
  return model.layers.filter((l) => l.getClassName() !== 'InputLayer').map((l) => l.name);
}

/** A mistake in `cut` or `freeze`, said in terms of the user's layer names. */
export interface SurgeryProblem {
  readonly message: string;
  readonly hint?: string;
}

export type Resolved<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: SurgeryProblem };

/** A cut, freeze or unfreeze that does not fit the source model, found when a task builds it. */
export class SurgeryError extends UsageError {
  override readonly name = 'SurgeryError';
}

/**
 * The value resolved, or its problem thrown as a SurgeryError naming the field
 * (validate reports the same problems at their position; this is for models only
 * known once built).
 */
export function resolvedValue<T>(resolved: Resolved<T>, field: 'source.cut' | 'transfer.freeze' | 'transfer.fineTune.unfreeze' | 'transfer.fineTune.gradual'): T {
  if (resolved.ok) return resolved.value;
  throw new SurgeryError('E_LAYER', `${field}: ${resolved.problem.message}`, resolved.problem.hint);
}

/** Index of the cut layer among the source's layers (input layers excluded). */
export function resolveCut(layers: readonly string[], cut: string | number): Resolved<number> {
  if (typeof cut === 'number') {
    return cut < layers.length
      ? { ok: true, value: cut }
      : { ok: false, problem: { message: `layer index ${cut} is out of range; the source has ${layers.length} layers (0-${layers.length - 1})` } };
  }
  const index = layers.indexOf(cut);
  if (index >= 0) return { ok: true, value: index };
  return {
    ok: false,
    problem: {
      message: `unknown layer '${cut}'; expected a layer of the source model`,
      hint: didYouMean(cut, layers) ?? `layers: ${layers.join(', ')}`,
    },
  };
}

/**
 * The layers a freeze rule keeps frozen, among those up to and including the cut
 * (`prefix`), in model order.
 */
export function resolveFreeze(prefix: readonly string[], all: readonly string[], freeze: Freeze): Resolved<string[]> {
  const unknown = (name: string): Resolved<string[]> => {
    const afterCut = all.includes(name);
    return {
      ok: false,
      problem: afterCut
        ? { message: `layer '${name}' comes after the cut, so it is not part of the target model`, hint: `layers up to the cut: ${prefix.join(', ')}` }
        : { message: `unknown layer '${name}'`, hint: didYouMean(name, prefix) ?? `layers up to the cut: ${prefix.join(', ')}` },
    };
  };
  if (freeze === 'all') return { ok: true, value: [...prefix] };
  if (freeze === 'none') return { ok: true, value: [] };
  if (typeof freeze === 'number') {
    return freeze <= prefix.length
      ? { ok: true, value: prefix.slice(0, freeze) }
      : { ok: false, problem: { message: `cannot freeze the first ${freeze} layers: only ${prefix.length} come before the cut (${prefix.join(', ')})` } };
  }
  if (Array.isArray(freeze)) {
    for (const name of freeze) if (!prefix.includes(name)) return unknown(name);
    return { ok: true, value: prefix.filter((n) => freeze.includes(n)) };
  }
  if ('upTo' in freeze) {
    const i = prefix.indexOf(freeze.upTo);
    return i < 0 ? unknown(freeze.upTo) : { ok: true, value: prefix.slice(0, i + 1) };
  }
  let pattern: RegExp;
  try {
    pattern = new RegExp(freeze.match);
  } catch (e) {
    return { ok: false, problem: { message: `invalid regular expression: ${(e as Error).message}` } };
  }
  const matched = prefix.filter((n) => pattern.test(n));
  return matched.length > 0
    ? { ok: true, value: matched }
    : { ok: false, problem: { message: `/${freeze.match}/ matches no layer up to the cut`, hint: `layers up to the cut: ${prefix.join(', ')}` } };
}

/** The frozen layers a fine-tuning phase unfreezes: all, the last N, or named ones. */
export function resolveUnfreeze(frozen: readonly string[], unfreeze: 'all' | number | readonly string[]): Resolved<string[]> {
  if (unfreeze === 'all') return { ok: true, value: [...frozen] };
  if (typeof unfreeze === 'number') {
    return unfreeze <= frozen.length
      ? { ok: true, value: frozen.slice(frozen.length - unfreeze) }
      : { ok: false, problem: { message: `cannot unfreeze ${unfreeze} layers: only ${frozen.length} are frozen (${frozen.join(', ') || 'none'})` } };
  }
  const missing = unfreeze.find((n) => !frozen.includes(n));
  return missing == null
    ? { ok: true, value: frozen.filter((n) => unfreeze.includes(n)) }
    : { ok: false, problem: { message: `layer '${missing}' is not frozen, so it cannot be unfrozen`, hint: didYouMean(missing, frozen) ?? `frozen layers: ${frozen.join(', ') || 'none'}` } };
}
