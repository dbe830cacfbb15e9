import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '../../src/engine/quiet.js';
import * as tfl from '@tensorflow/tfjs-layers';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cachedModel, cachedTask, pretrainedDir, taskCacheDir } from '../../src/execute/task-cache.js';
import { hasModel, readMeta, saveModel } from '../../src/models/model-files.js';

const WASM = { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', version: '4.22.0' };
const RESULT = { test: { accuracy: 0.5 }, seconds: 1 };

describe('cached task results', () => {
  it('live under the backend\'s package and version, not its name', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'tlx-cache-'));
    await cachedTask(cache, WASM, 'probe-1', async () => RESULT);
    await cachedTask(cache, { ...WASM, version: '4.23.0' }, 'probe-1', async () => RESULT);
    expect(readdirSync(join(cache, 'tasks')).sort()).toEqual(['tfjs-backend-wasm@4.22.0', 'tfjs-backend-wasm@4.23.0']);
    expect(taskCacheDir(cache, WASM)).toBe(join(cache, 'tasks', 'tfjs-backend-wasm@4.22.0'));
  });

  it('a whole entry is used, not computed again', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'tlx-cache-'));
    await cachedTask(cache, WASM, 'probe-1', async () => RESULT);
    const again = await cachedTask(cache, WASM, 'probe-1', async () => { throw new Error('computed again'); });
    expect(again).toEqual(RESULT);
  });

  it.each([
    { name: 'truncated', text: JSON.stringify(RESULT).slice(0, 12) },
    { name: 'empty', text: '' },
    { name: 'not a task result', text: '{"seconds": 1}' },
    { name: 'JSON null', text: 'null' },
  ])('a $name entry is computed again with a note, and replaced whole', async ({ text }) => {
    const cache = mkdtempSync(join(tmpdir(), 'tlx-cache-'));
    const path = join(taskCacheDir(cache, WASM), 'probe-1.json');
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    const notes: string[] = [];
    let computed = 0;
    const result = await cachedTask(cache, WASM, 'probe-1', async () => (computed++, RESULT), { note: (t) => notes.push(t) });
    expect(result).toEqual(RESULT);
    expect(computed).toBe(1);
    expect(notes).toEqual([expect.stringMatching(/^the cached result of probe-1 is unusable \(.+\): computing it again$/)]);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(RESULT);
  });
});

describe('cached pretrained sources', () => {
  let cache: string;
  const key = 'pretrain-abc';
  const build = async (dir: string) => {
    // As the pretrain task does: a usable folder is kept, a missing one trained.
    if (hasModel(dir)) return { reused: true };
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 2, name: 'out' })] });
    await saveModel(model, dir, { layers: ['out'] });
    model.dispose();
    return { reused: false };
  };

  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each([
    { name: 'meta.json truncated', spoil: (dir: string) => writeFileSync(join(dir, 'meta.json'), '{"lay') },
    { name: 'meta.json missing', spoil: (dir: string) => rmSync(join(dir, 'meta.json')) },
    { name: 'model.json truncated', spoil: (dir: string) => writeFileSync(join(dir, 'model.json'), readFileSync(join(dir, 'model.json'), 'utf8').slice(0, 40)) },
    { name: 'weights.bin missing', spoil: (dir: string) => rmSync(join(dir, 'weights.bin')) },
    { name: 'weights.bin short', spoil: (dir: string) => writeFileSync(join(dir, 'weights.bin'), Buffer.alloc(4)) },
  ])('$name: trained again, with a note', async ({ spoil }) => {
    cache = mkdtempSync(join(tmpdir(), 'tlx-cache-'));
    expect(await cachedModel(cache, WASM, key, build)).toEqual({ reused: false });
    const dir = pretrainedDir(cache, WASM, key);
    expect(dir).toBe(join(cache, 'pretrain', 'tfjs-backend-wasm@4.22.0', key));
    expect(await cachedModel(cache, WASM, key, build)).toEqual({ reused: true });
    spoil(dir);
    const notes: string[] = [];
    expect(await cachedModel(cache, WASM, key, build, { note: (t) => notes.push(t) })).toEqual({ reused: false });
    expect(notes).toEqual([expect.stringMatching(/^the cached pretrained source pretrain-abc is unusable \(.+\): training it again$/)]);
    expect(readMeta(dir)).toEqual({ layers: ['out'] });
    expect(existsSync(join(dir, 'weights.bin'))).toBe(true);
  });
});
