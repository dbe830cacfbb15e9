import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A file shipped with tlx (schemas, the SIMD module, the PyTorch bench script),
 * found from the package root so the same code works from src/ (tests) and dist/.
 */
export function packagePath(...segments: string[]): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('tlx package root not found');
    dir = parent;
  }
  return join(dir, ...segments);
}
