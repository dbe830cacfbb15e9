import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/config/load.js';
import { shardTrials } from '../../src/plan/shard.js';
import { planTrials } from '../../src/plan/trials.js';
import type { TrialRecord } from '../../src/results/trial-record.js';
import { rng, testSeed } from '../support/random.js';

// A 12-trial sweep through the built binary, run whole, as 3 concurrent shards,
// with injected worker failures, killed with SIGKILL, and stopped with Ctrl-C.

const BIN = join(process.cwd(), 'dist/src/cli/bin.js');
const SWEEP = `name: sweep
seed: 3
repeats: 2
source:
  pretrain:
    architecture: keras-mnist-cnn
    data: { dataset: mnist, classes: [0, 1, 2, 3, 4], perClass: 30 }
    train: { epochs: 1, batchSize: 32 }
  cut: flatten
target:
  data: { dataset: mnist, classes: [5, 6, 7, 8, 9], perClass: 8, validation: 0.1, test: 0.1 }
transfer:
  head:
    - dense: { units: 8 }
train: { epochs: 1, batchSize: 16 }
indicators: { transferOnly: { probe: centroid } }
grid:
  transfer.freeze: [all, 2, none]
  train.learningRate: [1.0, 0.5]
run: { concurrency: 1 }
`;

const dir = mkdtempSync(join(tmpdir(), 'tlx-sweep-'));
const seed = testSeed();

interface Exit { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

function start(args: string[], env: Record<string, string> = {}): { child: ChildProcess; exit: Promise<Exit> } {
  const child = spawn('node', [BIN, ...args], { cwd: dir, env: { ...process.env, TLX_BACKEND: 'wasm', ...env } });
  let [stdout, stderr] = ['', ''];
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, exit };
}

const tlx = async (args: string[], env: Record<string, string> = {}) => start(args, env).exit;
const text = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '');
const records = (runDir: string): TrialRecord[] => text(join(runDir, 'trials.jsonl')).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as TrialRecord);
const runDirOf = (results: string) => {
  const base = join(dir, results, 'sweep');
  return join(base, readdirSync(base).find((d) => !d.includes('.replaced-'))!);
};

/** A record without what depends on the clock. */
function untimed(record: TrialRecord): unknown {
  return JSON.parse(JSON.stringify(record, (key, value: unknown) => (/seconds|finishedAt/i.test(key) ? undefined : value)));
}
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const byTrial = (rs: TrialRecord[]) => Object.fromEntries(rs.map((r) => [r.trial, untimed(r)]));

describe(`a 12-trial sweep (seed ${seed})`, () => {
  let whole: TrialRecord[];

  beforeAll(async () => {
    expect(existsSync(BIN), 'run npm run build first').toBe(true);
    writeFileSync(join(dir, 'sweep.yaml'), SWEEP);
    const result = await tlx(['run', 'sweep.yaml', '--results', 'whole', '--cache', 'cache-whole', '--concurrency', '2']);
    expect(result.code, result.stderr).toBe(0);
    whole = records(runDirOf('whole'));
  }, 300_000);

  it('run whole: each of the 12 trials once, ok', () => {
    expect(whole).toHaveLength(12);
    expect(new Set(whole.map((r) => r.trial)).size).toBe(12);
    expect(whole.every((r) => r.status === 'ok')).toBe(true);
  });

  it('as 3 shards at once (sharing one cache) then merged: the same trials as run whole', async () => {
    const shards = await Promise.all([0, 1, 2].map((i) => tlx(['run', 'sweep.yaml', '--shard', `${i}/3`, '--results', 'sharded', '--cache', 'cache-shards'])));
    for (const s of shards) expect(s.code, s.stderr).toBe(0);
    const runDir = runDirOf('sharded');
    const sizes = [0, 1, 2].map((i) => records(join(runDir, `shard-${i}-of-3`)).length);
    expect(sizes).toEqual([4, 4, 4]);
    const merged = await tlx(['merge', ...[0, 1, 2].map((i) => join('sharded', 'sweep', runDir.split('/').at(-1)!, `shard-${i}-of-3`))]);
    expect(merged.code, merged.stdout + merged.stderr).toBe(0);
    expect(merged.stdout).toContain('12 trials merged from 3 runs');
    expect(byTrial(records(runDir))).toEqual(byTrial(whole));
    const manifest = JSON.parse(text(join(runDir, 'manifest.json')));
    expect(manifest).toMatchObject({ status: 'finished', trials: 12 });
    expect(manifest.mergedFrom.map((m: { shard: { index: number } }) => m.shard.index).sort()).toEqual([0, 1, 2]);
    // The pretrained source was trained once, by whichever shard came first; the others waited and read it.
    expect(shards.filter((s) => /pretrain source \S+: epoch 1\/1/.test(s.stderr))).toHaveLength(1);
  }, 300_000);

  it('merging runs of different configurations is refused', async () => {
    // A copy of the whole run that claims another configuration.
    const copy = join(dir, 'other', 'sweep', 'run');
    cpSync(runDirOf('whole'), copy, { recursive: true });
    const manifest = JSON.parse(text(join(copy, 'manifest.json')));
    writeFileSync(join(copy, 'manifest.json'), JSON.stringify({ ...manifest, configHash: `0${manifest.configHash.slice(1)}` }));
    const refused = await tlx(['merge', runDirOf('whole'), copy, '--out', join(dir, 'nowhere')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/is a run of a different configuration/);
    expect(existsSync(join(dir, 'nowhere', 'trials.jsonl'))).toBe(false);
  });

  it('a worker that throws or is killed fails only its trial; the rerun retries exactly those', async () => {
    const args = ['run', 'sweep.yaml', '--shard', '0/3', '--results', 'faults', '--cache', 'cache-whole', '--concurrency', '2'];
    const shard = shardTrials(planTrials(loadExperiment(join(dir, 'sweep.yaml'), dir).raw), { index: 0, count: 3 }).map((t) => t.id);
    const [thrown, killed] = shard as [string, string];
    const faults = await tlx(args, { TLX_INJECT_FAULT: `throw:${thrown},kill:${killed}` });
    expect(faults.code).toBe(1);
    expect(faults.stdout).toContain('4 trials run, 0 already done, 2 failed');
    const runDir = join(runDirOf('faults'), 'shard-0-of-3');
    const afterFaults = records(runDir);
    // Each failure keeps its cause's code across the process boundary.
    expect(afterFaults.find((r) => r.trial === thrown)).toMatchObject({ status: 'failed', error: { code: 'E_INJECTED', message: expect.stringMatching(/injected fault/) } });
    expect(afterFaults.find((r) => r.trial === killed)).toMatchObject({ status: 'failed', error: { code: 'E_WORKER_EXIT', message: expect.stringMatching(/killed by SIGKILL/) } });
    expect(afterFaults.filter((r) => r.status === 'ok')).toHaveLength(2);
    const rerun = await tlx(args);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain('2 trials run, 2 already done, 0 failed');
    const ok = records(runDir).filter((r) => r.status === 'ok');
    expect(ok).toHaveLength(4);
    expect(byTrial(ok)).toEqual(byTrial(whole.filter((r) => shard.includes(r.trial))));
  }, 300_000);

  it('kill -9 of the runner at random moments mid-run: finished trials kept once, the rest run, none twice', async () => {
    const next = rng(seed);
    const args = ['run', 'sweep.yaml', '--results', 'killed', '--cache', 'cache-whole'];
    const trialsFile = () => (existsSync(join(dir, 'killed', 'sweep')) ? join(runDirOf('killed'), 'trials.jsonl') : '');
    const done = () => text(trialsFile()).split('\n').length - 1;
    let kept = '';
    // Each kill waits for a random number of further finished trials (and a random
    // moment after it), so it lands while trials are being run and written.
    const landed: number[] = [];
    for (let k = 0; k < 3; k++) {
      const { child, exit } = start(args);
      const wanted = done() + 1 + Math.floor(next() * 3);
      let finished = false;
      void exit.then(() => (finished = true));
      while (!finished && done() < wanted) await sleep(20);
      await sleep(next() * 400);
      child.kill('SIGKILL');
      const { signal } = await exit;
      const now = text(trialsFile());
      expect(now.startsWith(kept), `kill ${k}: earlier lines changed`).toBe(true);
      kept = now.slice(0, now.lastIndexOf('\n') + 1);
      if (signal === 'SIGKILL') landed.push(done());
    }
    // At least one kill hit a run with trials finished before it and trials still to run.
    expect(landed.some((n) => n > 0 && n < 12), `trials done at each kill: ${landed.join(', ')}`).toBe(true);
    const last = await tlx(args);
    expect(last.code, last.stderr).toBe(0);
    const resumed = last.stdout.match(/(\d+) trials run, (\d+) already done, 0 failed/);
    expect(Number(resumed![1])).toBeGreaterThan(0);
    expect(Number(resumed![2])).toBeGreaterThan(0);
    const final = text(trialsFile());
    expect(final.startsWith(kept)).toBe(true);
    const rs = records(runDirOf('killed'));
    expect(rs.map((r) => r.trial).sort()).toEqual(whole.map((r) => r.trial).sort());
    expect(byTrial(rs)).toEqual(byTrial(whole));
  }, 300_000);

  it('a run directory another live process holds is refused, naming that process', async () => {
    const runDir = join(runDirOf('whole'));
    const before = text(join(runDir, 'trials.jsonl'));
    writeFileSync(join(runDir, 'run.lock'), JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString(), purpose: 'a test' }));
    const locked = await tlx(['run', 'sweep.yaml', '--results', 'whole', '--cache', 'cache-whole']);
    rmSync(join(runDir, 'run.lock'));
    expect(locked.code).toBe(2);
    expect(locked.stderr).toContain(`is being written by process ${process.pid} on ${hostname()}`);
    expect(text(join(runDir, 'trials.jsonl'))).toBe(before);
  });

  it('the workers of a runner killed with SIGKILL stop within a batch, not at the end of their task', async () => {
    const { child, exit } = start(['run', 'sweep.yaml', '--set', 'train.epochs=500', '--results', 'orphans', '--cache', 'cache-whole', '--no-report']);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    while (!/epoch 2\/500/.test(stderr)) await sleep(50);
    const workers = spawnSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)]).stdout.toString().trim().split('\n').filter((l) => l !== '').map(Number);
    expect(workers.length).toBeGreaterThan(0);
    child.kill('SIGKILL');
    await exit;
    for (let waited = 0; workers.some(alive) && waited < 3000; waited += 50) await sleep(50);
    expect(workers.filter(alive)).toEqual([]);
  }, 120_000);

  it('Ctrl-C: running trials finish, nothing new starts, the rerun finishes', async () => {
    const args = ['run', 'sweep.yaml', '--shard', '1/3', '--results', 'stopped', '--cache', 'cache-whole'];
    const { child, exit } = start(args);
    const shardDir = () => join(runDirOf('stopped'), 'shard-1-of-3');
    const trialsPath = () => (existsSync(join(dir, 'stopped', 'sweep')) ? join(shardDir(), 'trials.jsonl') : '');
    while (text(trialsPath()).length === 0) await sleep(50);
    child.kill('SIGINT');
    const stopped = await exit;
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toContain('interrupted: run the same command again');
    const runDir = shardDir();
    expect(JSON.parse(text(join(runDir, 'manifest.json'))).status).toBe('interrupted');
    expect(existsSync(join(runDir, 'run.lock'))).toBe(false);
    const done = records(runDir);
    expect(done.length).toBeGreaterThan(0);
    expect(done.length).toBeLessThan(4);
    expect(done.every((r) => r.status === 'ok')).toBe(true);

    const again = start(args);
    while (records(runDir).length === done.length) await sleep(100);
    again.child.kill('SIGINT');
    await sleep(50);
    again.child.kill('SIGINT');
    expect((await again.exit).code).toBe(130);
    expect(existsSync(join(runDir, 'run.lock'))).toBe(false);

    const rest = await tlx(args);
    expect(rest.code, rest.stderr).toBe(0);
    const finished = records(runDir);
    expect(finished).toHaveLength(4);
    expect(byTrial(finished)).toEqual(byTrial(whole.filter((r) => finished.some((f) => f.trial === r.trial))));
  }, 300_000);

  it('--fresh moves the previous results aside and runs again', async () => {
    const fresh = await tlx(['run', 'sweep.yaml', '--results', 'sharded', '--cache', 'cache-shards', '--shard', '1/3', '--fresh']);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stderr).toMatch(/--fresh: the previous run was moved to .*shard-1-of-3\.replaced-/);
    expect(fresh.stdout).toContain('4 trials run, 0 already done');
  }, 300_000);
});
