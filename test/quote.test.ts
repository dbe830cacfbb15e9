import { expect, it } from 'vitest';
import { formatCount, printable, quote, QUOTE_MAX } from '../src/quote.js';

const cycle: unknown[] = [];
cycle.push(cycle);

it.each([
  ['a plain string', quote('flatten'), "'flatten'"],
  ['a number as JSON', quote(0.001), '0.001'],
  ['a mapping as JSON', quote({ upTo: 'conv2' }), '{"upTo":"conv2"}'],
  ['newlines and tabs escaped', quote('a\nb\tc\r'), "'a\\nb\\tc\\r'"],
  ['terminal escapes escaped', quote('\u001b[31mred'), "'\\x1b[31mred'"],
  ['bidirectional overrides escaped', quote('abc\u202edef'), "'abc\\u202edef'"],
  ['line separators escaped', printable('a\u2028b'), 'a\\u2028b'],
  ['other text kept', printable('café ✓ 日本'), 'café ✓ 日本'],
  ['a long string shortened, with its length', quote('x'.repeat(2 ** 20)), `'${'x'.repeat(QUOTE_MAX)}… (1,048,576 characters)'`],
  ['a long value shortened', quote(Array.from({ length: 100 }, (_, i) => i)).length < QUOTE_MAX + 30, true],
  ['a cycle does not throw', quote(cycle), ''],
  ['counts with separators', formatCount(100_000), '100,000'],
  ['huge counts in exponent form', formatCount(1e21), '1.0e+21'],
])('%s', (_, got, expected) => {
  expect(got).toBe(expected);
});
