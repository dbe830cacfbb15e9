import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { readGraphModelJson } from '../../src/models/graph-files.js';
import { resolveNode } from '../../src/models/graph-source.js';
import { disposeSource, featureExtractor, loadSourceModel } from '../../src/models/source-model.js';
import { GRAPH_SCRATCH_UNAVAILABLE } from '../../src/plan/tasks.js';
import type { TrialRecord } from '../../src/results/trial-record.js';
import { FEATURES_NODE, graphWeights, KERNEL, kernelBytes, writeGraphModel, writeTwoColourFolder } from '../support/graph-model.js';
import { thrown } from '../support/thrown.js';

// A TensorFlow.js GraphModel as a source: a frozen function from images to the
// features at a node. A tiny one written by the test (images -> uint8-quantized
// Conv2D -> Relu -> Mean -> MatMul -> Softmax) is read, inspected, refused when
// hostile, and trained on end to end; test/models/graph-pretrained.test.ts does
// the same with the real mobilenet_v2_mid.

const root = mkdtempSync(join(tmpdir(), 'tlx-graph-'));
const EXPERIMENT = `name: graph
source:
  model: tiny/model.json
  cut: pool/Mean
target:
  data: { dataset: imagefolder, path: photos, validation: 1, test: 1 }
transfer:
  freeze: all
train: { epochs: 1, batchSize: 2 }
indicators:
  transferOnly: { probe: centroid }
`;

let tiny: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  tiny = writeGraphModel(join(root, 'tiny'));
  writeFileSync(join(root, 'graph.yaml'), EXPERIMENT);
  writeFileSync(join(root, 'outside.bin'), graphWeights());
  await writeTwoColourFolder(join(root, 'photos'), 4);
});

/** The CLI as a function, in this process; stdout and stderr collected. */
async function tlx(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; }, env: { ...process.env, TLX_BACKEND: 'cpu' }, cwd: root });
  return { code, out, err };
}

describe('a graph model as a frozen feature extractor', () => {
  it('its features at a node are the graph computed with its uint8 weights dequantized (min + scale * byte)', async () => {
    const source = await loadSourceModel(tiny);
    expect(source.kind).toBe('graph');
    const extractor = featureExtractor(source, 'pool/Mean');
    expect(extractor.boundary).toBe(FEATURES_NODE);
    const images = tf.randomUniform([3, 8, 8, 3], 0, 1, 'float32', 5);
    const features = extractor.forward(images);
    const kernel = tf.tensor4d(Float32Array.from(kernelBytes(), (b) => KERNEL.min + KERNEL.scale * b), [3, 3, 3, 4]);
    const expected = tf.mean(tf.relu(tf.conv2d(images, kernel, 1, 'same')), [1, 2]);
    expect(features.shape).toEqual([3, 4]);
    const [got, want] = [features.dataSync(), expected.dataSync()];
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
    tf.dispose([images, features, kernel, expected]);
    disposeSource(source);
  });

  it('tlx inspect lists its nodes (weights left out) with output shapes and parameters, and its signature outputs', async () => {
    const { code, out, err } = await tlx('inspect', 'tiny/model.json');
    expect(err).toBe('');
    expect(code).toBe(0);
    const rows = out.split('\n').filter((l) => /^\s+\d+\s/.test(l)).map((l) => l.trim().split(/\s{2,}/));
    expect(rows).toEqual([
      ['0', 'images', 'Placeholder', '[N,8,8,3]', '0'],
      ['1', 'net/conv/Conv2D', 'Conv2D', '[N,8,8,4]', '108'],
      ['2', 'net/conv/Relu', 'Relu', '[N,8,8,4]', '0'],
      ['3', 'net/pool/Mean', 'Mean', '[N,4]', '2'],
      ['4', 'net/logits/MatMul', 'MatMul', '[N,3]', '12'],
      ['5', 'net/out/Softmax', 'Softmax', '[N,3]', '0'],
    ]);
    expect(out).toContain('6 nodes, 122 parameters, all frozen');
    expect(out).toContain('input [N,8,8,3]; signature outputs: net/out/Softmax:0 [N,3]');
  });

  it('validate accepts it with freeze all, the cut named in full, by its end, or by index', async () => {
    for (const cut of ['net/pool/Mean', 'pool/Mean', '3']) {
      const out = await tlx('validate', 'graph.yaml', '--set', `source.cut=${cut}`);
      expect(out.err, cut).toBe('');
      expect(out.code).toBe(0);
    }
  });
});

interface RuleRow {
  readonly name: string;
  readonly yaml: string;
  /** line:col of the value at fault. */
  readonly at: string;
  readonly message: string;
}

const experiment = (transfer: string, cut = 'pool/Mean') => EXPERIMENT.replace('  cut: pool/Mean', `  cut: ${cut}`).replace('  freeze: all', transfer);

const RULES: RuleRow[] = [
  { name: 'freeze none', yaml: experiment('  freeze: none'), at: '8:11',
    message: 'transfer.freeze: source.model is a graph model, whose weights are constants of a frozen function: freeze must be \'all\' (got "none")' },
  { name: 'freeze the first 2 nodes', yaml: experiment('  freeze: 2'), at: '8:11', message: "freeze must be 'all' (got 2)" },
  { name: 'freeze up to a node', yaml: experiment('  freeze: { upTo: net/conv/Relu }'), at: '8:11', message: 'freeze must be \'all\' (got {"upTo":"net/conv/Relu"})' },
  { name: 'freeze by pattern', yaml: experiment('  freeze: { match: conv }'), at: '8:11', message: 'freeze must be \'all\' (got {"match":"conv"})' },
  { name: 'a fine-tuning phase', yaml: experiment('  freeze: all\n  fineTune: { unfreeze: all, epochs: 1 }'), at: '9:13',
    message: 'transfer.fineTune: source.model is a graph model, whose weights are constants of a frozen function: it cannot be fine-tuned' },
  { name: 'discriminative learning rates', yaml: experiment('  freeze: all\n  discriminative: { decay: 2.6 }'), at: '9:19',
    message: 'transfer.discriminative: source.model is a graph model, whose weights are constants of a frozen function: transfer.discriminative has no transferred layer to act on' },
  { name: 'L2-SP', yaml: experiment('  freeze: all\n  l2sp: { alpha: 0.1 }'), at: '9:9',
    message: 'transfer.l2sp: source.model is a graph model, whose weights are constants of a frozen function: transfer.l2sp has no transferred layer to act on' },
  { name: 'a cut at no node', yaml: experiment('  freeze: all', 'pool/Maen'), at: '4:8',
    message: "source.cut: unknown node 'pool/Maen'; expected a node of the graph model (its name, the end of it after a '/', or its index)" },
  { name: 'a cut index past the nodes', yaml: experiment('  freeze: all', '6'), at: '4:8',
    message: 'source.cut: node index 6 is out of range; the graph has 6 nodes (0-5)' },
];

describe('resolveNode: a node by index, full name, or the end of its name after a /', () => {
  const names = ['input', 'net/a/Relu6', 'net/b/Relu6', 'net/b/add'];
  it.each([
    ['an index', 2, { ok: true, value: 2 }],
    ['a full name', 'net/b/add', { ok: true, value: 3 }],
    ['the end of one name', 'b/Relu6', { ok: true, value: 2 }],
    ['a part that is not after a /', 'et/b/add', { ok: false, problem: { message: "unknown node 'et/b/add'; expected a node of the graph model (its name, the end of it after a '/', or its index)", hint: "did you mean 'net/b/add'?" } }],
    ['the end of two names', 'Relu6', { ok: false, problem: { message: "'Relu6' ends 2 node names: 'net/a/Relu6', 'net/b/Relu6'", hint: 'give more of the name, or its index' } }],
    ['an index past the nodes', 4, { ok: false, problem: { message: 'node index 4 is out of range; the graph has 4 nodes (0-3)', hint: 'tlx inspect MODEL lists the nodes with their output shapes' } }],
  ] as const)('%s', (_, cut, expected) => {
    expect(resolveNode(names, cut)).toEqual(expected);
  });
});

describe('what a graph-model source cannot do, refused by validate and run at its position (exit 2)', () => {
  it.each(RULES)('$name', async (row) => {
    writeFileSync(join(root, 'rule.yaml'), row.yaml);
    const validate = await tlx('validate', 'rule.yaml');
    expect(validate.code, validate.err).toBe(2);
    expect(validate.err.split('\n')[0]).toContain(`rule.yaml:${row.at}: `);
    expect(validate.err).toContain(row.message);
    const results = join(root, 'results-rule');
    const run = await tlx('run', 'rule.yaml', '--results', results, '--cache', join(root, 'cache'));
    expect(run.code).toBe(2);
    expect(run.err).toContain(row.message);
    expect(existsSync(results)).toBe(false);
  });

  it('the hint says what to do', async () => {
    writeFileSync(join(root, 'rule.yaml'), experiment('  freeze: none'));
    const { err } = await tlx('validate', 'rule.yaml');
    expect(err).toContain('set transfer.freeze: all (only the head is trained), or give a TensorFlow.js LayersModel');
  });
});

interface HostileRow {
  readonly name: string;
  readonly model: () => string;
  readonly code: string;
  readonly message: RegExp;
  /** Found from model.json alone (validate); otherwise only when a run reads the weights. */
  readonly validate: boolean;
}

const variant = (name: string, edit: Parameters<typeof writeGraphModel>[1], weights?: Buffer) => writeGraphModel(join(root, name), edit, weights);
const nodes = (json: ReturnType<typeof readGraphModelJson>) => json.modelTopology.node as { name: string; op: string; input?: string[] }[];

const HOSTILE: HostileRow[] = [
  { name: 'a weight path out of the folder', model: () => variant('escape', (j) => { j.weightsManifest[0]!.paths = ['../outside.bin']; }),
    code: 'E_MODEL_PATH', message: /weight path '\.\.\/outside\.bin' leaves the model's folder/, validate: true },
  { name: 'an absolute weight path', model: () => variant('absolute', (j) => { j.weightsManifest[0]!.paths = [join(root, 'outside.bin')]; }),
    code: 'E_MODEL_PATH', message: /weight path '.*outside\.bin' is absolute/, validate: true },
  { name: 'a weight shard linked out of the folder', model: () => {
    const file = variant('linked', () => {});
    const shard = join(root, 'linked', 'group1-shard1of1.bin');
    rmSync(shard);
    symlinkSync(join(root, 'outside.bin'), shard);
    return file;
  }, code: 'E_MODEL_PATH', message: /weight path 'group1-shard1of1\.bin' leads outside the model's folder \(through a symbolic link\)/, validate: false },
  { name: 'a truncated shard', model: () => variant('short', () => {}, graphWeights().subarray(0, 100)),
    code: 'E_MODEL_WEIGHTS', message: /weight shards hold 100 bytes, the manifest describes 164/, validate: false },
  { name: 'a NaN float32 weight', model: () => {
    const bytes = graphWeights();
    bytes.writeFloatLE(NaN, 108 + 8 + 4);
    return variant('nan', () => {}, bytes);
  }, code: 'E_MODEL_NAN', message: /weight 'net\/logits\/kernel' holds NaN \(element 1 of 12\)/, validate: false },
  { name: 'an infinite quantization scale', model: () => {
    const file = variant('scale', (j) => { j.weightsManifest[0]!.weights[0]!.quantization!.scale = 12345; });
    writeFileSync(file, readFileSync(file, 'utf8').replace('12345', '1e400')); // JSON.parse reads it as Infinity
    return file;
  },
    code: 'E_MODEL_NAN', message: /weight 'net\/conv\/kernel' holds Infinity as its quantization scale/, validate: false },
  { name: 'an input naming no node', model: () => variant('dangling', (j) => { nodes(j as never)[3]!.input = ['net/conv/Conv2D_typo']; }),
    code: 'E_MODEL_LAYER', message: /node 'net\/conv\/Relu' takes input 'net\/conv\/Conv2D_typo', which is no node of the graph/, validate: true },
  { name: 'two nodes of one name', model: () => variant('twice', (j) => { nodes(j as never)[3]!.name = 'net/conv/Conv2D'; }),
    code: 'E_MODEL_LAYER', message: /two nodes are named 'net\/conv\/Conv2D'/, validate: true },
  { name: 'an op TensorFlow.js does not have', model: () => variant('unknown-op', (j) => { nodes(j as never)[3]!.op = 'PyFunc'; }),
    code: 'E_MODEL_LAYER', message: /TensorFlow\.js cannot run this graph: Unknown op 'PyFunc'\.$/m, validate: false },
  { name: 'two image inputs', model: () => variant('two-inputs', (j) => { j.modelTopology.node.push({ ...j.modelTopology.node[0]!, name: 'more' }); }),
    code: 'E_MODEL_INPUT', message: /the graph has 2 inputs \(Placeholder nodes\); tlx feeds a graph model one batch of images/, validate: true },
  { name: 'nodes that are not a list', model: () => variant('no-nodes', (j) => { (j.modelTopology as { node: unknown }).node = { a: 1 }; }),
    code: 'E_MODEL_FORMAT', message: /modelTopology: expected the graph's nodes in modelTopology\.node/, validate: true },
];

describe('hostile graph models: validate and run refuse each (exit 2), naming the file, nothing written', () => {
  it.each(HOSTILE)('$name', async (row) => {
    const file = row.model();
    const set = ['--set', `source.model=${file}`];
    const validate = await tlx('validate', 'graph.yaml', ...set);
    if (row.validate) {
      expect(validate.code, validate.err).toBe(2);
      expect(validate.err).toContain(`source.model: ${file}: `);
      expect(validate.err).toMatch(row.message);
    } else {
      expect(validate.code, validate.err).toBe(0);
    }
    const results = join(root, 'results', row.code, row.name.replaceAll(' ', '-'));
    const run = await tlx('run', 'graph.yaml', ...set, '--results', results, '--cache', join(root, 'cache'));
    expect(run.code, run.err).toBe(2);
    expect(run.err).toContain(`${file}: `);
    expect(run.err).toMatch(row.message);
    expect(run.err).not.toMatch(/\n\s+at /);
    expect(existsSync(results)).toBe(false);
  });

  it('the graph reader refuses a layers model.json', () => {
    mkdirSync(join(root, 'layers'), { recursive: true });
    writeFileSync(join(root, 'layers', 'model.json'), JSON.stringify({ format: 'layers-model', modelTopology: {} }));
    expect(thrown(() => readGraphModelJson(join(root, 'layers', 'model.json'))))
      .toMatchObject({ code: 'E_MODEL_FORMAT', message: `${join(root, 'layers', 'model.json')}: not a TensorFlow.js GraphModel (format 'layers-model')` });
  });
});

describe('tlx run on a graph-model source (built binary)', () => {
  const BIN = resolve('dist/src/cli/bin.js');
  const cli = promisify(execFile);

  it('trains the head on features computed once, probes them, records the scratch baseline as unavailable, exports nothing', async () => {
    expect(existsSync(BIN), 'run npm run build first').toBe(true);
    const results = join(root, 'results-run');
    const { stdout, stderr } = await cli('node', [BIN, 'run', 'graph.yaml', '--results', results, '--cache', join(root, 'cache')],
      { cwd: root, env: { ...process.env, TLX_BACKEND: 'wasm' } });
    expect(stderr).toContain('tlx: source.model is a graph model: only the head is trained');
    expect(stdout).toContain('1 trials run, 0 already done, 0 failed');
    const runDir = join(root, stdout.match(/results: (.*)/)![1]!);
    const [record] = readFileSync(join(runDir, 'trials.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TrialRecord);
    expect(record).toMatchObject({ status: 'ok', scratchUnavailable: GRAPH_SCRATCH_UNAVAILABLE, featureCache: [{ boundary: FEATURES_NODE }] });
    expect(record!.frozen).toEqual(['images', 'net/conv/Conv2D', 'net/conv/Relu', FEATURES_NODE]);
    expect(record!.scratch).toBeUndefined();
    expect(record!.indicators!.transferOnly).toMatchObject({ probe: 'centroid' });
    // Reddish against bluish images: the colour means the features separate them.
    expect(record!.indicators!.transferOnly!.test.accuracy).toBe(1);
    expect(record!.curve).toHaveLength(1);
    expect(readFileSync(join(runDir, 'summary.md'), 'utf8')).toContain(`scratch baseline unavailable (${GRAPH_SCRATCH_UNAVAILABLE})`);
    expect(JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8')).notes.join('\n')).toContain('no model is exported');
    expect(existsSync(join(runDir, 'models'))).toBe(false);
  });
});
