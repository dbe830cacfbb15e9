import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_DATA } from '../support/hostile-files.js';

const run = promisify(execFile);
const BIN = join(process.cwd(), 'dist/src/cli/bin.js');

// Inputs `tlx run` must refuse before anything runs: exit 2, one message naming
// the path and what is wrong, no stack, and not a file written (each case runs in
// a folder of its own, listed before and after).
const TINY = `name: tiny
seed: 7
source:
  pretrain:
    architecture: keras-mnist-cnn
    data: { dataset: mnist, classes: [0, 1], perClass: 10 }
    train: { epochs: 1, batchSize: 16 }
  cut: flatten
target:
  data: { dataset: mnist, classes: [5, 6], perClass: 10 }
transfer:
  head:
    - dense: { units: 4 }
train: { epochs: 1, batchSize: 16 }
`;

interface Refused {
  readonly name: string;
  /** Writes what the case needs into its folder; returns the arguments after `run tiny.yaml`. */
  readonly setup: (dir: string) => Promise<string[]> | string[];
  /** The first line tlx prints, given the case's folder. */
  readonly message: (dir: string) => string | RegExp;
}

const root = mkdtempSync(join(tmpdir(), 'tlx-refused-'));
const places = ['--results', 'results', '--cache', 'cache'];

const CASES: readonly Refused[] = [
  {
    name: 'a name too long for a folder (--set)',
    setup: () => ['--set', `name=${'a'.repeat(300)}`, ...places],
    // The override is quoted shortened, as every long value in a message is.
    message: () => /^--set name=a+… \(305 characters\): name: 300 characters, longer than a folder name may be \(255\); runs are written to <results>\/<name>\/$/,
  },
  {
    name: 'a name too long for a folder (in the file)',
    setup: (dir) => {
      writeFileSync(join(dir, 'tiny.yaml'), TINY.replace('name: tiny', `name: ${'b'.repeat(256)}`));
      return places;
    },
    message: () => /^tiny\.yaml:1:7: name: 256 characters, longer than a folder name may be \(255\)/,
  },
  {
    name: '--results that is a file',
    setup: (dir) => {
      writeFileSync(join(dir, 'out'), '');
      return ['--results', 'out', '--cache', 'cache'];
    },
    message: () => "tlx: --results 'out': is a file, expected a folder",
  },
  {
    name: '--results with a file where the experiment\'s folder goes',
    setup: (dir) => {
      mkdirSync(join(dir, 'out'));
      writeFileSync(join(dir, 'out', 'tiny'), '');
      return ['--results', 'out', '--cache', 'cache'];
    },
    message: () => "tlx: --results 'out': 'out/tiny' is a file, expected a folder",
  },
  {
    name: '--cache that is a file',
    setup: (dir) => {
      writeFileSync(join(dir, 'cached'), '');
      return ['--results', 'results', '--cache', 'cached'];
    },
    message: () => "tlx: --cache 'cached': is a file, expected a folder",
  },
  ...HOSTILE_DATA.filter((c) => c.cli).map((c): Refused => ({
    name: c.name,
    setup: async (dir) => ['--set', `target.data=${JSON.stringify(await c.write(dir))}`, ...places],
    message: (dir) => new RegExp(`^tlx: ${join(dir, c.names).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${c.message.source.slice(1)}`),
  })),
];

const tree = (dir: string) => readdirSync(dir, { recursive: true }).map(String).sort();

describe('tlx run refuses bad inputs before anything runs (built binary)', () => {
  beforeAll(() => {
    expect(existsSync(BIN), 'run npm run build first').toBe(true);
  });

  it.each(CASES)('$name: exit 2, the path named, nothing written', async ({ setup, message }) => {
    const dir = mkdtempSync(join(root, 'case-'));
    writeFileSync(join(dir, 'tiny.yaml'), TINY);
    const args = await setup(dir);
    const before = tree(dir);
    const result = await run('node', [BIN, 'run', 'tiny.yaml', ...args], { cwd: dir, env: { ...process.env, TLX_BACKEND: 'wasm' } })
      .then(() => ({ code: 0, stderr: '' }), (e: { code: number; stderr: string }) => e);
    expect(result.stderr.split('\n')[0]).toMatch(message(dir));
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(tree(dir)).toEqual(before);
  }, 60_000);
});
