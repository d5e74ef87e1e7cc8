import type { Clock } from '../../src/clock.js';
import { run, type RunOptions } from '../../src/run.js';
import { emulatorEnv } from './aws-env.js';
import { recordingIO } from './recording-io.js';

export interface FlowOptions {
  clock: Clock;
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  requestTimeoutMs?: number;
}

/** Runs the action in-process with the real SDK against the emulator at `url`. */
export async function runFlow(url: string, inputs: Record<string, string>, options: FlowOptions) {
  const saved = { ...process.env };
  const env = { ...emulatorEnv(url), ...options.env };
  // The SDK reads its endpoint and credentials from process.env itself.
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  try {
    const { io, record } = recordingIO(inputs, options.clock.now);
    const runOptions: RunOptions = {
      env: process.env,
      clock: options.clock,
      signal: options.signal ?? new AbortController().signal,
      requestTimeoutMs: options.requestTimeoutMs,
      random: () => 0.5,
    };
    const ok = await run(io, runOptions);
    return { ok, ...record };
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}
