/** The indices start, start + 1, ..., start + count - 1: a batch of a set in order. */
export function range(start: number, count: number): Int32Array {
  return Int32Array.from({ length: count }, (_, i) => start + i);
}
