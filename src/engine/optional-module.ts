/** Outcome of importing a package that tlx uses only when the user installed it. */
export type OptionalImport =
  | { readonly status: 'loaded'; readonly module: unknown }
  | { readonly status: 'absent' }
  | { readonly status: 'broken'; readonly reason: string };

/**
 * Imports an optional peer. "Not installed" and "installed but fails to load" (for
 * tfjs-node: libtensorflow or CUDA libraries missing) are told apart, because the
 * user's fix differs.
 */
export async function importOptional(specifier: string): Promise<OptionalImport> {
  try {
    return { status: 'loaded', module: await import(specifier) };
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const notFound = e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND';
    if (notFound && String(e.message).includes(specifier)) return { status: 'absent' };
    return { status: 'broken', reason: e.message.split('\n')[0] ?? String(error) };
  }
}
