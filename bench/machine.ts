/** What a result was measured on, so numbers from different days can be compared honestly. */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  totalMemoryGB: number;
  platform: string;
  node: string;
  tfjsCore: string;
  tfjsLayers: string;
  commit: string;
  /** Uncommitted changes under packages/ or bench/ when the bench ran. */
  dirty: boolean;
  /** 1-minute load average when the bench started: above ~1 on 2 cores, timings are noisy. */
  loadAverage: number;
}

const root = new URL('..', import.meta.url);

export function machineInfo(): MachineInfo {
  const fromKerasLike = createRequire(new URL('packages/keras-like/package.json', root));
  const fromRoot = createRequire(new URL('package.json', root));
  const version = (require: NodeJS.Require, name: string) => {
    try {
      return (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      return 'not installed';
    }
  };
  return {
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    totalMemoryGB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.arch()}`,
    node: process.version,
    tfjsCore: version(fromKerasLike, '@tensorflow/tfjs-core'),
    tfjsLayers: version(fromRoot, '@tensorflow/tfjs-layers'),
    commit: git(['rev-parse', '--short', 'HEAD']),
    dirty: git(['status', '--porcelain', '--', 'packages', 'bench']) !== '',
    loadAverage: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}

/** Whether `@tensorflow/tfjs-node` can be resolved from keras-like (it is an optional peer). */
export function tensorflowInstalled(): boolean {
  try {
    createRequire(new URL('packages/keras-like/package.json', root)).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}
