import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JournalLine } from '../../src/results/search-journal.js';
import type { TrialRecord } from '../../src/results/trial-record.js';
import { testSeed } from '../support/random.js';

// Searches through the built binary: a random search extended, a TPE search killed
// with SIGKILL and resumed, ASHA's promotions, and three processes sharing one journal.

const BIN = join(process.cwd(), 'dist/src/cli/bin.js');
const seed = testSeed();
const experiment = (search: string, epochs = 2) => `name: search
seed: ${seed % 1000}
repeats: 2
source:
  pretrain:
    architecture: keras-mnist-cnn
    data: { dataset: mnist, classes: [0, 1, 2, 3, 4], perClass: 30 }
    train: { epochs: 1, batchSize: 32 }
  cut: flatten
target:
  data: { dataset: mnist, classes: [5, 6, 7, 8, 9], perClass: 8, validation: 0.2, test: 0.1 }
transfer:
  head:
    - dense: { units: 8 }
train: { epochs: ${epochs}, batchSize: 16 }
indicators: { transferOnly: { probe: centroid }, scratch: false }
export: none
search:
${search}
  space:
    train.learningRate: { logUniform: [0.0003, 0.3] }
    transfer.freeze: { choice: [all, 2, none] }
    transfer.head: { choice: [[{ dense: { units: 8 } }], [{ dense: { units: 16 } }, { dropout: { rate: 0.25 } }]] }
run: { concurrency: 1 }
`;

const dir = mkdtempSync(join(tmpdir(), 'tlx-search-'));
interface Exit { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }
function start(args: string[]): { child: ChildProcess; exit: Promise<Exit> } {
  const options = args[0] === 'run' ? ['--no-report', '--cache', 'cache'] : [];
  const child = spawn('node', [BIN, ...args, ...options], { cwd: dir, env: { ...process.env, TLX_BACKEND: 'wasm' } });
  let [stdout, stderr] = ['', ''];
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, exit: new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }))) };
}
const tlx = async (...args: string[]) => {
  const result = await start(args).exit;
  expect(result.code, result.stderr).toBe(0);
  return result;
};
const lines = <T>(path: string): T[] => (existsSync(path) ? readFileSync(path, 'utf8') : '').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as T);
const runDirOf = (results: string) => {
  const base = join(dir, results, 'search');
  return join(base, readdirSync(base).find((d) => !d.includes('.replaced-'))!);
};
const journal = (runDir: string) => lines<JournalLine>(join(runDir, readdirSync(runDir).find((f) => /^search-.*\.jsonl$/.test(f))!));
const suggestions = (runDir: string) => journal(runDir).flatMap((l) => (l.kind === 'suggest' ? [{ point: l.point, epochs: l.epochs, rung: l.rung, continues: l.continues }] : []));
const outcomes = (runDir: string) => journal(runDir).flatMap((l) => (l.kind === 'outcome' ? [l] : []));
const records = (runDir: string) => lines<TrialRecord>(join(runDir, 'trials.jsonl'));
/** A record without what depends on the clock or on which process ran it. */
const untimed = (r: TrialRecord) => JSON.parse(JSON.stringify(r, (key, value: unknown) => (/seconds|finishedAt/i.test(key) ? undefined : value))) as unknown;
const byTrial = (rs: readonly TrialRecord[]) => Object.fromEntries(rs.map((r) => [`${r.trial}@${r.search?.epochs}`, untimed(r)]));
const write = (name: string, text: string) => writeFileSync(join(dir, name), text);

describe(`searches (seed ${seed})`, () => {
  beforeAll(() => {
    expect(existsSync(BIN), 'run npm run build first').toBe(true);
    write('random.yaml', experiment('  strategy: random\n  budget: { trials: 4 }'));
    write('tpe.yaml', experiment('  strategy: tpe\n  budget: { trials: 8 }\n  tpe: { startup: 2 }'));
    write('asha.yaml', experiment('  strategy: asha\n  budget: { epochs: 28 }\n  asha: { minEpochs: 1, reduction: 2 }', 4));
  });

  it('random: a rerun runs nothing; a larger budget continues the journal, reusing every trial, and ends as a run given it from the start', async () => {
    await tlx('run', 'random.yaml', '--results', 'small');
    const first = suggestions(runDirOf('small'));
    expect(first).toHaveLength(2);
    expect(records(runDirOf('small'))).toHaveLength(4);
    const again = await tlx('run', 'random.yaml', '--results', 'small');
    expect(again.stdout).toMatch(/0 trials run/);
    const extended = await tlx('run', 'random.yaml', '--results', 'small', '--set', 'search.budget.trials=8');
    expect(extended.stdout).toMatch(/4 trials run/);
    const grown = suggestions(runDirOf('small'));
    expect(grown.slice(0, 2)).toEqual(first);
    expect(new Set(grown.map((s) => JSON.stringify(s.point))).size).toBe(4);
    await tlx('run', 'random.yaml', '--results', 'large', '--set', 'search.budget.trials=8');
    expect(suggestions(runDirOf('large'))).toEqual(grown);
    expect(byTrial(records(runDirOf('large')))).toEqual(byTrial(records(runDirOf('small'))));
    expect(records(runDirOf('small'))).toHaveLength(8);
  }, 300_000);

  it('a grid given more values continues the same run: only the new points\' trials run', async () => {
    const grid = experiment('  strategy: random\n  budget: { trials: 2 }').replace(/search:[\s\S]*?run:/, 'grid:\n  train.learningRate: [0.1, 0.01]\nrun:');
    write('grid.yaml', grid);
    const first = await tlx('run', 'grid.yaml', '--results', 'grid');
    expect(first.stdout).toMatch(/4 trials run, 0 already done/);
    const before = records(runDirOf('grid'));
    const more = await tlx('run', 'grid.yaml', '--results', 'grid', '--set', 'grid.train.learningRate=[0.1, 0.01, 0.3]');
    expect(more.stdout).toMatch(/2 trials run, 4 already done/);
    expect(records(runDirOf('grid')).slice(0, 4)).toEqual(before);
    const raised = await tlx('run', 'grid.yaml', '--results', 'grid', '--set', 'grid.train.learningRate=[0.1, 0.01, 0.3]', '--set', 'repeats=3');
    expect(raised.stdout).toMatch(/3 trials run, 6 already done/);
  }, 300_000);

  it('tlx plan lists the search\'s space, budget and the suggestions known before it runs: TPE\'s random start', async () => {
    const plan = await tlx('plan', 'tpe.yaml');
    expect(plan.stdout).toMatch(/search: tpe over 3 parameters, budget 8 trials/);
    expect(plan.stdout).toMatch(/then TPE's proposals, which depend on the results \(after 2 random configurations\)/);
    await tlx('run', 'tpe.yaml', '--results', 'planned', '--set', 'search.budget.trials=4');
    const firstTwo = suggestions(runDirOf('planned')).map((x) => JSON.stringify(x.point['train.learningRate']));
    for (const lr of firstTwo) expect(plan.stdout).toContain(lr);
  }, 300_000);

  it('tpe killed with SIGKILL in the middle of a configuration resumes to the same search as one never killed, each trial once', async () => {
    await tlx('run', 'tpe.yaml', '--results', 'whole');
    const whole = runDirOf('whole');
    expect(outcomes(whole).every((o) => o.status === 'ok')).toBe(true);
    // Killed once one repeat of the third configuration (a TPE proposal, after the 2 random ones) is recorded.
    const killed = start(['run', 'tpe.yaml', '--results', 'killed']);
    const path = () => join(runDirOf('killed'), 'trials.jsonl');
    for (let i = 0; i < 1200 && !(existsSync(join(dir, 'killed')) && lines(path()).length >= 5); i++) await sleep(50);
    killed.child.kill('SIGKILL');
    expect((await killed.exit).signal).toBe('SIGKILL');
    expect(lines(path()).length).toBeLessThan(8);
    await tlx('run', 'tpe.yaml', '--results', 'killed');
    const resumed = runDirOf('killed');
    expect(suggestions(resumed)).toEqual(suggestions(whole));
    expect(outcomes(resumed).map((o) => [o.index, o.score])).toEqual(outcomes(whole).map((o) => [o.index, o.score]));
    expect(records(resumed)).toHaveLength(8);
    expect(byTrial(records(resumed))).toEqual(byTrial(records(whole)));
  }, 300_000);

  it('asha: the best of each rung continue from their checkpoints, within the epoch budget', async () => {
    await tlx('run', 'asha.yaml', '--results', 'asha');
    const runDir = runDirOf('asha');
    const log = records(runDir);
    const s = suggestions(runDir);
    const scores = new Map(outcomes(runDir).map((o) => [o.index, o.score]));
    expect(log.reduce((n, r) => n + r.search!.addedEpochs, 0)).toBeLessThanOrEqual(28);
    const promoted = s.flatMap((x, i) => (x.continues == null ? [] : [{ x, i }]));
    expect(promoted.length).toBeGreaterThan(0);
    for (const { x, i } of promoted) {
      const from = s[x.continues!]!;
      expect(x.point).toEqual(from.point);
      expect(x.rung).toBe(from.rung! + 1);
      // In the top half of the configurations its rung had finished when it was continued.
      const rivals = s.slice(0, i).flatMap((y, j) => (y.rung === from.rung && scores.has(j) ? [scores.get(j)!] : []));
      expect(rivals.filter((v) => v > scores.get(x.continues!)!).length).toBeLessThan(rivals.length / 2);
      // Continued, not retrained: each repeat's curve begins with its curve at the rung below, point for point.
      for (const r of log.filter((l) => l.search!.suggestion === i)) {
        const before = log.find((l) => l.trial === r.trial && l.search!.suggestion === x.continues)!;
        expect(r.curve!.slice(0, before.curve!.length).map((p) => p.val)).toEqual(before.curve!.map((p) => p.val));
        expect(r.curve!.length).toBe(x.epochs);
        expect(existsSync(join(runDir, 'checkpoints', `${r.trial}-e${from.epochs}`))).toBe(false);
      }
    }
  }, 300_000);

  it('three processes, each a shard, share one ASHA journal: every configuration run once, nothing left running', async () => {
    const runs = await Promise.all([0, 1, 2].map((i) => start(['run', 'asha.yaml', '--results', 'shared', '--shard', `${i}/3`]).exit));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const runDir = runDirOf('shared');
    const s = journal(runDir).filter((l) => l.kind === 'suggest');
    expect(new Set(s.map((l) => l.index)).size).toBe(s.length);
    expect(outcomes(runDir).map((o) => o.index).sort((a, b) => a - b)).toEqual(s.map((l) => l.index));
    const all = [0, 1, 2].flatMap((i) => records(join(runDir, `shard-${i}-of-3`)));
    const keys = all.map((r) => `${r.trial}@${r.search!.epochs}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(all.length).toBe(s.length * 2);
    expect(all.reduce((n, r) => n + r.search!.addedEpochs, 0)).toBeLessThanOrEqual(28);
    expect(new Set(s.map((l) => (l as { owner: string }).owner)).size).toBeGreaterThan(1);
  }, 300_000);
});
