import type { Schedule } from './experiment.generated.js';
import type { ResolvedSchedule } from './resolved.js';
import { EXPERIMENT_SCHEMA } from './schema.js';

type Kind = { properties: Record<string, { const?: unknown; default?: unknown }> };

// Each schedule's parameters and their defaults, read from the schema: the schema
// cannot fill them itself (they sit inside a oneOf), and no second copy is kept here.
function schemaDefaults(name: Schedule['name']): Record<string, unknown> {
  const kinds = (EXPERIMENT_SCHEMA.$defs as { schedule: { oneOf: Kind[] } }).schedule.oneOf;
  const properties = kinds.find((k) => k.properties.name?.const === name)!.properties;
  return Object.fromEntries(Object.entries(properties).flatMap(([key, p]) => (p.default === undefined ? [] : [[key, p.default]])));
}

/** A schedule as written with every parameter that has a default present, so task keys hash what runs. */
export function resolveSchedule(written: Schedule): ResolvedSchedule {
  return { ...schemaDefaults(written.name), ...written } as ResolvedSchedule;
}
