import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { packagePath } from '../../src/package-root.js';
import { sharedMemoryVariant } from '../../src/engine/simd/tlx-kernels.js';

const plain = readFileSync(packagePath('src', 'engine', 'simd', 'tlx-kernels.wasm'));
const clang = spawnSync('clang', ['--version']).status === 0 && spawnSync('wasm-ld', ['--version']).status === 0;

it('the shared-memory variant links to a shared memory, the committed module only to an unshared one', () => {
  const shared = new WebAssembly.Memory({ initial: 17, maximum: 65536, shared: true });
  expect(() => new WebAssembly.Instance(new WebAssembly.Module(plain), { env: { memory: shared } })).toThrow(/shared/);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(sharedMemoryVariant(plain)), { env: { memory: shared } });
  expect(Object.keys(instance.exports)).toEqual(Object.keys(new WebAssembly.Instance(new WebAssembly.Module(plain),
    { env: { memory: new WebAssembly.Memory({ initial: 17 }) } }).exports));
});

it.skipIf(!clang)('the shared-memory variant is the bytes build.sh writes with TLX_SHARED_MEMORY=1 (needs clang and lld)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tlx-shared-'));
  try {
    const out = join(dir, 'shared.wasm');
    const run = spawnSync('bash', [packagePath('src', 'engine', 'simd', 'build.sh'), out], {
      env: { ...process.env, TLX_SHARED_MEMORY: '1' }, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(Buffer.from(sharedMemoryVariant(plain)).equals(readFileSync(out))).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
