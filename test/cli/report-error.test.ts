import { expect, it } from 'vitest';
import { reportError } from '../../src/cli/report-error.js';
import { ConfigError, InternalError, TrialError, UsageError } from '../../src/errors.js';

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
