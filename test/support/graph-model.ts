import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

// A tiny TensorFlow.js GraphModel written by hand, as tensorflowjs_converter writes
// one: images [N, 8, 8, 3] -> Conv2D (uint8-quantized kernel) -> Relu -> Mean over
// height and width ("features", [N, 4]) -> MatMul -> Softmax. Tests edit its
// model.json or weights to make hostile variants.

export interface GraphNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, unknown>;
}

export interface GraphModelFile {
  format: string;
  generatedBy: string;
  modelTopology: { node: GraphNode[]; versions: { producer: number } };
  weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string; quantization?: { dtype: string; scale: number; min: number } }[] }[];
  signature?: unknown;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');
const float = { T: { type: 'DT_FLOAT' } };
const dims = (shape: number[]) => ({ dim: shape.map((size) => ({ size: String(size) })) });
const constant = (name: string, shape: number[], dtype = 'DT_FLOAT'): GraphNode => ({
  name, op: 'Const', attr: { value: { tensor: { dtype, tensorShape: dims(shape) } }, dtype: { type: dtype } },
});

/** The uint8-quantized conv kernel: byte i holds (i * 37) % 256, dequantized as min + scale * byte. */
export const KERNEL = { shape: [3, 3, 3, 4], scale: 0.01, min: -1.2 };
export const kernelBytes = () => Uint8Array.from({ length: 3 * 3 * 3 * 4 }, (_, i) => (i * 37) % 256);
export const LOGITS = Float32Array.from({ length: 12 }, (_, i) => Math.sin(i + 1));
const AXES = Int32Array.from([1, 2]);

export const FEATURES_NODE = 'net/pool/Mean';

export function graphModelJson(): GraphModelFile {
  return {
    format: 'graph-model',
    generatedBy: 'tlx test',
    modelTopology: {
      node: [
        { name: 'images', op: 'Placeholder', attr: { shape: { shape: dims([-1, 8, 8, 3]) }, dtype: { type: 'DT_FLOAT' } } },
        constant('net/conv/kernel', KERNEL.shape),
        { name: 'net/conv/Conv2D', op: 'Conv2D', input: ['images', 'net/conv/kernel'], attr: {
          ...float, strides: { list: { i: ['1', '1', '1', '1'] } }, padding: { s: b64('SAME') }, data_format: { s: b64('NHWC') },
          dilations: { list: { i: ['1', '1', '1', '1'] } },
        } },
        { name: 'net/conv/Relu', op: 'Relu', input: ['net/conv/Conv2D'], attr: float },
        constant('net/pool/axes', [2], 'DT_INT32'),
        { name: FEATURES_NODE, op: 'Mean', input: ['net/conv/Relu', 'net/pool/axes'], attr: { ...float, Tidx: { type: 'DT_INT32' }, keep_dims: { b: false } } },
        constant('net/logits/kernel', [4, 3]),
        { name: 'net/logits/MatMul', op: 'MatMul', input: [FEATURES_NODE, 'net/logits/kernel'], attr: { ...float, transpose_a: { b: false }, transpose_b: { b: false } } },
        { name: 'net/out/Softmax', op: 'Softmax', input: ['net/logits/MatMul'], attr: float },
      ],
      versions: { producer: 1 },
    },
    weightsManifest: [{
      paths: ['group1-shard1of1.bin'],
      weights: [
        { name: 'net/conv/kernel', shape: KERNEL.shape, dtype: 'float32', quantization: { dtype: 'uint8', scale: KERNEL.scale, min: KERNEL.min } },
        { name: 'net/pool/axes', shape: [2], dtype: 'int32' },
        { name: 'net/logits/kernel', shape: [4, 3], dtype: 'float32' },
      ],
    }],
    signature: { outputs: { 'net/out/Softmax:0': { name: 'net/out/Softmax:0', tensorShape: dims([-1, 3]) } } },
  };
}

/** The shard's bytes, in manifest order (quantized kernel, int32 axes, float32 logits). */
export function graphWeights(): Buffer {
  return Buffer.concat([kernelBytes(), new Uint8Array(AXES.buffer), new Uint8Array(LOGITS.buffer)]);
}

/** Writes the tiny graph model (edited) into `dir`; returns its model.json. */
export function writeGraphModel(dir: string, edit: (json: GraphModelFile) => void = () => {}, weights: Buffer = graphWeights()): string {
  const json = graphModelJson();
  edit(json);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  writeFileSync(join(dir, 'group1-shard1of1.bin'), weights);
  return join(dir, 'model.json');
}

/** An image folder of two classes, `count` 8x8 PNGs each: reddish `a`, bluish `b`, shades varying. */
export async function writeTwoColourFolder(dir: string, count: number): Promise<void> {
  await Promise.all(['a', 'b'].flatMap((c) => {
    mkdirSync(join(dir, c), { recursive: true });
    return Array.from({ length: count }, (_, i) => {
      const shade = 40 + 30 * i;
      const background = c === 'a' ? { r: 200, g: shade, b: 30 } : { r: 30, g: shade, b: 200 };
      return sharp({ create: { width: 8, height: 8, channels: 3, background } }).png().toFile(join(dir, c, `${i}.png`));
    });
  }));
}
