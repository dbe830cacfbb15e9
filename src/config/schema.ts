import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { packagePath } from '../package-root.js';

/** schemas/experiment.schema.json, the one definition of the file format. */
export const EXPERIMENT_SCHEMA = JSON.parse(
  readFileSync(packagePath('schemas', 'experiment.schema.json'), 'utf8'),
) as Record<string, unknown>;

// The filling copy is not strict about defaults it cannot apply: those of an
// optimizer's parameters sit inside a oneOf, and normalize.ts applies them.
function compile(useDefaults: boolean) {
  const ajv = new Ajv2020({
    allErrors: true, strict: true, verbose: true, useDefaults, allowUnionTypes: true, discriminator: true,
    ...(useDefaults ? { strictSchema: false } : {}),
  });
  return ajv.compile(EXPERIMENT_SCHEMA);
}

const check = compile(false);
const fill = compile(true);

/** Schema errors of a value (all of them), or none. */
export function schemaErrors(value: unknown): ErrorObject[] {
  return check(value) ? [] : [...(check.errors ?? [])];
}

/** Fills in every default the schema declares, in place; the value must be valid. */
export function applyDefaults(value: unknown): void {
  fill(value);
}
