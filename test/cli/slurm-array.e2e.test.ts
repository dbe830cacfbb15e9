import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrialRecord } from '../../src/results/trial-record.js';
import { type SlurmCluster, slurmUnavailable, startCluster } from '../support/slurm-cluster.js';

// The README's SLURM job array, taken from the README as it stands, submitted to a
// one-node cluster, merged with the README's command, and compared with one
// machine's run of the same file.

const REPO = process.cwd();
const BIN = join(REPO, 'dist/src/cli/bin.js');

/** A sweep sent through the recipe: its file, the `tlx run` options after it, and how its merged trials must match the whole run's. */
interface ArrayCase {
  readonly title: string;
  readonly name: string;
  readonly yaml: string;
  readonly overrides: readonly string[];
  readonly same: (merged: readonly TrialRecord[], whole: readonly TrialRecord[]) => void;
}

/** A record without what depends on the clock. */
const untimed = (record: TrialRecord): unknown =>
  JSON.parse(JSON.stringify(record, (key, value: unknown) => (/seconds|finishedAt/i.test(key) ? undefined : value)));
const byTrial = (rs: readonly TrialRecord[]) => Object.fromEntries(rs.map((r) => [r.trial, untimed(r)]));

/** Each trial once, with the same record, test scores bit for bit: what sharding promises. */
function sameTrials(merged: readonly TrialRecord[], whole: readonly TrialRecord[]): void {
  expect(merged.map((r) => r.trial).sort()).toEqual(whole.map((r) => r.trial).sort());
  const tests = (rs: readonly TrialRecord[]) => Object.fromEntries(rs.map((r) => [r.trial, [r.test, r.scratch?.test]]));
  expect(tests(merged)).toEqual(tests(whole));
  expect(byTrial(merged)).toEqual(byTrial(whole));
}

const GRID = `name: slurm-grid
seed: 5
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
  transfer.freeze: [all, none]
  train.learningRate: [0.3, 0.05]
`;

const TPE = `${GRID.slice(0, GRID.indexOf('grid:')).replace('name: slurm-grid', 'name: slurm-tpe')}search:
  strategy: tpe
  budget: { trials: 16 }
  tpe: { startup: 4 }
  space:
    transfer.freeze: { choice: [all, 2, none] }
    train.learningRate: { logUniform: [0.01, 1] }
`;

/**
 * An adaptive search over shards that share its journal: as many trials as its
 * budget, each once; TPE's later proposals depend on which shard finished first,
 * but its random start does not, so those configurations' trials equal one
 * machine's bit for bit.
 */
function sameSearch(merged: readonly TrialRecord[], whole: readonly TrialRecord[]): void {
  expect(merged).toHaveLength(whole.length);
  expect(new Set(merged.map((r) => r.trial)).size).toBe(merged.length);
  expect(merged.every((r) => r.status === 'ok')).toBe(true);
  const start = (rs: readonly TrialRecord[]) => rs.filter((r) => r.search!.suggestion < 4);
  expect(start(merged)).toHaveLength(8);
  expect(byTrial(start(merged))).toEqual(byTrial(start(whole)));
}

const CASES: readonly ArrayCase[] = [
  { title: 'an 8-trial grid', name: 'slurm-grid', yaml: GRID, overrides: [], same: sameTrials },
  { title: 'a TPE search of 16 trials sharing one journal', name: 'slurm-tpe', yaml: TPE, overrides: [], same: sameSearch },
];

/** The README's array script (the bash block with `#SBATCH --array`) and its merge line. */
function readmeRecipe(): { script: string; tasks: number; merge: string } {
  const blocks = [...readFileSync(join(REPO, 'README.md'), 'utf8').matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const script = blocks.find((b) => b.includes('#SBATCH --array='));
  if (script == null) throw new Error('README.md has no bash block with #SBATCH --array=');
  const range = /#SBATCH --array=0-(\d+)\n/.exec(script);
  const merge = /# afterwards, once, in the repository: (npx tlx merge .*)\n/.exec(script)?.[1];
  if (range == null || merge == null) throw new Error(`README's array script lost its --array=0-N or merge line:\n${script}`);
  return { script, tasks: Number(range[1]) + 1, merge };
}

const records = (file: string): TrialRecord[] =>
  readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as TrialRecord);
const runDirOf = (results: string, name: string) => {
  const runs = readdirSync(join(results, name));
  expect(runs).toHaveLength(1);
  return join(results, name, runs[0]!);
};
const shell = (command: string, env: NodeJS.ProcessEnv = process.env) => spawnSync('bash', ['-c', command], { cwd: REPO, env, encoding: 'utf8' });

const unavailable = slurmUnavailable();
if (unavailable != null) console.warn(`SKIPPED (the README's SLURM recipe): ${unavailable}`);
const label = unavailable == null ? '(with slurm-wlm and munge)' : `(SKIPPED: ${unavailable})`;

describe.skipIf(unavailable != null)(`the README's SLURM array script on a one-node cluster ${label}`, () => {
  let cluster: SlurmCluster | undefined;
  let dir = '';

  beforeAll(async () => {
    expect(existsSync(BIN), 'run npm run build first').toBe(true);
    dir = mkdtempSync(join(tmpdir(), 'tlx-slurm-'));
    cluster = await startCluster(join(dir, 'cluster'));
  }, 60_000);
  afterAll(async () => cluster?.stop(), 30_000);

  it.each(CASES)('$title: submitted as documented, merged as documented, equals one machine\'s run', async (c) => {
    const recipe = readmeRecipe();
    const file = join(dir, `${c.name}.yaml`);
    writeFileSync(file, c.yaml);
    const script = join(dir, 'tlx-array.sh');
    writeFileSync(script, recipe.script);

    const single = shell(`TLX_BACKEND=wasm node ${BIN} run ${file} --results ${dir}/whole --cache ${dir}/cache-whole --no-report ${c.overrides.join(' ')}`);
    expect(single.status, single.stderr).toBe(0);
    const whole = records(join(runDirOf(join(dir, 'whole'), c.name), 'trials.jsonl'));
    expect(whole.length, 'a case needs a trial for each task of the array').toBeGreaterThanOrEqual(recipe.tasks);
    // Trials that differ from each other, so equal records say something.
    expect(new Set(whole.map((r) => JSON.stringify(r.test))).size).toBeGreaterThan(1);

    const results = join(dir, 'results');
    const jobId = cluster!.submit({
      script,
      cwd: REPO,
      // The node may have fewer CPUs than the script asks for; output stays out of the repository.
      options: ['--cpus-per-task=1', `--output=${dir}/slurm-%A_%a.out`, '--export=ALL,TLX_BACKEND=wasm'],
      args: [file, '--results', results, '--cache', join(dir, 'cache-shards'), ...c.overrides],
    });
    const tasks = await cluster!.wait(jobId, 200_000);
    const outputs = readdirSync(dir).filter((f) => f.startsWith(`slurm-${jobId}_`)).map((f) => readFileSync(join(dir, f), 'utf8'));
    expect(tasks, outputs.join('\n')).toEqual(Array.from({ length: recipe.tasks }, (_, i) => ({ taskId: i, state: 'COMPLETED', exitCode: '0:0' })));
    expect(outputs.filter((o) => /\d+ trials run, 0 already done, 0 failed/.test(o))).toHaveLength(recipe.tasks);

    const documented = `${recipe.merge.replace('results/NAME/', `${results}/${c.name}/`)}`;
    expect(documented).not.toBe(recipe.merge);
    const merged = shell(documented);
    expect(merged.status, merged.stdout + merged.stderr).toBe(0);
    expect(merged.stdout).toContain(`${whole.length} trials merged from ${recipe.tasks} runs`);
    const runDir = runDirOf(results, c.name);
    const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8'));
    expect(manifest.mergedFrom.map((m: { shard: { index: number } }) => m.shard.index).sort((a: number, b: number) => a - b))
      .toEqual(Array.from({ length: recipe.tasks }, (_, i) => i));
    c.same(records(join(runDir, 'trials.jsonl')), whole);
  }, 300_000);
});
