import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DataError, TrialError } from '../../src/errors.js';
import { type SerializedError, serializeError, taskError } from '../../src/execute/task-messages.js';

// A task's error crosses the worker boundary as plain data and comes back as a
// TrialError that keeps its cause's code, hint and stack (not everything as E_TRIAL).

describe('task errors across the worker boundary', () => {
  it('a coded error thrown in a real child process keeps its code, hint and stack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlx-task-errors-'));
    const child = join(dir, 'child.mjs');
    const built = (p: string) => pathToFileURL(resolve('dist/src', p)).href;
    writeFileSync(child, `
      import { DataError } from '${built('errors.js')}';
      import { serializeError } from '${built('execute/task-messages.js')}';
      try { throw new DataError('E_DATA_EMPTY', 'data/cats', 'no images in this class folder', 'add images or remove the folder'); }
      catch (e) { process.send(serializeError(e)); }
    `);
    const proc = fork(child, [], { serialization: 'advanced' });
    const sent = await new Promise<SerializedError>((res) => proc.once('message', (m) => res(m as SerializedError)));
    await new Promise((res) => proc.once('exit', res));
    const error = taskError('probe-123', sent);
    expect(error).toBeInstanceOf(TrialError);
    expect(error).toMatchObject({ code: 'E_DATA_EMPTY', taskId: 'probe-123', message: 'data/cats: no images in this class folder', hint: 'add images or remove the folder' });
    expect(error.causeStack).toMatch(/DataError: data\/cats: no images/);
  });

  it.each([
    ['a tlx error', new DataError('E_DATA_CSV', 'a.csv', 'no rows'), { code: 'E_DATA_CSV', message: 'a.csv: no rows' }],
    ['an OS error', Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' }), { code: 'ENOENT' }],
    ['an error without a code', new Error('shapes do not match'), { code: 'E_TRIAL' }],
    ['a non-string code', Object.assign(new Error('odd'), { code: 42 }), { code: 'E_TRIAL' }],
    ['a thrown string', 'plain text', { code: 'E_TRIAL', message: 'plain text' }],
  ])('%s', (_, thrown, expected) => {
    expect(taskError('k', serializeError(thrown))).toMatchObject(expected);
  });
});
