// Generates src/config/experiment.generated.ts from schemas/experiment.schema.json,
// so the TypeScript types never drift from the schema (a test compares them).
import { readFile, writeFile } from 'node:fs/promises';
import { compile } from 'json-schema-to-typescript';

export async function generateTypes() {
  const schema = JSON.parse(await readFile(new URL('../schemas/experiment.schema.json', import.meta.url), 'utf8'));
  return compile(schema, 'Experiment', {
    bannerComment: '/* Generated from schemas/experiment.schema.json by scripts/gen-types.mjs. Do not edit. */',
    additionalProperties: false,
    strictIndexSignatures: true,
    style: { singleQuote: true },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile(new URL('../src/config/experiment.generated.ts', import.meta.url), await generateTypes());
}
