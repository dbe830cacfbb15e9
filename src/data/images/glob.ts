// Glob patterns for the files of an image folder (include / exclude), matched
// against paths relative to the folder with `/` between names. Node's own
// path.matchesGlob is experimental in Node 20 (it warns on stderr), so tlx keeps
// this small matcher: `*` and `?` within one name, `**` across folders, `[...]`
// character classes (`[!...]` or `[^...]` negated), `\` to quote the next character.

import { InternalError } from '../../errors.js';

/** A pattern that cannot be read, and why. */
export interface GlobProblem {
  readonly message: string;
}

const SPECIAL = /[.+^${}()|[\]\\*?]/;

/** The end of the character class that starts at `start` (a `[`), or -1 when it is never closed. */
function classEnd(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern[i] === '!' || pattern[i] === '^') i++;
  if (pattern[i] === ']') i++; // a `]` first in the class is one of its characters
  for (; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']') return i;
  }
  return -1;
}

function classSource(body: string): string {
  const negated = body.startsWith('!') || body.startsWith('^');
  const chars = (negated ? body.slice(1) : body).replace(/\\(.)/g, '$1').replace(/[\\\]^[]/g, '\\$&');
  // A class stands for one character of a name, never the `/` between names.
  return negated ? `[^/${chars}]` : `(?!/)[${chars}]`;
}

/** The regular expression a glob pattern stands for, or why it cannot be read. */
export function compileGlob(pattern: string): RegExp | GlobProblem {
  if (pattern.startsWith('/')) return { message: `'${pattern}' starts with '/': patterns are relative to the folder (e.g. 'cats/**/*.jpg' or '**/*.png')` };
  const text = pattern.replace(/^(\.\/)+/, '');
  let source = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '*' && text[i + 1] === '*') {
      const whole = (i === 0 || text[i - 1] === '/') && (i + 2 === text.length || text[i + 2] === '/');
      if (!whole) {
        source += '[^/]*';
      } else if (text[i + 2] === '/') {
        source += '(?:[^/]*/)*'; // `**/`: no folder, or any number of them
        i++;
      } else {
        source += '.*';
      }
      i++;
    } else if (c === '*') {
      source += '[^/]*';
    } else if (c === '?') {
      source += '[^/]';
    } else if (c === '[') {
      const end = classEnd(text, i);
      if (end < 0) return { message: `'${pattern}' has a '[' that is never closed: quote it as '\\[' to match the character itself` };
      source += classSource(text.slice(i + 1, end));
      i = end;
    } else if (c === '\\') {
      if (i + 1 === text.length) return { message: `'${pattern}' ends with '\\', which quotes nothing` };
      const next = text[++i]!;
      source += SPECIAL.test(next) ? `\\${next}` : next;
    } else {
      source += SPECIAL.test(c) ? `\\${c}` : c;
    }
  }
  try {
    return new RegExp(`^${source}$`, 'u');
  } catch {
    return { message: `'${pattern}' has a character class that is not valid (a range such as [z-a] runs backwards)` };
  }
}

/** Whether a glob could not be read. */
export function isGlobProblem(value: RegExp | GlobProblem): value is GlobProblem {
  return !(value instanceof RegExp);
}

/** Which relative paths a data block's include / exclude patterns keep (all when neither is given). */
export function pathFilter(include: readonly string[] | undefined, exclude: readonly string[] | undefined): (path: string) => boolean {
  const compile = (patterns: readonly string[] = []) => patterns.map((p) => {
    const glob = compileGlob(p);
    if (isGlobProblem(glob)) throw new InternalError(`glob ${glob.message}, yet the config rules let it through`);
    return glob;
  });
  const [yes, no] = [compile(include), compile(exclude)];
  return (path) => (include == null || yes.some((g) => g.test(path))) && !no.some((g) => g.test(path));
}
