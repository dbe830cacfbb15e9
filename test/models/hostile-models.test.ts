import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { readModelJson, saveModel } from '../../src/models/model-files.js';
import { resolvedValue, resolveCut, SurgeryError } from '../../src/models/surgery.js';
import { nonFiniteWeight, weightPathProblem } from '../../src/models/weight-checks.js';
import { thrown } from '../support/thrown.js';

// Source models a user may be handed (a model folder from elsewhere), each written
// by the test next to a tiny experiment: validate and run refuse every one with a
// coded error naming the file, exit 2, nothing run or written, and never print
// what a file outside the model's folder, or one that is not JSON, holds.

const root = mkdtempSync(join(tmpdir(), 'tlx-hostile-'));
const SECRET = 'SECRET-TOKEN=hunter2';
const EXPERIMENT = `name: hostile
source:
  model: good/model.json
  cut: flatten
target:
  data: { dataset: imagefolder, path: data, validation: 1, test: 1 }
transfer:
  freeze: all
train: { epochs: 1, batchSize: 4 }
`;

interface ModelJson {
  modelTopology: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
  weightsManifest: { paths: string[]; weights: { dtype: string; quantization?: object | null }[] }[];
}

let good: ModelJson;
let weights: Buffer;

/** A copy of the good model, its model.json and weights changed; returns its model.json. */
function variant(name: string, edit: (json: ModelJson) => void, bytes: Buffer = weights): string {
  const json = structuredClone(good);
  edit(json);
  mkdirSync(join(root, name));
  writeFileSync(join(root, name, 'model.json'), JSON.stringify(json));
  writeFileSync(join(root, name, 'weights.bin'), bytes);
  return join(root, name, 'model.json');
}

const layers = (json: ModelJson) => json.modelTopology.config.layers;
const specs = (json: ModelJson) => json.weightsManifest[0]!.weights;

function withFloat(index: number, value: number): Buffer {
  const bytes = Buffer.from(weights);
  bytes.writeFloatLE(value, index * 4);
  return bytes;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3, name: 'conv' }),
      tfl.layers.batchNormalization({ name: 'bn' }),
      tfl.layers.flatten({ name: 'flatten' }),
      tfl.layers.dense({ units: 3, activation: 'softmax', name: 'out' }),
    ],
  });
  await saveModel(model, join(root, 'good'), { note: 'fixture' });
  good = JSON.parse(readFileSync(join(root, 'good', 'model.json'), 'utf8')) as ModelJson;
  weights = readFileSync(join(root, 'good', 'weights.bin'));
  writeFileSync(join(root, 'outside.bin'), Buffer.alloc(weights.length, 7));
  writeFileSync(join(root, 'hostile.yaml'), EXPERIMENT);
  mkdirSync(join(root, 'data', 'a'), { recursive: true });
});

interface Row {
  readonly name: string;
  readonly model: () => string;
  readonly code: string;
  readonly message: RegExp;
  /** Found from model.json alone (validate); otherwise only when a run reads the weights. */
  readonly validate: boolean;
}

const ROWS: Row[] = [
  { name: 'an unknown layer class', model: () => variant('unknown', (j) => { layers(j)[2]!.class_name = 'Flattenz'; }),
    code: 'E_MODEL_LAYER', message: /layer 'flatten' has class 'Flattenz', which TensorFlow\.js does not know/, validate: true },
  { name: 'a Lambda layer', model: () => variant('lambda', (j) => { layers(j)[2]!.class_name = 'Lambda'; }),
    code: 'E_MODEL_LAYER', message: /layer 'flatten' is a Lambda layer \(Python code\), which TensorFlow\.js cannot run/, validate: true },
  { name: 'no input shape', model: () => variant('noinput', (j) => { delete layers(j)[0]!.config.batch_input_shape; }),
    code: 'E_MODEL_INPUT', message: /layer 'conv' has no input shape/, validate: true },
  { name: 'duplicate layer names', model: () => variant('dupe', (j) => { layers(j)[2]!.config.name = 'bn'; }),
    code: 'E_MODEL_LAYER', message: /layers 1 and 2 are both named 'bn'/, validate: true },
  { name: 'a weight path out of the folder', model: () => variant('escape', (j) => { j.weightsManifest[0]!.paths = ['../outside.bin']; }),
    code: 'E_MODEL_PATH', message: /weight path '\.\.\/outside\.bin' leaves the model's folder/, validate: true },
  { name: 'an absolute weight path', model: () => variant('absolute', (j) => { j.weightsManifest[0]!.paths = [join(root, 'outside.bin')]; }),
    code: 'E_MODEL_PATH', message: /weight path '.*outside\.bin' is absolute/, validate: true },
  { name: 'a weight shard linked out of the folder', model: () => {
    const file = variant('linked', () => {});
    const shard = join(root, 'linked', 'weights.bin');
    rmSync(shard);
    symlinkSync(join(root, 'outside.bin'), shard);
    return file;
  }, code: 'E_MODEL_PATH', message: /weight path 'weights\.bin' leads outside the model's folder \(through a symbolic link\)/, validate: false },
  { name: 'a model.json that is not JSON', model: () => {
    mkdirSync(join(root, 'text'));
    writeFileSync(join(root, 'text', 'model.json'), `${SECRET}\nmore`);
    return join(root, 'text', 'model.json');
  }, code: 'E_MODEL_FORMAT', message: /model\.json: not JSON$/m, validate: true },
  { name: 'a 200 MiB model.json', model: () => {
    mkdirSync(join(root, 'huge'));
    const file = join(root, 'huge', 'model.json');
    writeFileSync(file, '');
    truncateSync(file, 200 * 2 ** 20); // sparse: nothing is written
    return file;
  }, code: 'E_MODEL_TOO_LARGE', message: /is 200\.0 MiB; a model\.json is at most 32\.0 MiB/, validate: true },
  { name: 'a NaN weight', model: () => variant('nan', () => {}, withFloat(0, NaN)),
    code: 'E_MODEL_NAN', message: /weight 'conv\/kernel' holds NaN \(element 0 of 18\)/, validate: false },
  { name: 'an infinite batch-norm statistic', model: () => variant('inf', () => {}, withFloat(weights.length / 4 - 1, Infinity)),
    code: 'E_MODEL_NAN', message: /weight 'bn\/moving_variance' holds Infinity \(element 1 of 2\)/, validate: false },
  { name: 'a quantization TensorFlow.js cannot read', model: () => variant('int8', (j) => { specs(j)[0]!.quantization = { dtype: 'int8', min: -1, scale: 0.01 }; }),
    code: 'E_MODEL_FORMAT', message: /weight 'conv\/kernel' is quantized as 'int8', which tlx cannot read \(expected uint8, uint16 or float16\)/, validate: true },
  { name: 'uint8 quantization without a scale', model: () => variant('noscale', (j) => { specs(j)[0]!.quantization = { dtype: 'uint8', min: -1 }; }),
    code: 'E_MODEL_FORMAT', message: /weight 'conv\/kernel' is quantized as 'uint8' without the numbers min and scale that dequantize it/, validate: true },
  { name: 'a null quantization', model: () => variant('nullq', (j) => { specs(j)[0]!.quantization = null; }),
    code: 'E_MODEL_FORMAT', message: /weight 'conv\/kernel' has a quantization that is not an object/, validate: true },
  { name: 'float16 quantization of an int32 weight', model: () => variant('int16', (j) => { Object.assign(specs(j)[0]!, { dtype: 'int32', quantization: { dtype: 'float16' } }); }),
    code: 'E_MODEL_FORMAT', message: /weight 'conv\/kernel' has dtype 'int32' quantized as 'float16', which TensorFlow\.js cannot read/, validate: true },
  { name: 'a half-precision dtype without quantization', model: () => variant('half', (j) => { specs(j)[0]!.dtype = 'float16'; }),
    code: 'E_MODEL_FORMAT', message: /weight 'conv\/kernel' has dtype 'float16', which tlx cannot read/, validate: true },
  { name: 'a dtype named like an Object property', model: () => variant('proto', (j) => { specs(j)[0]!.dtype = 'constructor'; }),
    code: 'E_MODEL_FORMAT', message: /weight 'conv\/kernel' has dtype 'constructor', which tlx cannot read/, validate: true },
  { name: 'uint8 weights that dequantize past float32', model: () => variant('overflow', (j) => {
    for (const spec of specs(j)) spec.quantization = { dtype: 'uint8', min: 0, scale: 1e37 };
  }, Buffer.alloc(weights.length / 4, 255)),
  code: 'E_MODEL_NAN', message: /weight 'conv\/kernel' holds Infinity once dequantized \(0 \+ 1e\+37 \* 255\) \(element 0 of 18\)/, validate: false },
];

/** The CLI as a function, in this process; stdout and stderr collected. */
async function tlx(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; }, env: { ...process.env, TLX_BACKEND: 'cpu' }, cwd: root });
  return { code, out, err };
}

describe('hostile local source models', () => {
  it('the good model passes validate (the table starts from a model that works)', async () => {
    const out = await tlx('validate', 'hostile.yaml');
    expect(out.err).toBe('');
    expect(out.code).toBe(0);
  });

  it.each(ROWS)('$name: validate and run refuse it (exit 2), naming the file', async (row) => {
    const file = row.model();
    const set = ['--set', `source.model=${file}`];
    const validate = await tlx('validate', 'hostile.yaml', ...set);
    if (row.validate) {
      expect(validate.code, validate.err).toBe(2);
      expect(validate.err).toContain(`source.model: ${file}: `);
      expect(validate.err).toMatch(row.message);
    } else {
      expect(validate.code, validate.err).toBe(0); // the weights are read by a run, not by validate
    }
    const results = join(root, 'results', row.code, row.name.replaceAll(' ', '-'));
    const run = await tlx('run', 'hostile.yaml', ...set, '--results', results, '--cache', join(root, 'cache'));
    expect(run.code, run.err).toBe(2);
    expect(run.err).toContain(`${file}: `);
    expect(run.err).toMatch(row.message);
    expect(run.err).not.toMatch(/\n\s+at /);
    expect(run.err).not.toContain('hunter2');
    expect(run.err).not.toContain(String(weights.length - 8)); // no size of a file outside the folder
    expect(existsSync(results)).toBe(false);
  });

  it('a functional model whose Input has no shape is refused too', async () => {
    const input = tfl.input({ shape: [4, 4, 1], name: 'pixels' });
    const output = tfl.layers.dense({ units: 2, name: 'out' }).apply(tfl.layers.flatten({ name: 'flat' }).apply(input)) as tfl.SymbolicTensor;
    await saveModel(tfl.model({ inputs: input, outputs: output }), join(root, 'functional'), {});
    const file = join(root, 'functional', 'model.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    delete json.modelTopology.config.layers[0].config.batch_input_shape;
    writeFileSync(file, JSON.stringify(json));
    const out = await tlx('validate', 'hostile.yaml', '--set', `source.model=${file}`, '--set', 'source.cut=flat');
    expect(out.code).toBe(2);
    expect(out.err).toMatch(/layer 'pixels' has no input shape/);
  });
});

describe('the built CLI prints the refusal without a stack', () => {
  const BIN = resolve('dist/src/cli/bin.js');
  const run = promisify(execFile);
  const cli = (...args: string[]) => run('node', [BIN, ...args], { cwd: root, env: { ...process.env, TLX_BACKEND: 'wasm' } })
    .then(() => ({ code: 0, stderr: '' }), (e: { code: number; stderr: string }) => e);

  it('tlx validate on a Lambda layer, tlx run on NaN weights: exit 2, the file and the layer or weight named', async () => {
    expect(existsSync(BIN), 'run npm run build first').toBe(true);
    const lambda = join(root, 'lambda', 'model.json');
    const validate = await cli('validate', 'hostile.yaml', '--set', `source.model=${lambda}`);
    expect(validate.code).toBe(2);
    expect(validate.stderr.split('\n')[0]).toBe(`--set source.model=${lambda}: source.model: ${lambda}: layer 'flatten' is a Lambda layer (Python code), which TensorFlow.js cannot run`);
    const nan = join(root, 'nan', 'model.json');
    const results = join(root, 'results-bin');
    const out = await cli('run', 'hostile.yaml', '--set', `source.model=${nan}`, '--results', results);
    expect(out.code).toBe(2);
    expect(out.stderr.split('\n')[0]).toBe(`tlx: ${nan}: weight 'conv/kernel' holds NaN (element 0 of 18)`);
    expect(out.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(results)).toBe(false);
  });
});

describe('the checks, one by one', () => {
  it.each([
    ['group1-shard1of1.bin', undefined],
    ['sub/shard.bin', undefined],
    ['sub/../shard.bin', undefined],
    ['../x.bin', /leaves the model's folder/],
    ['sub/../../x.bin', /leaves the model's folder/],
    ['..\\..\\x.bin', /leaves the model's folder/],
    ['/etc/passwd', /is absolute/],
    ['C:\\x.bin', /is absolute/],
    ['\\\\host\\share\\x.bin', /is absolute/],
    ['https://elsewhere/x.bin', /is absolute/],
    ['.', /leaves the model's folder/],
    ['', /is not a file name/],
    [3, /is not a file name/],
  ])('weight path %j', (path, problem) => {
    const found = weightPathProblem(path);
    if (problem) expect(found).toMatch(problem);
    else expect(found).toBeUndefined();
  });

  it.each([
    ['finite float32', { dtype: 'float32' }, new Float32Array([1, -2, 0]), undefined],
    ['float32 -Infinity', { dtype: 'float32' }, new Float32Array([1, -Infinity, 0]), /holds -Infinity \(element 1 of 3\)/],
    ['float16 NaN', { dtype: 'float32', quantization: { dtype: 'float16' } }, new Uint16Array([0x3c00, 0x7e00, 0]), /holds NaN \(element 1 of 3\)/],
    ['float16 Infinity', { dtype: 'float32', quantization: { dtype: 'float16' } }, new Uint16Array([0x7c00, 0, 0]), /holds Infinity \(element 0 of 3\)/],
    ['uint8, finite scale', { dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.1, min: -1 } }, new Uint8Array([255, 0, 9]), undefined],
    ['uint8, NaN scale', { dtype: 'float32', quantization: { dtype: 'uint8', scale: NaN, min: -1 } }, new Uint8Array([1, 2, 3]), /holds NaN as its quantization scale/],
    ['int32', { dtype: 'int32' }, new Int32Array([0x7fc00000, 1, 2]), undefined],
    ['uint16, finite', { dtype: 'float32', quantization: { dtype: 'uint16', scale: 1e30, min: -1e34 } }, new Uint16Array([65535, 0, 7]), undefined],
    ['uint16 past float32 once dequantized', { dtype: 'float32', quantization: { dtype: 'uint16', scale: 1e34, min: 0 } }, new Uint16Array([0, 65535, 7]), /holds Infinity once dequantized \(0 \+ 1e\+34 \* 65535\) \(element 1 of 3\)/],
    ['uint8 with a min past float32', { dtype: 'float32', quantization: { dtype: 'uint8', scale: 1, min: -1e39 } }, new Uint8Array([1, 2, 3]), /holds -Infinity once dequantized \(-1e\+39 \+ 1 \* 1\) \(element 0 of 3\)/],
    ['int32 quantized as uint8', { dtype: 'int32', quantization: { dtype: 'uint8', scale: 1e38, min: 0 } }, new Uint8Array([255, 0, 9]), undefined],
  ] as const)('weights: %s', (_, spec, values, problem) => {
    const found = nonFiniteWeight([{ name: 'w', shape: [3], ...spec } as never], new Uint8Array(values.buffer));
    if (problem) expect(found).toMatch(problem);
    else expect(found).toBeUndefined();
  });

  it('JSON with a syntax error: where it is, not what is there', () => {
    const file = join(root, 'syntax.json');
    writeFileSync(file, `{\n  "format": "layers-model",,\n  "token": "${SECRET}"\n}`);
    const error = thrown(() => readModelJson(file));
    expect(error).toMatchObject({ code: 'E_MODEL_FORMAT', message: `${file}: not JSON (syntax error at line 2, column 28)` });
  });

  it('a cut, freeze or unfreeze that does not fit is a coded SurgeryError (exit 2) naming the field', () => {
    expect(resolvedValue(resolveCut(['a', 'b'], 'b'), 'source.cut')).toBe(1);
    const error = thrown(() => resolvedValue(resolveCut(['conv', 'flatten'], 'flaten'), 'source.cut'));
    expect(error).toBeInstanceOf(SurgeryError);
    expect(error).toMatchObject({ code: 'E_LAYER', exitCode: 2, message: "source.cut: unknown layer 'flaten'; expected a layer of the source model", hint: "did you mean 'flatten'?" });
  });
});
