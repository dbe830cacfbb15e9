/**
 * Values from users' files and command lines, made safe to print: a quoted value
 * is one short line, and no control character reaches the terminal.
 */

/** The longest quoted value, in characters, before it is shortened. */
export const QUOTE_MAX = 100;

// C0 and C1 controls, DEL, line and paragraph separators, and the bidirectional
// overrides that can make a line read differently than it is.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with every control character written as an escape (`\n`, `\x1b`, `\u202e`). */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => NAMED[c] ?? escapeCode(c.charCodeAt(0)));
}

function escapeCode(code: number): string {
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` cut to `max` characters with an ellipsis and the length of the whole, when longer. */
export function shorten(text: string, max = QUOTE_MAX, length = text.length): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${length.toLocaleString('en-US')} characters)`;
}

/**
 * A user's value as messages quote it: a string in single quotes, anything else as
 * JSON; escaped and shortened, so a message stays one readable line.
 */
export function quote(value: unknown, max = QUOTE_MAX): string {
  const text = typeof value === 'string' ? value : json(value);
  const shown = shorten(printable(text), max, text.length);
  return typeof value === 'string' ? `'${shown}'` : shown;
}

function json(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value); // a cycle, a BigInt
  }
}

/** A count as messages state it: `10,000`, or `1.0e+21` past what digits can show readably. */
export function formatCount(n: number): string {
  return n < 1e12 ? n.toLocaleString('en-US') : n.toExponential(1);
}
