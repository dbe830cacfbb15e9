import { expect, it } from 'vitest';
import { MESSAGE_LINE_MAX, reportError } from '../../src/cli/report-error.js';
import { ConfigError, InternalError, TrialError, UsageError } from '../../src/errors.js';
import { QUOTE_MAX } from '../../src/quote.js';

function report(error: unknown, debug = false) {
  let text = '';
  const code = reportError(error, debug, (t) => { text += t; });
  return { code, text };
}

it.each([
  ['a usage error: message and hint, exit 2', new UsageError('E_X', "--steps must be a positive integer: 'x'", 'see --help'), 2, /^tlx: --steps must .*\n {2}see --help\n$/],
  ['config issues: one file:line:col line each', new ConfigError([{ code: 'E', position: { file: 'a.yaml', line: 3, col: 5 }, path: 'train.epoch', message: "unknown field 'epoch'", hint: "did you mean 'epochs'?" }]), 2, /^a\.yaml:3:5: train\.epoch: unknown field 'epoch'\n {2}did you mean 'epochs'\?\ntlx: 1 problem in a\.yaml; nothing was run\n$/],
  ['a failed shared task: exit 1', new TrialError('pretrain-abc', 'loss is NaN'), 1, /^tlx: task pretrain-abc failed: loss is NaN\n$/],
  ['a bug: stack and where to report', new InternalError('oops'), 70, /internal error \(a bug in tlx.*\n.*InternalError: oops/s],
])('%s', (_, error, code, text) => {
  const r = report(error);
  expect(r.code).toBe(code);
  expect(r.text).toMatch(text);
});

const issue = (file: string, message: string) => new ConfigError([{ code: 'E', position: { file, line: 1, col: 1 }, path: 'name', message }]);

/** Each row: an error carrying what a user wrote, and exactly what is printed: no raw control character, no forged line. */
it.each([
  ['a file name with a newline cannot forge a line', issue('a\ntlx: forged.yaml', 'bad'), 'a\\ntlx: forged.yaml:1:1: name: bad\ntlx: 1 problem in a\\ntlx: forged.yaml; nothing was run\n'],
  ['terminal escapes in a message are escaped', issue('a.yaml', "unknown layer '\u001b[2Jx'"), "a.yaml:1:1: name: unknown layer '\\x1b[2Jx'\ntlx: 1 problem in a.yaml; nothing was run\n"],
  ['an issue is one line', issue('a.yaml', 'one\nfake.yaml:1:1: two'), 'a.yaml:1:1: name: one\\nfake.yaml:1:1: two\ntlx: 1 problem in a.yaml; nothing was run\n'],
  ['a usage message continues indented', new UsageError('E_X', 'one\ntlx: two', 'hint\u0007'), 'tlx: one\n  tlx: two\n  hint\\x07\n'],
  ['a value echoed whole is shortened', new UsageError('E_X', `cannot use '${'x'.repeat(2 ** 20)}'`), `tlx: cannot use '${'x'.repeat(MESSAGE_LINE_MAX - 12)}… (1,048,589 characters)\n`],
  ['a long override is shortened where it is named', new ConfigError([{ code: 'E', position: { override: `description=${'x'.repeat(5000)}` }, path: 'description', message: 'bad' }]), `--set description=${'x'.repeat(QUOTE_MAX - 12)}… (5,012 characters): description: bad\ntlx: 1 problem in the --set overrides; nothing was run\n`],
  ['a failed task with control characters', new TrialError('t\r1', 'bad\u009b'), 'tlx: task t\\r1 failed: bad\\x9b\n'],
])('%s', (_, error, expected) => {
  expect(report(error).text).toBe(expected);
});
