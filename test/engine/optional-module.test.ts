import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { importOptional } from '../../src/engine/optional-module.js';

it('an absent package is absent', async () => {
  expect(await importOptional('@tensorflow/tfjs-node-that-does-not-exist')).toEqual({ status: 'absent' });
});

it('a package that throws while loading is broken, with its first message line', async () => {
  // Stands in for tfjs-node installed without its libtensorflow.
  const dir = mkdtempSync(join(tmpdir(), 'tlx-optional-'));
  const pkg = join(dir, 'node_modules', 'broken-peer');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'broken-peer', main: 'index.js' }));
  writeFileSync(join(pkg, 'index.js'), "throw new Error('libtensorflow.so.2: cannot open shared object file\\nmore');");
  const result = await importOptional(join(pkg, 'index.js'));
  expect(result).toEqual({ status: 'broken', reason: 'libtensorflow.so.2: cannot open shared object file' });
});
