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

// A $ref with examples or a default beside it would become a second, identical
// type (Data1, Train1); so would one to an object definition with a description
// beside it (Embeddings1). They do not change the type, so they go (the
// description stays where the reference is to a union, which keeps no name).
const ANNOTATIONS = new Set(['examples', 'default', 'title']);
function refsOnly(node, defs = node.$defs) {
  if (Array.isArray(node)) return node.map((n) => refsOnly(n, defs));
  if (node === null || typeof node !== 'object') return node;
  const target = typeof node.$ref === 'string' ? defs?.[node.$ref.replace('#/$defs/', '')] : undefined;
  const dropped = (key) => '$ref' in node && (ANNOTATIONS.has(key) || (key === 'description' && target?.type === 'object'));
  const entries = Object.entries(node).filter(([key]) => !dropped(key));
  return Object.fromEntries(entries.map(([key, value]) => [key, refsOnly(value, defs)]));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile(new URL('../src/config/experiment.generated.ts', import.meta.url), await generateTypes());
}
