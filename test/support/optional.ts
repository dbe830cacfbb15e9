import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FASHION_MNIST_FILES, fashionMnistCandidates } from '../../src/data/images/fashion-mnist.js';

/** An optional system package a test needs: whether it is here, and a name that says so. */
export interface Need {
  readonly available: boolean;
  /** Appended to the test's name: what it uses, or why it is skipped. */
  readonly label: string;
}

/**
 * Tests that need what only an optional package brings (Debian data, Chromium,
 * PyTorch, clang) are skipped where it is absent, and say so in their name and
 * on stderr: a bare machine passes `npm test`, and nobody mistakes a skip for a pass.
 */
export function need(what: string, available: boolean, install: string): Need {
  if (!available) console.warn(`SKIPPED (${what} not found): ${install}; .ci/run installs it`);
  return { available, label: available ? `(with ${what})` : `(SKIPPED: ${what} not found; ${install})` };
}

/** Fashion-MNIST where tlx finds it without a download (Debian's package, the cache, $TLX_DATA_DIR). */
export function fashionMnist(env: Readonly<Record<string, string | undefined>> = process.env): Need & { dir?: string } {
  const dir = fashionMnistCandidates({ env }).find((d) => Object.keys(FASHION_MNIST_FILES).every((f) => existsSync(join(d, f))));
  return { ...need('Fashion-MNIST', dir != null, 'apt-get install dataset-fashion-mnist'), ...(dir ? { dir } : {}) };
}

/** Where scripts/fetch-pretrained.mjs put the real pretrained models (nsfwjs@4.4.0's). */
export const PRETRAINED_DIR = process.env.TLX_TEST_PRETRAINED ?? 'test-material/pretrained';

/** A real pretrained model (mobilenet_v2, inception_v3, mobilenet_v2_mid), when fetched. */
export function pretrainedModel(name: 'mobilenet_v2' | 'inception_v3' | 'mobilenet_v2_mid'): Need & { modelJson: string } {
  const modelJson = join(PRETRAINED_DIR, name, 'model.json');
  return { ...need(`the pretrained ${name}`, existsSync(modelJson), 'node scripts/fetch-pretrained.mjs (npm pack nsfwjs@4.4.0)'), modelJson };
}

/** Debian's tuxpaint-stamps-default: real photographs (PNG with alpha) in nested category folders. */
export const STAMPS_DIR = '/usr/share/tuxpaint/stamps';

export function photoStamps(): Need & { dir: string } {
  return { ...need(`real photographs in ${STAMPS_DIR}`, existsSync(join(STAMPS_DIR, 'animals')), 'apt-get install tuxpaint-stamps-default'), dir: STAMPS_DIR };
}
