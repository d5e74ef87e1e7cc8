import type { Clock } from '../../src/clock.js';
import { commentOnPullRequest, type GitHubContext } from '../../src/pr-comment-client.js';
import { runPost } from '../../src/post.js';
import { run, type ActionIO, type RunOptions } from '../../src/run.js';
import { emulatorEnv } from './aws-env.js';
import { recordingIO } from './recording-io.js';

export interface FlowOptions {
  clock: Clock;
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  requestTimeoutMs?: number;
  /** The run's randomness (jitter); a constant by default, so a single run is reproducible. */
  random?: () => number;
  /** The event's context for `pr-comment: true`: the real client writes to its apiUrl (a GitHub stand-in). */
  github?: GitHubContext;
  /** Sees the action's IO calls before they are recorded: to check when an annotation came. */
  wrapIO?: (io: ActionIO) => ActionIO;
}

/** Runs the action in-process with the real SDK against the emulator at `url`. */
export async function runFlow(url: string, inputs: Record<string, string>, options: FlowOptions) {
  return withFlowEnv(url, options.env, () => runInProcess(inputs, options));
}

/**
 * Several runs at once, each with its own LambdaApi, as separate processes of a matrix would be.
 * The environment is set once around all of them: a run restoring it would pull it from under the others.
 */
export async function runFlows(url: string, runs: { inputs: Record<string, string>; options: FlowOptions; startAfterMs?: number }[], env?: Record<string, string | undefined>) {
  return withFlowEnv(url, env, () =>
    Promise.all(
      runs.map(async ({ inputs, options, startAfterMs = 0 }) => {
        await options.clock.sleep(startAfterMs);
        const result = await runInProcess(inputs, options);
        return { ...result, endedAt: options.clock.now() };
      }),
    ),
  );
}

/** Runs the post step in-process, with the state a main step saved (`record.state` of its run). */
export async function runPostFlow(url: string, inputs: Record<string, string>, state: Record<string, string>, options: FlowOptions) {
  return withFlowEnv(url, options.env, () => runInProcess(inputs, options, state, runPost));
}

async function runInProcess(inputs: Record<string, string>, options: FlowOptions, state: Record<string, string> = {}, step: (io: ActionIO, options: RunOptions) => Promise<boolean> = run) {
  const { io, record } = recordingIO(inputs, options.clock.now, state);
  const signal = options.signal ?? new AbortController().signal;
  const runOptions: RunOptions = {
    env: process.env,
    clock: options.clock,
    signal,
    requestTimeoutMs: options.requestTimeoutMs,
    random: options.random ?? (() => 0.5),
    commentOnPullRequest: options.github ? (settings, report) => commentOnPullRequest(io, settings, report, options.github!, { signal }) : undefined,
  };
  const ok = await step(options.wrapIO ? options.wrapIO(io) : io, runOptions);
  return { ok, ...record };
}

async function withFlowEnv<T>(url: string, extra: Record<string, string | undefined> | undefined, body: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  const env = { ...emulatorEnv(url), ...extra };
  // The SDK reads its endpoint and credentials from process.env itself.
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  try {
    return await body();
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

/** A seeded linear congruential generator: runs that differ in their jitter, reproducibly. */
export function seededRandom(seed: number): () => number {
  // Neighbouring seeds would start neighbouring sequences: scatter the seed first.
  let state = Math.imul(seed, 0x9e3779b9) >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
