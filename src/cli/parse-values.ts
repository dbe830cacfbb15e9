import { UsageError } from '../errors.js';

/** A whole number from a flag, or a usage error that names the flag and the value. */
export function positiveInt(flag: string, value: string | undefined, allowZero = false): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) {
    throw new UsageError('E_USAGE', `${flag} must be a ${allowZero ? 'non-negative' : 'positive'} integer: '${value}'`);
  }
  return n;
}
