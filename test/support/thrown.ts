/** The error `f` throws, or undefined: for tests that check several of its fields. */
export function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  return undefined;
}
