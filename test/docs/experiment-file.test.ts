import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without type declarations
import { documentedFields, generateDocs } from '../../scripts/gen-docs.mjs';
import { EXPERIMENT_SCHEMA } from '../../src/config/schema.js';

interface Field { path: string; raw: { examples?: unknown[] }; node: { examples?: unknown[] } }
const sections = (documentedFields as (schema: unknown) => { title: string; fields: Field[] }[])(EXPERIMENT_SCHEMA);

describe('docs/experiment-file.md', () => {
  it('matches the schema (npm run gen:docs)', async () => {
    expect(readFileSync('docs/experiment-file.md', 'utf8')).toBe(await (generateDocs as () => Promise<string>)());
  });

  it('documents every field once', () => {
    const paths = sections.flatMap((s) => s.fields.map((f) => `${s.title}:${f.path}`));
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths).toEqual(expect.arrayContaining(['Top level:name', '`source`:source.cut', '`transfer`:transfer.head[].dense.units', 'Data block:perClass', 'Training block:earlyStopping.patience']));
  });

  // An example a reader copies must be accepted where it is shown.
  const ajv = new Ajv2020({ strict: false, allowUnionTypes: true });
  const examples = sections.flatMap((s) => s.fields.map((f) => ({ path: `${s.title} ${f.path}`, schema: f.raw, example: (f.raw.examples ?? f.node.examples)?.[0] })));
  it.each(examples)('the example of $path is valid for the field', ({ schema, example }) => {
    const check = ajv.compile({ ...schema, $defs: EXPERIMENT_SCHEMA.$defs });
    expect(check(example), JSON.stringify(check.errors)).toBe(true);
  });
});
