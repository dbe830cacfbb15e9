import { describe, expect, it } from 'vitest';
import { compileGlob, isGlobProblem, pathFilter } from '../../../src/data/images/glob.js';

/** Each row: a pattern, and paths (relative, `/` between names) it must and must not match. */
const MATCHES: { pattern: string; yes: string[]; no: string[] }[] = [
  { pattern: '*.png', yes: ['a.png', '.png'], no: ['a/b.png', 'a.PNG', 'a.png.txt'] },
  { pattern: '**/*.png', yes: ['a.png', 'a/b.png', 'a/b/c/d.png'], no: ['a/b.jpg', 'a/b.pngx'] },
  { pattern: '**/cartoon/**', yes: ['cartoon/x.png', 'animals/insects/cartoon/ladybug.png', 'a/cartoon/b/c.png'], no: ['animals/cartoons/x.png', 'animals/cartoon.png', 'mycartoon/x.png'] },
  { pattern: '**/*_mirror*', yes: ['vehicles/construction/dumper_mirror.png', 'x_mirror'], no: ['vehicles/mirror.png', 'a_mirror/x.png'] },
  { pattern: 'animals/**', yes: ['animals/a.png', 'animals/b/c.png'], no: ['food/animals/a.png', 'animalsx/a.png'] },
  { pattern: 'a/**/b.png', yes: ['a/b.png', 'a/x/b.png', 'a/x/y/b.png'], no: ['b.png', 'a/xb.png'] },
  { pattern: 'a**b', yes: ['ab', 'axxb'], no: ['a/b'] },
  { pattern: '?.jpg', yes: ['a.jpg'], no: ['ab.jpg', '/.jpg', 'a/b.jpg'] },
  { pattern: '[abc]*.png', yes: ['a1.png', 'cat.png'], no: ['dog.png', 'A.png'] },
  { pattern: '[!abc]*.png', yes: ['dog.png'], no: ['cat.png'] },
  { pattern: '[^abc]*.png', yes: ['dog.png'], no: ['bat.png'] },
  { pattern: 'img[0-9].png', yes: ['img0.png', 'img9.png'], no: ['imga.png', 'img10.png'] },
  { pattern: 'x[/]y', yes: [], no: ['x/y'] },
  { pattern: 'x[!a]y', yes: ['xby'], no: ['x/y', 'xay'] },
  { pattern: '[]]x', yes: [']x'], no: ['x'] },
  { pattern: 'a\\*b', yes: ['a*b'], no: ['axb'] },
  { pattern: 'a+(b).{c}$', yes: ['a+(b).{c}$'], no: ['aab.c'] },
  { pattern: './cats/*.jpg', yes: ['cats/1.jpg'], no: ['./cats/1.jpg'] },
];

describe('glob patterns', () => {
  it.each(MATCHES)('$pattern', ({ pattern, yes, no }) => {
    const glob = compileGlob(pattern);
    expect(isGlobProblem(glob)).toBe(false);
    for (const path of yes) expect((glob as RegExp).test(path), `${pattern} matches ${path}`).toBe(true);
    for (const path of no) expect((glob as RegExp).test(path), `${pattern} does not match ${path}`).toBe(false);
  });

  it.each([
    { pattern: 'cats/[ab.jpg', message: /has a '\[' that is never closed/ },
    { pattern: 'x\\', message: /ends with '\\', which quotes nothing/ },
    { pattern: '/data/cats/*.jpg', message: /starts with '\/': patterns are relative to the folder/ },
    { pattern: '[z-a].png', message: /character class that is not valid/ },
  ])('refused: $pattern', ({ pattern, message }) => {
    const glob = compileGlob(pattern);
    expect(isGlobProblem(glob)).toBe(true);
    expect((glob as { message: string }).message).toMatch(message);
  });

  it('include keeps a path matching any of its patterns, exclude then drops it', () => {
    const keep = pathFilter(['**/*.png', '**/*.jpg'], ['**/cartoon/**']);
    expect(['a/b.png', 'a/b.jpg', 'a/cartoon/b.png', 'a/b.gif'].filter(keep)).toEqual(['a/b.png', 'a/b.jpg']);
    expect(['a.png', 'b/c.webp'].filter(pathFilter(undefined, undefined))).toEqual(['a.png', 'b/c.webp']);
    expect(['a.png', 'b/c.webp'].filter(pathFilter(undefined, ['b/**']))).toEqual(['a.png']);
  });
});
