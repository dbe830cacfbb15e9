// Generates src/config/experiment.generated.ts from schemas/experiment.schema.json,
// so the TypeScript types never drift from the schema (a test compares them).
import { readFile, writeFile } from 'node:fs/promises';
import { compile } from 'json-schema-to-typescript';

export async function generateTypes() {
  const schema = JSON.parse(await readFile(new URL('../schemas/experiment.schema.json', import.meta.url), 'utf8'));
  return compile(refsOnly(schema), 'Experiment', {
    bannerComment: '/* Generated from schemas/experiment.schema.json by scripts/gen-types.mjs. Do not edit. */',
    additionalProperties: false,
    strictIndexSignatures: true,
    style: { singleQuote: true },
  });
}

// A $ref with examples or a default beside it would become a
// second, identical type (Data1, Train1); they do not change the type, so they go.
const ANNOTATIONS = new Set(['examples', 'default', 'title']);
function refsOnly(node) {
  if (Array.isArray(node)) return node.map(refsOnly);
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node).filter(([key]) => !('$ref' in node && ANNOTATIONS.has(key)));
  return Object.fromEntries(entries.map(([key, value]) => [key, refsOnly(value)]));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile(new URL('../src/config/experiment.generated.ts', import.meta.url), await generateTypes());
}
