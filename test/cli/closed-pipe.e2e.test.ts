import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(process.cwd(), 'dist/src/cli/bin.js');

/** Runs the built binary, reading only its first chunk of output, then closing the pipe (as `| head -1` does). */
function firstChunkOnly(args: string[]): Promise<{ code: number | null; stderr: string; first: string }> {
  return new Promise((resolve) => {
    const child = spawn('node', [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let first = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.stdout.once('data', (d: Buffer) => {
      first = d.toString();
      child.stdout.destroy();
    });
    child.on('close', (code) => resolve({ code, stderr, first }));
  });
}

describe('a reader that closes the pipe early', () => {
  it('ends tlx quietly: exit 0, no stack trace', async () => {
    expect(existsSync(BIN), 'run npm run build first').toBe(true);
    // Planning the Fashion sweep prints a long table in several writes.
    const { code, stderr, first } = await firstChunkOnly(['plan', 'experiments/fashion-freeze-sweep.yaml']);
    expect(first).toMatch(/^trial /);
    expect(stderr).not.toMatch(/EPIPE|Unhandled|at /);
    expect(code).toBe(0);
  });
});
