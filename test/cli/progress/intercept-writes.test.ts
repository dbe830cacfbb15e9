import { expect, it } from 'vitest';
import { interceptWrites } from '../../../src/cli/progress/intercept-writes.js';

function recorder() {
  const calls: unknown[][] = [];
  const stream = { write: (...args: unknown[]) => (calls.push(args), true) } as unknown as NodeJS.WriteStream;
  return { stream, calls };
}

it('others\' writes go to the handler, which passes them on (arguments and all) when it chooses; own writes go straight through', () => {
  const { stream, calls } = recorder();
  const seen: string[] = [];
  const pending: (() => void)[] = [];
  const hook = interceptWrites(stream, (t) => stream.write(t), (text, passOn) => {
    seen.push(text);
    pending.push(passOn);
  });
  const done = () => undefined;
  stream.write('note\n', 'utf8', done);
  stream.write(Buffer.from('bytes'));
  expect(seen).toEqual(['note\n', 'bytes']);
  expect(calls).toEqual([]);
  pending[1]!();
  pending[0]!();
  expect(calls).toEqual([[Buffer.from('bytes')], ['note\n', 'utf8', done]]);
  hook.own('mine');
  expect(seen).toHaveLength(2);
  expect(calls.at(-1)).toEqual(['mine']);
});

it('restore gives the stream its write back, but not over a later replacement', () => {
  const { stream } = recorder();
  const original = stream.write;
  interceptWrites(stream, () => undefined, () => undefined).restore();
  expect(stream.write).toBe(original);
  const hook = interceptWrites(stream, () => undefined, () => undefined);
  const later = () => true;
  stream.write = later as typeof stream.write;
  hook.restore();
  expect(stream.write).toBe(later);
});
