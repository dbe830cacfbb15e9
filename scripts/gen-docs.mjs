// Generates docs/experiment-file.md from schemas/experiment.schema.json: every
// field with its type, default, description and an example, so the reference
// never drifts from the format tlx checks (a test compares them). A field without
// a description or an example is an error here, not a gap in the page.
import { readFile, writeFile } from 'node:fs/promises';

const HEADER = `# The experiment file

<!-- Generated from schemas/experiment.schema.json by scripts/gen-docs.mjs (npm run gen:docs). Do not edit. -->

An experiment is one YAML file; \`schemas/experiment.schema.json\` defines it and
this page is generated from that schema. Start the file with

\`\`\`yaml
# yaml-language-server: $schema=../schemas/experiment.schema.json
\`\`\`

and editors with the YAML language server complete and check fields as you type.
\`tlx validate FILE\` checks a file without training; the files in \`experiments/\`
are complete examples.

Paths in the file (data folders, model files) are relative to the file itself.
Every field can be changed for one command without editing the file, with the
paths used on this page: \`tlx run FILE --set train.epochs=1 --set 'target.data.classes=[5, 6]'\`
(the value is YAML; \`null\` removes the field, so its default applies again;
list items are \`transfer.head.0\` or \`transfer.head[0]\`). An override is checked
like the file, and its problems name it.

A file is UTF-8 text (a byte-order mark is fine) of at most 1 MiB holding one YAML
document, without tags other than YAML's own (\`!!str\`); values nest at most 32
levels deep, and aliases may repeat values up to 100,000 values in all.

`;

/** Paths of the shared blocks, documented once in their own sections. */
const SHARED = {
  train: { title: 'Training block', used: ['train', 'source.pretrain.train'] },
  data: { title: 'Data block', used: ['target.data', 'source.pretrain.data'] },
};

/**
 * The page's sections and, in each, the fields in the order of the schema: the path
 * shown, the field's own schema (before resolving $ref) and whether it is required.
 */
export function documentedFields(schema) {
  const deref = dereferencer(schema);
  const sharedName = (raw) => Object.keys(SHARED).find((name) => raw.$ref === `#/$defs/${name}`);
  const walk = (path, raw, required, into) => {
    into.push({ path, raw, node: deref(raw), required, shared: sharedName(raw) });
    if (!sharedName(raw)) children(path, deref(raw), into);
  };
  const children = (path, node, into) => {
    // A discriminated mapping's kinds are listed by kinds(), each once.
    for (const alt of [node, ...(node.discriminator ? [] : node.oneOf ?? []).map(deref)]) {
      if (alt.discriminator) kinds(path, alt, into);
      for (const [key, child] of Object.entries(alt.properties ?? {})) {
        walk(path ? `${path}.${key}` : key, child, (alt.required ?? []).includes(key), into);
      }
    }
    if (node.items && fieldsOf(deref(node.items), deref).length > 0) children(`${path}[]`, deref(node.items), into);
  };
  // A mapping of several kinds told apart by one field (an optimizer by its name):
  // each kind, then its own fields, labelled with it.
  const kinds = (path, node, into) => {
    const tag = node.discriminator.propertyName;
    for (const alt of node.oneOf.map(deref)) {
      const kind = alt.properties[tag].const;
      into.push({ path: `${path} (${tag}: ${kind})`, heading: `\`${path}: { ${tag}: ${kind}, ... }\``, key: path.split('.').pop(), raw: alt, node: alt, required: false });
      for (const [key, child] of Object.entries(alt.properties)) {
        if (key === tag) continue;
        into.push({ path: `${path}.${key} (${kind})`, heading: `\`${path}.${key}\` (${tag}: ${kind})`, key, raw: child, node: deref(child), required: false });
      }
    }
  };
  const hasFields = (raw) => !sharedName(raw) && fieldsOf(deref(raw), deref).length > 0;
  const top = Object.entries(schema.properties);
  const section = (title, entries) => {
    const fields = [];
    for (const [key, raw] of entries) walk(key, raw, schema.required.includes(key), fields);
    return { title, fields };
  };
  // Fields without sub-fields first, together; then one section per block.
  return [
    section('Top level', top.filter(([, raw]) => !hasFields(raw))),
    ...top.filter(([, raw]) => hasFields(raw)).map(([key, raw]) => section(`\`${key}\``, [[key, raw]])),
    ...Object.entries(SHARED).map(([name, { title, used }]) => {
      const node = schema.$defs[name];
      const first = Object.keys(node.properties)[0];
      const fields = [];
      children('', node, fields);
      return {
        title,
        intro: `${node.description} Used by ${used.map((p) => `\`${p}\``).join(' and ')}; the paths below are relative to it (\`${first}\` is \`${used[0]}.${first}\`).`,
        fields,
      };
    }),
  ];
}

export async function generateDocs() {
  const schema = JSON.parse(await readFile(new URL('../schemas/experiment.schema.json', import.meta.url), 'utf8'));
  const deref = dereferencer(schema);
  const sections = documentedFields(schema);
  const missing = [];
  // One entry per field: heading, then type / default / example, then the description.
  const field = ({ path, heading, key, raw, node, required, shared }) => {
    const description = raw.description ?? node.description;
    const examples = raw.examples ?? node.examples;
    if (!description) missing.push(`${path}: description`);
    if (!examples?.length) missing.push(`${path}: examples`);
    const def = raw.default ?? node.default;
    return [
      `### ${heading ?? `\`${path}\``}`,
      '',
      `- type: ${shared ? `${SHARED[shared].title.toLowerCase()} ([below](#${anchor(SHARED[shared].title)}))` : typeOf(node, deref)}`,
      `- default: ${required ? 'none, required' : def === undefined ? 'none (optional)' : `\`${flow(def)}\``}`,
      ...(examples?.length ? [`- example: \`${exampleOf(key ?? path, examples[0])}\``] : []),
      '',
      ...(description ? [description, ''] : []),
    ].join('\n');
  };
  const out = [
    HEADER,
    `Sections: ${sections.map((s) => `[${s.title}](#${anchor(s.title)})`).join(', ')}.\n`,
    ...sections.flatMap((s) => [`## ${s.title}\n${s.intro ? `\n${s.intro}\n` : ''}`, ...s.fields.map(field)]),
  ];
  if (missing.length > 0) throw new Error(`schema fields without documentation:\n  ${missing.join('\n  ')}`);
  return `${out.join('\n').trimEnd()}\n`;
}

/** Follows `$ref`s into the schema's `$defs`. */
function dereferencer(schema) {
  const deref = (node) => (node.$ref ? deref(schema.$defs[node.$ref.replace('#/$defs/', '')]) : node);
  return deref;
}

/** The sub-fields a node declares, itself, in its oneOf alternatives, or in its list items. */
function fieldsOf(node, deref) {
  const own = [node, ...(node.oneOf ?? []).map(deref)].flatMap((n) => Object.keys(n.properties ?? {}));
  return node.items ? [...own, ...fieldsOf(deref(node.items), deref)] : own;
}

/** The id GitHub gives a heading. */
function anchor(title) {
  return title.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
}

/** How a field's accepted values read in prose: `integer ≥ 1`, one of `adam`, `sgd`, a list of ... */
function typeOf(node, deref) {
  const values = (list) => list.map((v) => `\`${flow(v)}\``);
  if (node.const !== undefined) return values([node.const])[0];
  if (node.discriminator) return `\`{ ${node.discriminator.propertyName}: ..., ... }\` (the kinds below)`;
  if (node.enum) return node.enum.length === 1 ? values(node.enum)[0] : `one of ${values(node.enum).join(', ')}`;
  if (node.oneOf) return alternatives(node.oneOf.map((alt) => { const a = deref(alt); return a.enum ? values(a.enum) : [typeOf(a, deref)]; }).flat());
  switch (node.type) {
    case 'integer':
    case 'number':
      return `${node.type}${range(node)}`;
    case 'string':
      return node.pattern ? `string matching \`${node.pattern}\`` : node.minLength ? 'non-empty string' : 'string';
    case 'boolean':
      return '`true` or `false`';
    case 'array': {
      const count = node.minItems != null && node.minItems === node.maxItems ? `${node.minItems} ` : '';
      const bounds = [
        node.minItems != null && node.minItems !== node.maxItems && node.minItems > 0 ? `at least ${node.minItems}` : '',
        node.maxItems != null && node.minItems !== node.maxItems ? `at most ${node.maxItems}` : '',
        node.uniqueItems ? 'no repeats' : '',
      ].filter(Boolean);
      const items = node.items ? deref(node.items) : undefined;
      const of = items == null ? 'values' : items.enum ? alternatives(values(items.enum)) : typeOf(items, deref);
      return `list of ${count}${of.replace(/^(integer|number|string)\b/, '$1s')}${bounds.length ? ` (${bounds.join(', ')})` : ''}`;
    }
    case 'object': {
      if (!node.properties && typeof node.additionalProperties === 'object') {
        return `mapping from ${node.propertyNames?.pattern ? 'dotted field path' : 'name'} to ${typeOf(node.additionalProperties, deref)}`;
      }
      const keys = Object.keys(node.properties ?? {});
      return keys.length === 0 ? '`{}`' : keys.length <= 2 ? `\`{ ${keys.map((k) => `${k}: ...`).join(', ')} }\`` : 'mapping';
    }
    default:
      return 'any value';
  }
}

/** `a`, `b`, or `c` */
function alternatives(list) {
  return list.length < 3 ? list.join(' or ') : `${list.slice(0, -1).join(', ')}, or ${list[list.length - 1]}`;
}

function range(node) {
  const bounds = [
    node.minimum != null ? `≥ ${node.minimum}` : '',
    node.exclusiveMinimum != null ? `> ${node.exclusiveMinimum}` : '',
    node.maximum != null ? `≤ ${node.maximum}` : '',
    node.exclusiveMaximum != null ? `< ${node.exclusiveMaximum}` : '',
  ].filter(Boolean);
  return bounds.length ? ` ${bounds.join(' and ')}` : '';
}

/** A value as YAML flow text, the way it is written in an experiment file. */
function flow(value) {
  if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${k}: ${flow(v)}`).join(', ')} }`;
  }
  if (typeof value === 'string') return /^[\w./-][\w ./:-]*$/.test(value) && !/^(true|false|null|~|[\d.+-]+)$/.test(value) && !/: /.test(value) ? value : `'${value.replaceAll("'", "''")}'`;
  return String(value);
}

/** The example as it appears in a file: `key: value`. */
function exampleOf(path, value) {
  return `${path.split('.').pop()}: ${flow(value)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile(new URL('../docs/experiment-file.md', import.meta.url), await generateDocs());
}
