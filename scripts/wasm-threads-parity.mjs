// Trains a bench workload a few steps on the wasm backend with 1 and with N threads
// (TLX_WASM_THREADS, one child process each), from the same weights, inputs and
// dropout masks, and says whether losses and weights came out bit-identical (and by
// how much they differ otherwise). Needs the build: npx tsc -p tsconfig.json.
//   node scripts/wasm-threads-parity.mjs [workload=mobilenet] [steps=5] [threads=2]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [name = 'mobilenet', stepsArg = '5', threadsArg = '2', child] = process.argv.slice(2);
if (child === '--child') {
  // Dropout draws its masks from Math.random: the same sequence in both processes.
  let r = 777;
  Math.random = () => ((r = (r * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const dist = new URL('../dist/src/', import.meta.url);
  const { initBackend } = await import(new URL('engine/init-backend.js', dist).href);
  const { WORKLOADS } = await import(new URL('bench/workloads.js', dist).href);
  const { makeOptimizer } = await import(new URL('train/optimizer.js', dist).href);
  const info = await initBackend('wasm');
  const tf = await import('@tensorflow/tfjs-core');
  let s = 12345;
  const next = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const w = WORKLOADS.find((x) => x.name === name);
  if (w == null || w.input.kind !== 'image') throw new Error(`no image workload '${name}'`);
  const model = w.build();
  model.setWeights(model.getWeights().map((t) => {
    const a = new Float32Array(t.size);
    const scale = t.shape.length > 1 ? Math.sqrt(2 / (t.size / t.shape[t.shape.length - 1])) : 0.1;
    for (let i = 0; i < a.length; i++) a[i] = (next() * 2 - 1) * scale;
    return tf.tensor(a, t.shape);
  }));
  model.compile({ optimizer: makeOptimizer({ optimizer: 'adam', learningRate: 1e-3 }), loss: 'categoricalCrossentropy' });
  const xa = new Float32Array(w.batch * w.input.shape.reduce((a, b) => a * b));
  for (let i = 0; i < xa.length; i++) xa[i] = next();
  const ya = new Float32Array(w.batch * w.classes);
  for (let i = 0; i < w.batch; i++) ya[i * w.classes + Math.floor(next() * w.classes)] = 1;
  const x = tf.tensor(xa, [w.batch, ...w.input.shape]);
  const y = tf.tensor(ya, [w.batch, w.classes]);
  const losses = [];
  for (let i = 0; i < Number(stepsArg); i++) losses.push(await model.trainOnBatch(x, y));
  process.stdout.write(JSON.stringify({ threads: info.threads ?? 1, losses, weights: model.getWeights().map((t) => Array.from(t.dataSync())) }));
} else {
  const run = (threads) => {
    const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), name, stepsArg, threadsArg, '--child'],
      { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, TLX_WASM_THREADS: String(threads) } });
    if (out.status !== 0) throw new Error(`${threads} thread(s): ${out.stderr}`);
    return JSON.parse(out.stdout);
  };
  const [a, b] = [run(1), run(Number(threadsArg))];
  let differing = 0, count = 0, maxAbs = 0, diff2 = 0, norm2 = 0;
  a.weights.forEach((w, i) => w.forEach((v, j) => {
    const u = b.weights[i][j];
    count++;
    if (v !== u) differing++;
    maxAbs = Math.max(maxAbs, Math.abs(v - u));
    diff2 += (v - u) ** 2;
    norm2 += v * v;
  }));
  console.log(`${name}, ${stepsArg} Adam steps, 1 vs ${b.threads} thread(s)`);
  console.log(`losses 1 thread:  ${a.losses.map((l) => l.toPrecision(9)).join(' ')}`);
  console.log(`losses ${b.threads} threads: ${b.losses.map((l) => l.toPrecision(9)).join(' ')}`);
  console.log(`weights differing: ${differing} of ${count}; max |diff| ${maxAbs}; ||diff|| / ||w|| ${Math.sqrt(diff2 / norm2)}`);
}
