#!/usr/bin/env node
// Real pretrained TensorFlow.js models for tests and the shipped photo experiment,
// from the npm package nsfwjs@4.4.0 (MIT), which ships them inside its tarball as
// UMD .min.js modules. `npm pack` fetches the tarball into a cache folder (the
// package is not installed: it is material, not a dependency); each model is then
// unwrapped once into a standard TensorFlow.js model folder (model.json + weight
// files), its quantized weights kept exactly as they are.
//
//   node scripts/fetch-pretrained.mjs [DIR]     (default: test-material/pretrained)
//
// DIR/<name>/model.json for mobilenet_v2 (LayersModel, uint8, 224x224x3),
// inception_v3 (LayersModel, uint8, 299x299x3) and mobilenet_v2_mid (GraphModel).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import vm from 'node:vm';

const PACKAGE = 'nsfwjs@4.4.0';
const MODELS = ['mobilenet_v2', 'inception_v3', 'mobilenet_v2_mid'];
const out = resolve(process.argv[2] ?? 'test-material/pretrained');

/** A UMD module's export, evaluated in an empty context (no require, no globals of ours). */
function umdExport(file) {
  const module = { exports: {} };
  vm.runInNewContext(readFileSync(file, 'utf8'), { module, exports: module.exports }, { filename: file, timeout: 10_000 });
  return module.exports;
}

if (MODELS.every((m) => existsSync(join(out, m, 'model.json')))) {
  console.log(`pretrained models already in ${out}`);
  process.exit(0);
}
const cache = join(out, '.npm-pack');
mkdirSync(cache, { recursive: true });
const tarball = join(cache, 'nsfwjs-4.4.0.tgz');
if (!existsSync(tarball)) execFileSync('npm', ['pack', PACKAGE, '--silent', '--pack-destination', cache], { stdio: ['ignore', 'ignore', 'inherit'] });
const unpacked = join(cache, 'unpacked');
rmSync(unpacked, { recursive: true, force: true });
mkdirSync(unpacked);
execFileSync('tar', ['xzf', tarball, '-C', unpacked]);
for (const name of MODELS) {
  const from = join(unpacked, 'package', 'dist', 'models', name);
  const part = join(out, `${name}.part`);
  rmSync(part, { recursive: true, force: true });
  mkdirSync(part);
  const model = umdExport(join(from, 'model.min.js'));
  for (const path of model.weightsManifest.flatMap((g) => g.paths)) {
    if (!/^[\w.-]+$/.test(path)) throw new Error(`${name}: unexpected weight path ${JSON.stringify(path)}`);
    writeFileSync(join(part, path), Buffer.from(umdExport(join(from, `${path}.min.js`)), 'base64'));
  }
  writeFileSync(join(part, 'model.json'), JSON.stringify(model));
  writeFileSync(join(part, 'SOURCE.txt'), `${PACKAGE} (MIT): dist/models/${name}, unwrapped by scripts/fetch-pretrained.mjs\n`);
  rmSync(join(out, name), { recursive: true, force: true });
  renameSync(part, join(out, name));
}
rmSync(unpacked, { recursive: true, force: true });
console.log(`pretrained models in ${out}: ${MODELS.join(', ')}`);
