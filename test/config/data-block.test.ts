import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { thrown } from '../support/thrown.js';

// The data block's choice of classes (by index or name), files (include / exclude)
// and background, as `tlx validate` checks them: an image folder's class names are
// checked against its folders when it is there, before any image is read.
const dir = mkdtempSync(join(tmpdir(), 'tlx-data-block-'));
for (const name of ['animals', 'food', 'plants', '.hidden']) mkdirSync(join(dir, 'photos', name), { recursive: true });
writeFileSync(join(dir, 'photos', 'README.txt'), 'not a class');

const file = (target: string) => `name: photos
source:
  pretrain:
    architecture: keras-mnist-cnn
    data: { dataset: mnist, classes: [0, 1] }
  cut: flatten
target:
  data: ${target}
`;

function load(target: string) {
  const path = join(dir, `case-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, file(target));
  return thrown(() => loadExperiment(path, dir));
}

const folder = join(dir, 'photos');

describe('data blocks that validate', () => {
  it.each([
    { name: 'an image folder\'s classes by name, files chosen by patterns', target: "{ dataset: imagefolder, path: photos, classes: [plants, animals], exclude: ['**/cartoon/**', '**/*_mirror*'], include: ['**/*.png'] }" },
    { name: 'by index and name together', target: '{ dataset: imagefolder, path: photos, classes: [2, animals] }' },
    { name: 'a folder that is not here yet: names are checked when it is', target: '{ dataset: imagefolder, path: elsewhere, classes: [cats, dogs] }' },
    { name: 'Fashion-MNIST classes by name', target: '{ dataset: fashion-mnist, classes: [Sneaker, Bag, 0] }' },
    { name: 'MNIST classes by name (its digits)', target: "{ dataset: mnist, classes: ['5', '6'] }" },
    { name: 'CSV labels by name (checked once the table is read)', target: '{ dataset: csv, path: table.csv, classes: [cat, dog] }' },
    { name: 'a background colour', target: "{ dataset: imagefolder, path: photos, background: '#80c0ff' }" },
    { name: 'background none (alpha dropped, as Keras)', target: '{ dataset: imagefolder, path: photos, background: none }' },
  ])('$name', ({ target }) => {
    expect(load(target)).toBeUndefined();
  });
});

/** Each row: a data block, the text the problem's position points at, its path, and what is said. */
const CASES: { name: string; target: string; at: string; position?: [number, number]; path: string; message: RegExp; hint?: RegExp; code: string }[] = [
  { name: 'a misspelt class folder', target: '{ dataset: imagefolder, path: photos, classes: [animals, fod] }', at: 'fod', path: 'target.data.classes[1]',
    code: 'E_CLASS_NAME', message: new RegExp(`^no class 'fod' in the folder ${folder}$`), hint: /did you mean 'food'\?/ },
  { name: 'a hidden folder is no class', target: '{ dataset: imagefolder, path: photos, classes: [animals, .hidden] }', at: '.hidden', path: 'target.data.classes[1]',
    code: 'E_CLASS_NAME', message: /^no class '\.hidden' in the folder/, hint: /its classes: animals, food, plants$/ },
  { name: 'an index past the class folders', target: '{ dataset: imagefolder, path: photos, classes: [0, 3] }', at: '3]', path: 'target.data.classes[1]',
    code: 'E_CLASS_RANGE', message: new RegExp(`^class 3 is out of range: the folder ${folder} has classes 0-2$`), hint: /its classes: animals, food, plants/ },
  { name: 'a class by index and again by name', target: '{ dataset: imagefolder, path: photos, classes: [1, food] }', at: 'food]', path: 'target.data.classes[1]',
    code: 'E_CLASS_REPEATED', message: /^class "food" is given twice \(also as 1\)$/ },
  { name: 'a misspelt Fashion-MNIST class', target: '{ dataset: fashion-mnist, classes: [Sneakers, Bag] }', at: 'Sneakers', path: 'target.data.classes[0]',
    code: 'E_CLASS_NAME', message: /^no class 'Sneakers' in fashion-mnist$/, hint: /did you mean 'Sneaker'\?/ },
  { name: 'an MNIST class that is not a digit', target: '{ dataset: mnist, classes: [5, five] }', at: 'five', path: 'target.data.classes[1]',
    code: 'E_CLASS_NAME', message: /^no class 'five' in mnist$/ },
  { name: 'an IDX class by name', target: '{ dataset: idx, images: i.gz, labels: l.gz, classes: [0, cat] }', at: 'cat]', path: 'target.data.classes[1]',
    code: 'E_CLASS_NAME', message: /^class 'cat' is a name, but idx labels are numbers$/ },
  { name: 'a negative class', target: '{ dataset: mnist, classes: [-1, 2] }', at: '-1', path: 'target.data.classes[0]',
    code: 'E_SCHEMA_ONEOF', message: /^expected a class index \(0, 1, \.\.\.\) or name \(got -1\)$/ },
  { name: 'include for a CSV table', target: "{ dataset: csv, path: t.csv, include: ['*.png'] }", at: 'include', path: 'target.data.include',
    code: 'E_DATA_FIELD', message: /^'include' does not apply to dataset csv$/, hint: /files of an image folder/ },
  { name: 'exclude for MNIST', target: "{ dataset: mnist, exclude: ['*.png'] }", at: 'exclude', path: 'target.data.exclude',
    code: 'E_DATA_FIELD', message: /^'exclude' does not apply to dataset mnist$/ },
  { name: 'a pattern with an unclosed [', target: "{ dataset: imagefolder, path: photos, exclude: ['**/x', 'cats/[ab.jpg'] }", at: "'cats/", path: 'target.data.exclude[1]',
    code: 'E_DATA_GLOB', message: /^'cats\/\[ab\.jpg' has a '\[' that is never closed/ },
  { name: 'an absolute pattern', target: "{ dataset: imagefolder, path: photos, include: ['/data/cats/*.jpg'] }", at: "'/data", path: 'target.data.include[0]',
    code: 'E_DATA_GLOB', message: /starts with '\/': patterns are relative to the folder/ },
  { name: 'a background that is no colour', target: '{ dataset: imagefolder, path: photos, background: transparent }', at: 'transparent', path: 'target.data.background',
    code: 'E_SCHEMA_PATTERN', message: /^'transparent' does not match/, hint: /white, black, a colour '#rrggbb'/ },
  { name: 'a colour left unquoted (YAML reads # as a comment)', target: '\n    dataset: imagefolder\n    path: photos\n    background: #ffffff', at: '', position: [11, '    background: '.length + 1], path: 'target.data.background',
    code: 'E_SCHEMA_TYPE', message: /^expected a string \(got null\)$/, hint: /a value starting with '#' must be quoted/ },
  { name: 'a short hex colour', target: "{ dataset: imagefolder, path: photos, background: '#fff' }", at: "'#fff'", path: 'target.data.background',
    code: 'E_SCHEMA_PATTERN', message: /^'#fff' does not match/ },
];

describe('data blocks refused: position, message, suggestion', () => {
  it.each(CASES)('$name', ({ target, at, position, path, message, hint, code }) => {
    const error = load(target);
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    const issue = issues.find((i) => message.test(i.message));
    expect(issue, `issues: ${JSON.stringify(issues, null, 1)}`).toBeDefined();
    expect(issue!.code).toBe(code);
    expect(issue!.path).toBe(path);
    expect([issue!.position.line, issue!.position.col]).toEqual(position ?? [8, '  data: '.length + target.indexOf(at) + 1]);
    if (hint) expect(issue!.hint).toMatch(hint);
  });
});
