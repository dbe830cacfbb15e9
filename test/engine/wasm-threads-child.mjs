// Run by wasm-threads.test.ts in a fresh process (the wasm backend starts once per
// process): computes, on tlx's wasm backend with TLX_WASM_THREADS threads, the ops and
// the training steps the test compares, on the inputs it sends on stdin. Uses the
// build in dist/, where the pthread worker script is.
import { readFileSync } from 'node:fs';

const input = JSON.parse(readFileSync(0, 'utf8'));
const { initBackend } = await import(new URL('../../dist/src/engine/init-backend.js', import.meta.url).href);
const tf = await import('@tensorflow/tfjs-core');
const tfl = await import('@tensorflow/tfjs-layers');
const { smallNet } = await import(new URL('./wasm-threads-net.mjs', import.meta.url).href);

const floats = (b64) => { const b = Buffer.from(b64, 'base64'); return new Float32Array(b.buffer, b.byteOffset, b.length / 4); };
const bytes = (t) => Buffer.from(new Uint8Array(t.dataSync().slice().buffer)).toString('base64');

const info = await initBackend('wasm');
const x = tf.tensor4d(floats(input.x), input.xShape);
const out = {
  conv2d: bytes(tf.conv2d(x, tf.tensor4d(floats(input.w), input.wShape), 1, 'same')),
  depthwise: bytes(tf.depthwiseConv2d(x, tf.tensor4d(floats(input.dw), input.dwShape), 1, 'same')),
  matMul: bytes(tf.matMul(tf.tensor2d(floats(input.a), input.aShape), tf.tensor2d(floats(input.b), input.bShape))),
};
const model = smallNet(tfl, input.netShape);
model.setWeights(input.init.map((w, i) => tf.tensor(floats(w), model.getWeights()[i].shape)));
model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
const xs = tf.tensor4d(floats(input.netX), [input.netBatch, ...input.netShape]);
const ys = tf.tensor2d(floats(input.netY), [input.netBatch, 4]);
const losses = [];
for (let step = 0; step < input.steps; step++) losses.push(await model.trainOnBatch(xs, ys));
out.losses = Buffer.from(new Uint8Array(Float32Array.from(losses).buffer)).toString('base64');
out.weights = model.getWeights().map(bytes);
process.stdout.write(JSON.stringify({ threads: info.threads ?? 1, note: info.threadsNote ?? null, out }));
