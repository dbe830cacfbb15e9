import { UsageError } from '../errors.js';

/** A whole number from a flag, or a usage error that names the flag and the value. */
export function positiveInt(flag: string, value: string | undefined, allowZero = false): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) {
    throw new UsageError('E_USAGE', `${flag} must be a ${allowZero ? 'non-negative' : 'positive'} integer: '${value}'`);
  }
  return n;
}

/** A number above zero from a flag (a learning rate), or a usage error that names the flag and the value. */
export function positiveNumber(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value == null || value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new UsageError('E_USAGE', `${flag} must be a number above 0: '${value}'`);
  }
  return n;
}
