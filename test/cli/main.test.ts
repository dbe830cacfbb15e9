import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import { importOptional } from '../../src/engine/optional-module.js';

function context(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CommandContext = { out: (t) => out.push(t), err: (t) => err.push(t), env, cwd: process.cwd() };
  return { ctx, out: () => out.join(''), err: () => err.join('') };
}

const haveTfjsNode = (await importOptional('@tensorflow/tfjs-node')).status === 'loaded';

describe('tlx CLI (commands called as functions)', () => {
  it.each([
    { argv: ['bnch'], code: 2, err: "unknown command 'bnch'" },
    { argv: ['bench', '--steps', '0'], code: 2, err: "--steps must be a positive integer: '0'" },
    { argv: ['bench', '--workload', 'resnet'], code: 2, err: "--workload: unknown workload 'resnet'" },
    { argv: ['bench', '--frobnicate'], code: 2, err: "Unknown option '--frobnicate'" },
    { argv: ['bench', '--backend', 'gpu'], code: 2, err: "--backend: unknown backend 'gpu'" },
    // An Object property name is no built-in architecture: a missing file, not a crash.
    { argv: ['inspect', 'constructor'], code: 2, err: 'constructor: no such file' },
  ])('$argv.0 $argv.1 $argv.2 -> exit $code', async ({ argv, code, err }) => {
    const c = context();
    expect(await main(argv, c.ctx)).toBe(code);
    expect(c.err()).toContain(err);
    expect(c.err()).not.toMatch(/\n\s+at /); // no stack trace
  });

  it.runIf(!haveTfjsNode)('an unavailable backend from TLX_BACKEND exits 2 with the install command', async () => {
    const c = context({ TLX_BACKEND: 'tensorflow' });
    expect(await main(['bench', '--no-pytorch'], c.ctx)).toBe(2);
    expect(c.err()).toContain('npm install @tensorflow/tfjs-node');
  });

  it('--debug shows the stack of a usage error', async () => {
    const c = context();
    expect(await main(['bench', '--steps', 'x', '--debug'], c.ctx)).toBe(2);
    expect(c.err()).toMatch(/\n\s+at /);
  });

  it('help', async () => {
    const c = context();
    expect(await main(['bench', '--help'], c.ctx)).toBe(0);
    expect(c.out()).toContain('Usage: tlx bench');
    expect(await main(['--help'], c.ctx)).toBe(0);
    expect(c.out()).toContain('Commands:');
  });
});

describe('tlx validate and plan', () => {
  it('validate counts the trials of the shipped experiment', async () => {
    const c = context();
    expect(await main(['validate', 'experiments/mnist-digits.yaml'], c.ctx)).toBe(0);
    expect(c.out()).toContain('valid; 18 trials (6 grid points x 3 repeats)');
  });

  it('plan lists trials and shared tasks', async () => {
    const c = context();
    expect(await main(['plan', 'experiments/mnist-digits.yaml'], c.ctx)).toBe(0);
    expect(c.out()).toContain('18 fine-tuning trials; shared: 1 pretrained source, 6 scratch baselines, 3 transfer-only probes');
  });

  it('a bad file prints file:line:col for every problem and exits 2', async () => {
    const { mkdtempSync, writeFileSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'tlx-cli-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, readFileSync('experiments/mnist-digits.yaml', 'utf8').replace('cut: flatten', 'cut: flaten').replace('epochs: 5', 'epoch: 5'));
    const c = context();
    expect(await main(['validate', file], c.ctx)).toBe(2);
    expect(c.err()).toMatch(/bad\.yaml:\d+:\d+: train\.epoch: unknown field 'epoch'\n {2}did you mean 'epochs'\?/);
    expect(c.err()).not.toMatch(/\n\s+at /);
  });
});

describe('--set on run, validate and plan', () => {
  const MNIST = 'experiments/mnist-digits.yaml';

  it.each([
    { argv: ['validate', MNIST, '--set', 'repeats=1', '--set', 'grid.transfer.freeze=[all]'], out: 'valid; 2 trials (2 grid points x 1 repeat)' },
    { argv: ['plan', MNIST, '--set=grid={}', '--set', 'repeats=2'], out: '2 fine-tuning trials; shared: 1 pretrained source, 2 scratch baselines, 2 transfer-only probes' },
    { argv: ['validate', MNIST, '--set=grid={}', '--set', 'search={strategy: tpe, budget: {trials: 12}, space: {train.learningRate: {logUniform: [0.001, 0.1]}}}'],
      out: 'valid; a search: tpe over 1 parameter, budget 12 trials (4 configurations x 3 repeats), seed 1337' },
  ])('$argv.0 $argv.2 $argv.3 -> exit 0', async ({ argv, out }) => {
    const c = context();
    expect(await main(argv, c.ctx)).toBe(0);
    expect(c.out()).toContain(out);
  });

  it.each(['validate', 'plan', 'run'])('%s: a bad override exits 2 with the override named, no stack, nothing written', async (command) => {
    const { mkdtempSync, existsSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const results = join(mkdtempSync(join(tmpdir(), 'tlx-set-')), 'results');
    const c = context();
    const argv = [command, MNIST, '--set', 'train.epochs=abc', '--set', 'trian.epochs=1', ...(command === 'run' ? ['--results', results] : [])];
    expect(await main(argv, c.ctx)).toBe(2);
    expect(c.err()).toBe([
      "--set trian.epochs=1: trian.epochs: unknown field 'trian' (not a field of the file)",
      "  did you mean 'train'?",
      "--set train.epochs=abc: train.epochs: expected an integer (got 'abc')",
      'tlx: 2 problems in the --set overrides; nothing was run',
      '',
    ].join('\n'));
    expect(existsSync(results)).toBe(false);
  });

  it('--help lists --set', async () => {
    for (const command of ['run', 'validate', 'plan']) {
      const c = context();
      expect(await main([command, '--help'], c.ctx)).toBe(0);
      expect(c.out()).toContain('--set PATH=VALUE');
    }
  });
});
