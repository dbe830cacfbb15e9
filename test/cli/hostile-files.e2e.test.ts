import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { GOOD, HOSTILE, writeCase } from '../config/hostile-files.js';

const BIN = join(process.cwd(), 'dist/src/cli/bin.js');

async function tlx(dir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', [BIN, ...args], { cwd: dir, maxBuffer: 2 ** 24 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const { code, stdout, stderr } = e as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

// No stack, no control character but the newlines that end lines, and each line
// one tlx wrote: a position, `tlx:`, or an indented hint.
function expectCleanRefusal(r: { code: number; stdout: string; stderr: string }): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  expect(r.stderr).toMatch(/tlx: \d+ problems? in .*; nothing was run\n$/);
}

describe('tlx validate refuses hostile files: exit 2, the position and the cause, no stack', () => {
  it.concurrent.each(HOSTILE)('$name', async (c) => {
    const dir = mkdtempSync(join(tmpdir(), 'tlx-hostile-e2e-'));
    writeCase(dir, c);
    const r = await tlx(dir, 'validate', 'case.yaml');
    expectCleanRefusal(r);
    const [first] = r.stderr.split('\n');
    expect(first).toMatch(new RegExp(`^case\\.yaml:${c.line}:${c.col}: ${c.path ? `${c.path.replace(/[[\].]/g, '\\$&')}: ` : ''}`));
    expect(first!.replace(/^[^ ]+ (\S+: )?/, '')).toMatch(new RegExp(c.message.source.replace(/^\^/, '')));
  });

  it.concurrent.each([
    { name: 'a file name with a newline', file: 'bad\nfake.yaml:1:1: forged.yaml', yaml: GOOD.replace('freeze: all', 'freez: all'), args: [] as string[], first: /^bad\\nfake\.yaml:1:1: forged\.yaml:10:3: transfer\.freez: unknown field 'freez'$/ },
    { name: 'terminal escapes in a value', file: 'case.yaml', yaml: GOOD.replace('cut: flatten', 'cut: "fl\\e[2Jatten\\nfake.yaml:1:1: forged"'), args: [], first: /^case\.yaml:6:8: source\.cut: unknown layer 'fl\\x1b\[2Jatten\\nfake\.yaml:1:1: forged'/ },
    { name: 'a value of 900,000 characters', file: 'case.yaml', yaml: GOOD.replace('cut: flatten', `cut: ${'x'.repeat(900_000)}`), args: [], first: /^case\.yaml:6:8: source\.cut: unknown layer 'x+… \(900,0\d\d characters\)$/ },
    { name: '--set constructor.prototype.x=1', file: 'case.yaml', yaml: GOOD, args: ['--set', 'constructor.prototype.x=1'], first: /^--set constructor\.prototype\.x=1: constructor\.prototype\.x: unknown field 'constructor' \(not a field of the file\)$/ },
  ])('$name', async ({ file, yaml, args, first }) => {
    const dir = mkdtempSync(join(tmpdir(), 'tlx-hostile-e2e-'));
    writeFileSync(join(dir, file), yaml);
    const r = await tlx(dir, 'validate', file, ...args);
    expectCleanRefusal(r);
    expect(r.stderr.split('\n')[0]).toMatch(first);
    expect(r.stderr.split('\n')[0]!.length).toBeLessThan(600);
  });

  it('a valid file with a newline in its name is named on one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlx-hostile-e2e-'));
    writeFileSync(join(dir, 'ok\ntlx: forged.yaml'), GOOD);
    const r = await tlx(dir, 'validate', 'ok\ntlx: forged.yaml');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('ok\\ntlx: forged.yaml: valid; 2 trials (2 grid points x 1 repeat)\n');
  });
});
