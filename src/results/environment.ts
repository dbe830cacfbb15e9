import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendInfo } from '../engine/init-backend.js';
import { packagePath } from '../package-root.js';

/** Where a run ran: enough to explain its speed and to reproduce its numbers. */
export interface Environment {
  readonly tlx: string;
  readonly backend: BackendInfo & { readonly tfjsCore: string };
  readonly node: string;
  readonly os: string;
  readonly cpu: { readonly model: string; readonly cores: number };
  readonly memoryGiB: number;
  /** GPU names from nvidia-smi, when the backend uses one. */
  readonly gpus: readonly string[];
}

export function environment(backend: BackendInfo): Environment {
  return {
    tlx: packageVersion(packagePath('package.json')) ?? 'unknown',
    backend: { ...backend, tfjsCore: tf.version_core },
    node: process.version,
    os: `${platform()} ${release()} ${arch()}`,
    cpu: { model: cpus()[0]?.model.trim() ?? 'unknown', cores: cpus().length },
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    gpus: backend.gpu ? gpuNames() : [],
  };
}

/** The commit of the experiment file's repository, when it is in one. */
export function gitCommit(file: string): string | null {
  return command('git', ['-C', dirname(file), 'rev-parse', 'HEAD']);
}

function packageVersion(path: string): string | null {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

function gpuNames(): string[] {
  return (command('nvidia-smi', ['--query-gpu=name,memory.total', '--format=csv,noheader']) ?? '').split('\n').filter((l) => l.trim() !== '');
}

function command(file: string, args: string[]): string | null {
  try {
    return execFileSync(file, args, { stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).toString().trim();
  } catch {
    return null;
  }
}
