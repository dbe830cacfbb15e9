import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { openRunDir } from '../../src/execute/run-dir.js';
import { folderProblem } from '../../src/results/writable-folder.js';
import { thrown } from '../support/thrown.js';

const root = mkdtempSync(join(tmpdir(), 'tlx-folder-'));
writeFileSync(join(root, 'file'), '');
mkdirSync(join(root, 'folder'));
symlinkSync('loop', join(root, 'loop'));

describe('folderProblem: checked without writing', () => {
  it.each([
    ['an existing folder', 'folder', undefined],
    ['folders still to be made', 'folder/a/b', undefined],
    ['a file', 'file', { path: 'file', problem: 'is a file, expected a folder' }],
    ['a file above it', 'file/a/b', { path: 'file', problem: 'is a file, expected a folder' }],
    ['a link loop on the way', 'loop/a', { path: 'loop/a', problem: 'a loop of symbolic links (ELOOP)' }],
    ['a name of 256 bytes', `folder/${'n'.repeat(256)}/x`, { path: `folder/${'n'.repeat(256)}/x`, problem: expect.stringMatching(/^a name in it is 256 bytes \('n{24}\.\.\.'\), longer than file systems allow \(255\)$/) }],
    ['a path of 5000 bytes', `folder/${'p/'.repeat(2500)}`, { path: expect.any(String), problem: expect.stringMatching(/^the path is \d+ bytes, longer than file systems allow \(4095\)$/) }],
  ])('%s', (_, dir, expected) => {
    const found = folderProblem(join(root, dir));
    expect(found).toEqual(expected && { ...expected, path: typeof expected.path === 'string' ? join(root, expected.path) : expected.path });
  });
});

describe('openRunDir', () => {
  it('an OS error making the run folder is a usage error naming it (for callers that did not check first)', () => {
    const error = thrown(() => openRunDir(join(root, 'file', 'run'), 'test', false));
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(/file\/run: cannot write the run folder: a file is in the way where a folder was expected \(ENOTDIR\)$/);
  });
});
