import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Embeddings } from '../../src/config/resolved.js';
import type { KeyContext } from '../../src/plan/tasks.js';

// What a text task's result depends on is in its key: the word vectors' content
// (not their path), the tokenizer's settings and implementation version, the
// target data and the seed; and the run id changes with the tokenizer version.

const dir = mkdtempSync(join(tmpdir(), 'tlx-text-keys-'));
const TEXT = `name: keys
source: { embeddings: { file: vectors.txt }, cut: embedding, input: { text: { maxLength: 20 } } }
target: { data: { dataset: jsonl, path: reviews.jsonl } }
transfer: { head: [meanPool: {}] }
`;
const IMAGES = 'name: keys\nsource: { pretrain: { architecture: lenet5, data: { dataset: mnist, classes: [0, 1] } }, cut: flatten }\ntarget: { data: { dataset: mnist, classes: [5, 6] } }\n';
writeFileSync(join(dir, 'reviews.jsonl'), '{"text": "good", "label": "pos"}\n{"text": "bad", "label": "neg"}\n');
writeFileSync(join(dir, 'vectors.txt'), 'good 1 0\nbad 0 1\n');

const context = (hash: string): KeyContext => ({ baseDir: dir, modelHash: () => undefined, embeddingsHash: (e: Embeddings) => (e.file ? hash : undefined) });

async function keys(yaml: string, hash = 'v1', seedOffset = 0) {
  const file = join(dir, `case-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, yaml);
  const { loadExperiment } = await import('../../src/config/load.js');
  const { planTrials } = await import('../../src/plan/trials.js');
  const tasks = await import('../../src/plan/tasks.js');
  const loaded = loadExperiment(file, dir);
  const trial = planTrials(loaded.raw)[0]!;
  const seed = trial.seed + seedOffset;
  const c = context(hash);
  const text = trial.experiment.source.embeddings != null;
  return {
    run: loaded.hash,
    source: text ? tasks.embeddingsSourceKey(trial.experiment, seed, c) : tasks.pretrainKey(trial.experiment, c),
    probe: tasks.probeKey(trial.experiment, seed, c),
    scratch: tasks.scratchKey(trial.experiment, seed, c),
  };
}

describe('text task keys', () => {
  it('change with the vectors\' content, the tokenizer settings and the seed, each', async () => {
    const base = await keys(TEXT);
    expect(await keys(TEXT)).toEqual(base);
    for (const other of [await keys(TEXT, 'v2'), await keys(TEXT.replace('maxLength: 20', 'maxLength: 21')), await keys(TEXT, 'v1', 1)]) {
      expect(other.source).not.toBe(base.source);
      expect(other.probe).not.toBe(base.probe);
      expect(other.scratch).not.toBe(base.scratch);
    }
  });

  it('and with the tokenizer\'s version, as does the run id; an image experiment\'s do not', async () => {
    const [text, images] = [await keys(TEXT), await keys(IMAGES)];
    vi.resetModules();
    vi.doMock('../../src/data/text/tokenize.js', async (original) => ({ ...(await original<object>()), TOKENIZER_VERSION: 0 }));
    try {
      const [textBefore, imagesBefore] = [await keys(TEXT), await keys(IMAGES)];
      for (const k of ['run', 'source', 'probe', 'scratch'] as const) expect(textBefore[k], k).not.toBe(text[k]);
      expect(imagesBefore).toEqual(images);
    } finally {
      vi.doUnmock('../../src/data/text/tokenize.js');
      vi.resetModules();
    }
  });
});
