import { closeSync, ftruncateSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Experiment files built to exhaust or confuse the loader, each with where and how
 * it must be refused; shared by the loader's test and the CLI's end-to-end test.
 */
export const GOOD = `name: tiny
source:
  pretrain:
    architecture: keras-mnist-cnn
    data: { dataset: mnist, classes: [0, 1, 2, 3, 4] }
  cut: flatten
target:
  data: { dataset: mnist, classes: [5, 6, 7, 8, 9] }
transfer:
  freeze: all
grid:
  train.learningRate: [0.001, 0.01]
`;

// Ten levels of ten aliases each: 10^10 values from a few hundred bytes.
const LAUGHS = Array.from({ length: 10 }, (_, i) => (i === 0
  ? '  a0: &a0 [x, x, x, x, x, x, x, x, x, x]'
  : `  a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`)).join('\n');

const SWEEPABLE = ['train.epochs', 'train.batchSize', 'train.learningRate', 'target.data.perClass', 'target.data.validation'];
const HUGE_GRID = `grid:\n${SWEEPABLE.map((k) => `  ${k}: [${Array.from({ length: 10_000 }, (_, i) => i + 1).join(', ')}]`).join('\n')}\n`;

const utf16 = (text: string) => Buffer.from(text, 'utf16le');

export interface HostileCase {
  readonly name: string;
  /** The file's bytes, or a size: a sparse file of that many bytes. */
  readonly content: string | Buffer | { readonly size: number };
  readonly code: string;
  readonly line: number;
  readonly col: number;
  readonly path?: string;
  readonly message: RegExp;
}

export const HOSTILE: readonly HostileCase[] = [
  { name: 'a 52 MiB file', content: { size: 52 * 2 ** 20 }, code: 'E_FILE_SIZE', line: 1, col: 1, message: /^the file is 52 MiB; experiment files are limited to 1 MiB$/ },
  { name: 'a file one byte over 1 MiB', content: { size: 2 ** 20 + 1 }, code: 'E_FILE_SIZE', line: 1, col: 1, message: /^the file is 1,048,577 bytes; experiment files are limited to 1 MiB$/ },
  { name: 'UTF-16 with a byte-order mark', content: utf16(`\ufeff${GOOD}`), code: 'E_ENCODING', line: 1, col: 1, message: /^the file is UTF-16; save it as UTF-8$/ },
  { name: 'UTF-16 without a byte-order mark', content: utf16(GOOD), code: 'E_ENCODING', line: 1, col: 1, message: /^the file is UTF-16; save it as UTF-8$/ },
  { name: 'invalid UTF-8 in a description', content: Buffer.concat([Buffer.from(`${GOOD}description: caf`), Buffer.from([0xe9]), Buffer.from(' au lait\n')]), code: 'E_ENCODING', line: 13, col: 17, message: /^invalid UTF-8 \(byte 0xe9\); save the file as UTF-8$/ },
  { name: 'a NUL byte', content: `${GOOD}description: a\u0000b\n`, code: 'E_ENCODING', line: 13, col: 15, message: /^a NUL byte: experiment files are UTF-8 text$/ },
  { name: 'a byte-order mark does not shift columns', content: `\ufeff${GOOD.replace('name: tiny', 'name: Tiny')}`, code: 'E_SCHEMA_PATTERN', line: 1, col: 7, path: 'name', message: /^'Tiny' does not match/ },
  { name: 'several documents', content: `${GOOD}---\nname: two\n`, code: 'E_YAML', line: 13, col: 1, message: /^a second YAML document \(after ---\): an experiment file holds one$/ },
  { name: 'billion laughs', content: `${GOOD}x:\n${LAUGHS}\n`, code: 'E_YAML_SIZE', line: 18, col: 47, message: /^the file expands to 12,345,679,067 values \(each alias counting all it repeats\); experiment files are limited to 100,000$/ },
  { name: 'an alias inside the value it repeats', content: GOOD.replace('freeze: all', 'freeze: &f [*f]'), code: 'E_YAML_ALIAS', line: 10, col: 15, message: /^alias \*f repeats a value that contains the alias itself$/ },
  { name: 'a self-referencing mapping', content: GOOD.replace('transfer:\n  freeze: all', 'transfer: &t\n  freeze: all\n  self: *t'), code: 'E_YAML_ALIAS', line: 11, col: 9, message: /^alias \*t repeats a value that contains the alias itself$/ },
  { name: '10,000 nested flow lists', content: `${GOOD}description: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`, code: 'E_YAML_DEPTH', line: 13, col: 45, message: /^values nested 10,001 levels deep; experiment files nest at most 32 levels$/ },
  { name: '10,000 nested block lists on one line', content: `${GOOD}description:\n${'- '.repeat(10_000)}x\n`, code: 'E_YAML_DEPTH', line: 14, col: 63, message: /^values nested 10,001 levels deep; experiment files nest at most 32 levels$/ },
  { name: 'a !!js/function tag', content: GOOD.replace('name: tiny', 'name: !!js/function "function () {}"'), code: 'E_YAML_TAG', line: 1, col: 7, message: /^unknown YAML tag '!!js\/function': experiment files hold plain values$/ },
  { name: 'a custom tag', content: GOOD.replace('cut: flatten', 'cut: !custom flatten'), code: 'E_YAML_TAG', line: 6, col: 8, message: /^unknown YAML tag '!custom': experiment files hold plain values$/ },
  { name: 'a grid of 10^20 points', content: GOOD.replace(/grid:\n.*\n/, HUGE_GRID), code: 'E_GRID_SIZE', line: 12, col: 3, path: 'grid', message: /^the grid has 1\.0e\+20 points x 1 repeat = 1\.0e\+20 trials; a run is limited to 10,000 trials$/ },
  { name: 'a grid value listed twice', content: GOOD.replace('[0.001, 0.01]', '[0.001, 0.01, 1e-3]'), code: 'E_GRID_DUPLICATE', line: 12, col: 37, path: 'grid.train.learningRate[2]', message: /^0\.001 is listed twice \(items 0 and 2\); each grid point must differ$/ },
  { name: 'a dense layer of 10^9 units', content: GOOD.replace('freeze: all', 'freeze: all\n  head:\n    - dense: { units: 1000000000 }'), code: 'E_SCHEMA_MAXIMUM', line: 12, col: 23, path: 'transfer.head[0].dense.units', message: /^must be <= 16384 \(got 1000000000\)$/ },
  { name: 'an imageSize of 100000x96', content: GOOD.replace('classes: [5, 6, 7, 8, 9] }', 'classes: [5, 6, 7, 8, 9], imageSize: [100000, 96] }'), code: 'E_SCHEMA_MAXIMUM', line: 8, col: 65, path: 'target.data.imageSize[0]', message: /^must be <= 4096 \(got 100000\)$/ },
  { name: 'a __proto__ key', content: GOOD.replace('name: tiny', 'name: tiny\n__proto__: { polluted: 1 }'), code: 'E_SCHEMA_ADDITIONALPROPERTIES', line: 2, col: 1, path: '__proto__', message: /^unknown field '__proto__'$/ },
];

/** Writes a case's file into `dir` (a size becomes a sparse file: nothing is written). */
export function writeCase(dir: string, c: HostileCase, name = 'case.yaml'): string {
  const file = join(dir, name);
  if (typeof c.content === 'string' || Buffer.isBuffer(c.content)) {
    writeFileSync(file, c.content);
  } else {
    const fd = openSync(file, 'w');
    ftruncateSync(fd, c.content.size);
    closeSync(fd);
  }
  return file;
}

