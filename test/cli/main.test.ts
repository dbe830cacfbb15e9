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
