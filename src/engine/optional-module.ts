import { createRequire } from 'node:module';

/** Outcome of importing a package that tlx uses only when the user installed it. */
export type OptionalImport =
  | { readonly status: 'loaded'; readonly module: unknown }
  | { readonly status: 'absent' }
  | { readonly status: 'broken'; readonly reason: string };

const require = createRequire(import.meta.url);

/**
 * Imports an optional peer. "Not installed" and "installed but fails to load" (for
 * tfjs-node: libtensorflow or CUDA libraries missing) are told apart, because the
 * user's fix differs. Resolving first keeps the two apart under any module loader.
 */
export async function importOptional(specifier: string): Promise<OptionalImport> {
  let path: string;
  try {
    path = require.resolve(specifier);
  } catch {
    return { status: 'absent' };
  }
  try {
    return { status: 'loaded', module: await import(path) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'broken', reason: message.split('\n')[0] ?? message };
  }
}
