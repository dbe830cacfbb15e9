import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { need } from '../support/optional.js';

const DIR = 'src/engine/simd';
const bytes = readFileSync(join(DIR, 'tlx-kernels.wasm'));

function sectionIds(wasm: Uint8Array): number[] {
  const ids: number[] = [];
  let at = 8; // magic + version
  while (at < wasm.length) {
    const id = wasm[at++]!;
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = wasm[at++]!;
      size |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) break;
    }
    ids.push(id);
    at += size;
  }
  return ids;
}

function hasTool(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`]);
    return true;
  } catch {
    return false;
  }
}
const toolchain = need('clang and wasm-ld', hasTool('clang') && hasTool('wasm-ld'), 'apt-get install clang lld');

describe('tlx-kernels.wasm', () => {
  // It runs inside tfjs-backend-wasm's memory: anything it placed there itself
  // (data segments) would overwrite tfjs's data.
  it('owns no memory: imports tfjs\'s, has no data segments', () => {
    const module = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    const ids = sectionIds(bytes);
    expect(ids).not.toContain(11); // data
    expect(ids).not.toContain(12); // data count
    expect(WebAssembly.Module.exports(module).map((e) => e.name).sort()).toEqual([
      'adam_step', 'band_grad', 'batch_norm', 'batch_norm_grad', 'batch_norm_train', 'batch_norm_train_grad', 'clip_grad', 'conv_filter_grad', 'depthwise_filter_grad', 'depthwise_input_grad', 'matmul_at_b', 'max_pool_grad', 'segment_sum', 'sgd_step', 'sum_leading',
    ]);
  });

  it.runIf(toolchain.available)(`is what build.sh makes of tlx-kernels.c and optimizer-kernels.c ${toolchain.label}`, () => {
    const out = join(mkdtempSync(join(tmpdir(), 'tlx-wasm-')), 'k.wasm');
    execFileSync('bash', [join(DIR, 'build.sh'), out]);
    expect(Buffer.compare(readFileSync(out), bytes), 'rebuild with src/engine/simd/build.sh and commit').toBe(0);
  });
});
