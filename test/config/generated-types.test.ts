import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without type declarations
import { generateTypes } from '../../scripts/gen-types.mjs';

it('src/config/experiment.generated.ts matches the schema (npm run gen:types)', async () => {
  const fresh = await (generateTypes as () => Promise<string>)();
  expect(readFileSync('src/config/experiment.generated.ts', 'utf8')).toBe(fresh);
});
