import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

// A one-node SLURM cluster of Debian's slurm-wlm and munge, private to a test: its
// own munge key and socket, its own ports, state and logs under one folder, so it
// neither needs nor touches a system cluster and several can run side by side.

const DAEMONS = ['/usr/sbin/munged', '/usr/sbin/slurmctld', '/usr/sbin/slurmd'] as const;
const CLIENTS = ['sbatch', 'squeue', 'sinfo', 'scontrol', 'scancel'] as const;

/** One task of a finished job (the job itself when it is not an array). */
export interface TaskEnd {
  readonly taskId: number | null;
  readonly state: string;
  /** SLURM's `exit:signal`, e.g. `0:0`. */
  readonly exitCode: string;
}

export interface SlurmCluster {
  /** The environment SLURM's clients (and jobs submitted with it) need: SLURM_CONF. */
  readonly env: NodeJS.ProcessEnv;
  readonly cpus: number;
  /** sbatch `script` with sbatch `options` before it and `args` after it, from `cwd`; the job id. */
  submit(job: { script: string; args?: readonly string[]; options?: readonly string[]; cwd: string }): string;
  /** Waits until every task of the job has ended; how each ended. */
  wait(jobId: string, timeoutMs: number): Promise<TaskEnd[]>;
  /** The last lines of the daemons' logs, for a failure's message. */
  logs(): string;
  /** Cancels what still runs and stops the daemons; safe to call twice, or after a failed start. */
  stop(): Promise<void>;
}

/** Why a SLURM cluster cannot be started here, or null when it can. */
export function slurmUnavailable(): string | null {
  const missing = DAEMONS.filter((d) => !existsSync(d));
  const clients = CLIENTS.filter((c) => spawnSync('which', [c]).status !== 0);
  if (missing.length + clients.length > 0) {
    return `${[...missing, ...clients].join(', ')} not found; apt-get install slurm-wlm munge (.ci/run installs them)`;
  }
  // slurmd starts each job as its user, which takes root.
  if (process.getuid?.() !== 0) return `slurmd must run as root to start jobs, and this is uid ${process.getuid?.()}`;
  return null;
}

const terminal = /^(COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|PREEMPTED|BOOT_FAIL|DEADLINE)/;

/** Starts munged, slurmctld and slurmd with everything under `dir`, and waits until the node takes jobs. */
export async function startCluster(dir: string): Promise<SlurmCluster> {
  const paths = { munge: join(dir, 'munge'), state: join(dir, 'state'), spool: join(dir, 'spool'), log: join(dir, 'log') };
  for (const p of Object.values(paths)) mkdirSync(p, { recursive: true });
  // Clients reach munged's socket through its folder.
  chmodSync(paths.munge, 0o755);
  const key = join(paths.munge, 'munge.key');
  writeFileSync(key, randomBytes(1024), { mode: 0o400 });
  const socket = join(paths.munge, 'munge.socket');
  const node = hostname().split('.')[0]!;
  const cpus = nodeCpus();
  const [ctldPort, nodePort] = [await freePort(), await freePort()];
  const conf = join(dir, 'slurm.conf');
  writeFileSync(conf, slurmConf({ dir, paths, socket, node, cpus, ctldPort, nodePort }));
  const env: NodeJS.ProcessEnv = { ...withoutSlurm(process.env), SLURM_CONF: conf };

  const children: ChildProcess[] = [];
  // What a daemon prints before it opens its log (a bad slurm.conf) goes to <name>.out.
  const daemon = (bin: string, args: string[]) => {
    const out = openSync(join(paths.log, `${basename(bin)}.out`), 'a');
    const child = spawn(bin, args, { env, stdio: ['ignore', out, out] });
    closeSync(out);
    child.on('error', () => {});
    children.push(child);
  };
  const logFiles = [join(paths.munge, 'munged.log'), ...['slurmctld.log', 'slurmd.log', ...DAEMONS.map((d) => `${basename(d)}.out`)].map((f) => join(paths.log, f))];
  const logs = () => logFiles.filter(existsSync).map((f) => [f, readFileSync(f, 'utf8').trim()] as const).filter(([, text]) => text !== '')
    .map(([f, text]) => `== ${f}\n${text.split('\n').slice(-15).join('\n')}`).join('\n');
  const client = (cmd: string, args: string[], cwd = dir) => spawnSync(cmd, args, { env, cwd, encoding: 'utf8' });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // Jobs first: slurmd leaves running steps alive when it stops.
    if (children.length > 1) {
      client('scancel', ['--user', 'root', '--full']);
      for (let waited = 0; waited < 10_000 && client('squeue', ['-h', '-o', '%A']).stdout.trim() !== ''; waited += 200) await sleep(200);
    }
    for (const child of children.reverse()) await ended(child);
  };

  try {
    // -f: munged otherwise refuses to run with a key under a folder such as /tmp.
    daemon('/usr/sbin/munged', ['-F', '-f', `--key-file=${key}`, `--socket=${socket}`, `--pid-file=${join(paths.munge, 'munged.pid')}`,
      `--log-file=${logFiles[0]}`, `--seed-file=${join(paths.munge, 'munged.seed')}`]);
    await until(() => existsSync(socket), 10_000, 'munged made no socket');
    daemon('/usr/sbin/slurmctld', ['-D', '-f', conf]);
    await until(() => client('scontrol', ['ping']).stdout.includes('UP'), 20_000, 'slurmctld did not answer scontrol ping');
    daemon('/usr/sbin/slurmd', ['-D', '-f', conf, '-N', node]);
    await until(() => client('sinfo', ['-h', '-N', '-o', '%t']).stdout.trim() === 'idle', 30_000, `node ${node} did not become idle`);
  } catch (error) {
    const message = `${(error as Error).message}\n${logs()}`;
    await stop();
    throw new Error(message);
  }

  return {
    env,
    cpus,
    submit({ script, args = [], options = [], cwd }) {
      const r = client('sbatch', ['--parsable', ...options, script, ...args], cwd);
      if (r.status !== 0) throw new Error(`sbatch failed (${r.status}): ${r.stderr}\n${logs()}`);
      return r.stdout.trim().split(';')[0]!;
    },
    async wait(jobId, timeoutMs) {
      let tasks: TaskEnd[] = [];
      await until(() => {
        tasks = parseJobs(client('scontrol', ['show', 'job', '-o', jobId]).stdout);
        return tasks.length > 0 && tasks.every((t) => terminal.test(t.state));
      }, timeoutMs, `job ${jobId} did not end`, 250).catch((error: Error) => {
        throw new Error(`${error.message}: ${JSON.stringify(tasks)}\n${logs()}`);
      });
      return tasks.sort((a, b) => (a.taskId ?? -1) - (b.taskId ?? -1));
    },
    logs,
    stop,
  };
}

interface ConfParts {
  dir: string;
  paths: { state: string; spool: string; log: string };
  socket: string;
  node: string;
  cpus: number;
  ctldPort: number;
  nodePort: number;
}

// The least a one-node cluster needs: no accounting, no cgroups (a container may
// not delegate them), munge on this cluster's socket, addresses on the loopback so
// the host's name need not resolve.
function slurmConf(c: ConfParts): string {
  return `ClusterName=tlx${c.ctldPort}
SlurmctldHost=${c.node}(127.0.0.1)
SlurmctldPort=${c.ctldPort}
SlurmdPort=${c.nodePort}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=${c.socket}
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
ReturnToService=2
MailProg=/bin/true
StateSaveLocation=${c.paths.state}
SlurmdSpoolDir=${c.paths.spool}
SlurmctldPidFile=${join(c.dir, 'slurmctld.pid')}
SlurmdPidFile=${join(c.dir, 'slurmd.pid')}
SlurmctldLogFile=${join(c.paths.log, 'slurmctld.log')}
SlurmdLogFile=${join(c.paths.log, 'slurmd.log')}
NodeName=${c.node} NodeAddr=127.0.0.1 CPUs=${c.cpus} State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
`;
}

/** The CPUs slurmd finds on this machine (`slurmd -C`), so the node's line matches it. */
function nodeCpus(): number {
  const line = spawnSync('/usr/sbin/slurmd', ['-C'], { encoding: 'utf8' }).stdout;
  const cpus = Number(/CPUs=(\d+)/.exec(line)?.[1]);
  if (!(cpus > 0)) throw new Error(`slurmd -C printed no CPUs: ${line}`);
  return cpus;
}

/** A job inside a real SLURM allocation must not hand its SLURM_* variables to this cluster's jobs. */
function withoutSlurm(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('SLURM_')));
}

function parseJobs(text: string): TaskEnd[] {
  return text.split('\n').filter((l) => l.startsWith('JobId=')).map((line) => {
    const field = (name: string) => new RegExp(`(?:^| )${name}=(\\S+)`).exec(line)?.[1];
    const task = field('ArrayTaskId');
    return { taskId: task != null && /^\d+$/.test(task) ? Number(task) : null, state: field('JobState') ?? '?', exitCode: field('ExitCode') ?? '?' };
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until(ready: () => boolean, timeoutMs: number, what: string, everyMs = 100): Promise<void> {
  for (const start = Date.now(); !ready(); await sleep(everyMs)) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what} within ${timeoutMs / 1000} s`);
  }
}

async function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode != null || child.signalCode != null || child.pid == null) return;
  const exit = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exit;
  clearTimeout(timer);
}
