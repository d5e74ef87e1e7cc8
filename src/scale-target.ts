import type { Clock } from './clock.js';
import { ActionError } from './errors.js';
import type { LambdaApi, ScalingStatus, VersionStatus } from './lambda-api.js';
import { DeadlineReached } from './request-pacer.js';
import { formatConfig, goalStateOf, type ScalingConfig } from './scaling-config.js';
import type { VersionTarget } from './targets.js';
import { decide, failedIsFinal, failureMessage, isInEffect, timeoutMessage } from './wait-decision.js';

/** What is known of one version so far; kept up to date so a cancelled or failed run can still report it. */
export interface TargetProgress {
  target: VersionTarget;
  label: string;
  functionArn?: string;
  previous?: ScalingConfig;
  applied?: ScalingConfig;
  requested?: ScalingConfig;
  changed?: boolean;
  /** When the last read of the scaling config started. */
  scalingReadAt?: number;
  state?: string;
  stateReasonCode?: string;
  stateReason?: string;
  /** Each state seen, with the ms since the step started. */
  states: { state: string; atMs: number }[];
  waitedMs?: number;
  error?: { title: string; message: string };
}

export interface TargetContext {
  api: LambdaApi;
  clock: Clock;
  signal: AbortSignal;
  startedAt: number;
  deadline: number;
  budgetMinutes: number;
  goal: ScalingConfig;
  log: (message: string) => void;
}

/** One state read per second: a change is noticed within about a second, at ≤2 control-plane requests/s. */
export const POLL_INTERVAL_MS = 1000;

export function newProgress(target: VersionTarget): TargetProgress {
  const via = target.via.filter((q) => q !== target.version);
  return { target, label: `${target.fn.key}:${target.version}${via.length ? ` (${via.join(', ')})` : ''}`, states: [] };
}

/** Reads the current config and puts the goal unless it is already in effect. */
export async function applyConfig(ctx: TargetContext, progress: TargetProgress): Promise<void> {
  const { fn, version } = progress.target;
  progress.scalingReadAt = ctx.clock.now();
  const current = await ctx.api.getScalingConfig(fn.name, version);
  progress.functionArn = current.functionArn;
  progress.previous = current.applied;
  recordScaling(progress, current);
  if (isInEffect(ctx.goal, current)) {
    progress.changed = false;
    ctx.log(`${progress.label}: ${formatConfig(ctx.goal)} already in effect`);
    return;
  }
  const state = await ctx.api.putScalingConfig(fn.name, version, ctx.goal);
  progress.changed = true;
  progress.requested = ctx.goal;
  ctx.log(`${progress.label}: ${formatConfig(progress.previous)} → ${formatConfig(ctx.goal)} put`);
  if (state) recordState(ctx, progress, { state });
}

/** With wait off and nothing put, the state still has to be read once to be reported. */
export async function readState(ctx: TargetContext, progress: TargetProgress): Promise<void> {
  recordState(ctx, progress, await ctx.api.getFunction(progress.target.fn.name, progress.target.version));
}

/** Polls until the goal state is reached and the goal config is applied, the version fails, or the deadline passes. */
export async function waitUntilInEffect(ctx: TargetContext, progress: TargetProgress): Promise<void> {
  const { fn, version } = progress.target;
  const { api, clock, goal, deadline } = ctx;
  // Nothing put: the config just read is in effect, so only the state is left to see. A change just put
  // is not read back before a poll interval has passed: it cannot have settled yet.
  let scaling: ScalingStatus | undefined = progress.changed === false ? { applied: progress.applied, requested: progress.requested } : undefined;
  const waitStartedAt = clock.now();
  try {
    for (;;) {
      const tick = clock.now();
      if (tick >= deadline) throw timeout(ctx, progress);
      recordState(ctx, progress, await api.getFunction(fn.name, version));
      const failedEnds = failedIsFinal({
        put: progress.changed === true,
        seenOtherState: progress.states.some((s) => s.state !== 'Failed'),
        waitedMs: tick - waitStartedAt,
        msLeft: deadline - tick,
        pollIntervalMs: POLL_INTERVAL_MS,
      });
      let verdict = decide(goal, progress.state, scaling, failedEnds);
      if (verdict.kind === 'wait' && progress.state !== goalStateOf(goal)) scaling = undefined;
      // Read back less often while Lambda's quota is busy; the state is still read every poll.
      const confirmEveryMs = api.confirmationIntervalMs(POLL_INTERVAL_MS);
      const due = tick - (progress.scalingReadAt ?? -Infinity) >= confirmEveryMs;
      if (due && (verdict.kind === 'check-scaling' || (verdict.kind === 'wait' && scaling))) {
        progress.scalingReadAt = tick;
        scaling = await api.getScalingConfig(fn.name, version);
        recordScaling(progress, scaling);
        verdict = decide(goal, progress.state, scaling, failedEnds);
      }
      if (verdict.kind === 'done') return;
      if (verdict.kind === 'failed') throw new ActionError(`Version ${progress.state}`, failureMessage(progress.label, progress));
      const nextRead = scaling ? (progress.scalingReadAt ?? tick) + confirmEveryMs : Infinity;
      await clock.sleep(Math.max(0, Math.min(tick + POLL_INTERVAL_MS, nextRead, deadline) - clock.now()), ctx.signal);
    }
  } finally {
    progress.waitedMs = clock.now() - ctx.startedAt;
  }
}

function timeout(ctx: TargetContext, progress: TargetProgress): ActionError {
  return new ActionError('Timed out', timeoutMessage(progress.label, ctx.budgetMinutes, ctx.goal, progress));
}

/** The deadline cut a request, or left no time to start one: report the timeout it amounts to. */
export function asTimeoutIfLate(ctx: TargetContext, progress: TargetProgress, error: unknown): unknown {
  return error instanceof DeadlineReached && !ctx.signal.aborted ? timeout(ctx, progress) : error;
}

function recordState(ctx: TargetContext, progress: TargetProgress, status: VersionStatus): void {
  if (status.functionArn) progress.functionArn = status.functionArn;
  progress.stateReasonCode = status.stateReasonCode;
  progress.stateReason = status.stateReason;
  if (status.state && status.state !== progress.state) {
    const atMs = ctx.clock.now() - ctx.startedAt;
    progress.states.push({ state: status.state, atMs });
    const reason = [status.stateReasonCode, status.stateReason].filter(Boolean).join(': ');
    ctx.log(`${progress.label}: ${status.state}${reason ? ` (${reason})` : ''} at ${(atMs / 1000).toFixed(1)} s`);
  }
  progress.state = status.state ?? progress.state;
}

function recordScaling(progress: TargetProgress, scaling: ScalingStatus): void {
  progress.applied = scaling.applied;
  progress.requested = scaling.requested;
}
