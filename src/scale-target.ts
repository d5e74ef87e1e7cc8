import type { Clock } from './clock.js';
import { ActionError, classifyError, isNotFound, RequestFailure } from './errors.js';
import type { LambdaApi, ScalingStatus, VersionStatus } from './lambda-api.js';
import { afterConflict, deployFailed } from './put-decision.js';
import { DeadlineReached } from './request-pacer.js';
import { restoreGuard } from './restore.js';
import { formatConfig, goalStateOf, type ScalingConfig } from './scaling-config.js';
import { qualifiedArn, type VersionTarget } from './targets.js';
import { decide, failedIsFinal, failureMessage, isInEffect, LAST_UPDATE_FAILED, lastUpdateMessage, timeoutMessage, type LastUpdate } from './wait-decision.js';

/** What is known of one version so far; kept up to date so a cancelled or failed run can still report it. */
export interface TargetProgress {
  target: VersionTarget;
  label: string;
  functionArn?: string;
  previous?: ScalingConfig;
  applied?: ScalingConfig;
  requested?: ScalingConfig;
  changed?: boolean;
  /** When this step's put was accepted: reads just after it may lag it (see readAfterPut). */
  putAcceptedAt?: number;
  /** When the last read of the scaling config started (or the wait after a put began). */
  scalingReadAt?: number;
  /** The last read-back was throttled, so `applied` and `requested` are from an earlier read. */
  readBackThrottled?: boolean;
  state?: string;
  stateReasonCode?: string;
  stateReason?: string;
  /** The version's last update (deploy), as GetFunction last reported it. */
  lastUpdate?: LastUpdate;
  /** "deploy still in progress" has been logged. */
  deployNoted?: boolean;
  /** The failed last update is the target's error (it left the version Failed), not a warning. */
  deployFailedIsError?: boolean;
  /** The state read when the failed last update was first seen: what the deploy left, before any put of ours. */
  stateAfterFailedDeploy?: string;
  /** Each state seen, with the ms since the step started; `Active (updating)` while a deploy runs on an Active version. */
  states: { state: string; atMs: number }[];
  waitedMs?: number;
  /** A restore found someone else's config (`found`) instead of the one its step put: nothing put, nothing waited for. */
  leftAlone?: { found: ScalingConfig | undefined };
  error?: { title: string; message: string };
  /** A failed last update that the error, if any, does not already report. */
  warning?: { title: string; message: string };
  /** GetFunction's answer read with the config at the start (capacity-check.ts): the first state read takes it, unless a put came since. */
  earlyState?: Promise<VersionStatus>;
  /** A dry run's capacity cell: what the requested min needs of the capacity provider. */
  capacityNote?: string;
}

export interface TargetContext {
  api: LambdaApi;
  clock: Clock;
  signal: AbortSignal;
  startedAt: number;
  deadline: number;
  budgetMinutes: number;
  log: (message: string) => void;
  random?: () => number;
  /** Called as soon as a put is accepted: the main step saves it for the restore. */
  onPut?: (progress: TargetProgress) => void;
}

/** One state read per second: a change is noticed within about a second, at ≤2 control-plane requests/s. */
export const POLL_INTERVAL_MS = 1000;

/** `withRegion`: the step has targets in several regions, so each label names its own. */
export function newProgress(target: VersionTarget, withRegion = false): TargetProgress {
  const via = target.via.filter((q) => q !== target.version);
  return { target, label: `${target.fn.key}:${target.version}${via.length ? ` (${via.join(', ')})` : ''}${withRegion ? ` in ${target.region}` : ''}`, states: [] };
}

/** Reads the config in effect before this run: the `previous` config. */
export async function readCurrentConfig(ctx: TargetContext, progress: TargetProgress): Promise<ScalingStatus> {
  const { fn, version } = progress.target;
  progress.scalingReadAt = ctx.clock.now();
  const current = await ctx.api.getScalingConfig(fn.name, version);
  if (current.functionArn) progress.functionArn = qualifiedArn(current.functionArn, version);
  progress.previous = current.applied;
  recordScaling(progress, current);
  return current;
}

/** Around the put, for the capacity check: `afterRead` runs after the config read, `beforePut` just before a put. */
export interface ApplyHooks {
  afterRead?: () => Promise<void>;
  beforePut?: () => Promise<void>;
}

/** Reads the current config and puts the goal unless it is already in effect. */
export async function applyConfig(ctx: TargetContext, progress: TargetProgress, hooks: ApplyHooks = {}): Promise<void> {
  const { goal } = progress.target;
  const current = await readCurrentConfig(ctx, progress);
  const inEffect = isInEffect(goal, current);
  const { expected } = progress.target;
  const guard = !inEffect && expected ? restoreGuard(expected, current) : undefined;
  if (guard?.kind === 'leave') {
    progress.changed = false;
    progress.leftAlone = { found: guard.found };
    ctx.log(`${progress.label}: left as it is: ${formatConfig(guard.found)} found, not the ${formatConfig(expected)} this job's scaling step put`);
    return;
  }
  await hooks.afterRead?.();
  if (inEffect) {
    progress.changed = false;
    ctx.log(`${progress.label}: ${formatConfig(goal)} already in effect`);
    return;
  }
  await hooks.beforePut?.();
  // The state read before the put says nothing of the state after it.
  progress.earlyState = undefined;
  const state = await putWhenFree(ctx, progress);
  progress.putAcceptedAt = ctx.clock.now();
  progress.changed = true;
  progress.requested = goal;
  ctx.onPut?.(progress);
  ctx.log(`${progress.label}: ${formatConfig(progress.previous)} → ${formatConfig(goal)} put`);
  if (state) recordState(ctx, progress, { state });
}

/**
 * Puts the goal; while a deploy keeps the version busy (the put is answered with ResourceConflictException),
 * watches it with GetFunction, whose quota is its own, and puts again as soon as it is free.
 * Returns the FunctionState that the accepted put answered.
 */
async function putWhenFree(ctx: TargetContext, progress: TargetProgress): Promise<string | undefined> {
  const { fn, version, goal } = progress.target;
  const { api, clock, deadline, signal } = ctx;
  for (let conflictsWhileFree = 0, first = true; ; first = false) {
    let conflict: RequestFailure;
    try {
      return await api.putScalingConfig(fn.name, version, goal);
    } catch (error) {
      if (!(error instanceof RequestFailure) || classifyError(error.cause).kind !== 'conflict') throw error;
      conflict = error;
      if (!first) conflictsWhileFree++;
    }
    // Past the deadline the 409 itself is the failure: the version stayed busy for the whole wait.
    const sleepOrGiveUp = async (ms: number) => {
      if (clock.now() + ms >= deadline) throw conflict;
      await clock.sleep(ms, signal);
    };
    for (;;) {
      let status: VersionStatus;
      try {
        status = await api.getFunction(fn.name, version);
      } catch (error) {
        throw error instanceof DeadlineReached && !signal.aborted ? conflict : error;
      }
      recordState(ctx, progress, status);
      const next = afterConflict(status, conflictsWhileFree, ctx.random);
      if (next.kind === 'deploy-failed') throw lastUpdateError(progress);
      if (next.kind === 'put') {
        if (next.delayMs > 0) {
          ctx.log(`${progress.label}: PutFunctionScalingConfig answered ResourceConflictException though GetFunction shows no update in progress; retrying in ${(next.delayMs / 1000).toFixed(1)} s`);
          await sleepOrGiveUp(next.delayMs);
        }
        break;
      }
      noteDeploy(ctx, progress, `putting ${formatConfig(goal)} as soon as it ends`);
      await sleepOrGiveUp(next.delayMs);
    }
  }
}

function noteDeploy(ctx: TargetContext, progress: TargetProgress, then: string): void {
  if (progress.deployNoted) return;
  progress.deployNoted = true;
  ctx.log(`${progress.label}: deploy still in progress (LastUpdateStatus ${progress.lastUpdate?.status ?? 'unknown'}, State ${progress.state ?? 'unknown'}); ${then}`);
}

/** The version is Failed and its last update (a deploy) failed: the deploy, not a put of ours, failed it. */
function leftFailedByDeploy(progress: TargetProgress): boolean {
  return deployFailed({ state: progress.state, lastUpdateStatus: progress.lastUpdate?.status });
}

function lastUpdateError(progress: TargetProgress): ActionError {
  progress.deployFailedIsError = true;
  return new ActionError(LAST_UPDATE_FAILED, lastUpdateMessage(progress.label, progress.state, progress.lastUpdate!));
}

/**
 * A failed last update that the target's error does not already report: the old code still serves, so
 * it is a warning and the scaling result decides the step.
 */
export function lastUpdateWarning(progress: TargetProgress): { title: string; message: string } | undefined {
  if (progress.lastUpdate?.status !== 'Failed' || progress.deployFailedIsError) return undefined;
  return { title: `${LAST_UPDATE_FAILED}: ${progress.label}`, message: lastUpdateMessage(progress.label, progress.stateAfterFailedDeploy, progress.lastUpdate) };
}

/** Reads the state once, to report it (wait off and nothing put, or a dry run). */
export async function readState(ctx: TargetContext, progress: TargetProgress): Promise<void> {
  recordState(ctx, progress, await readVersion(ctx, progress));
}

/** GetFunction, or the answer read early for the same version when there is one (taken once). */
async function readVersion(ctx: TargetContext, progress: TargetProgress): Promise<VersionStatus> {
  const early = progress.earlyState;
  progress.earlyState = undefined;
  return early ?? ctx.api.getFunction(progress.target.fn.name, progress.target.version);
}

/** With wait off and nothing put: the state is reported, and a deploy that left the version Failed fails the target. */
export async function confirmState(ctx: TargetContext, progress: TargetProgress): Promise<void> {
  await readState(ctx, progress);
  if (leftFailedByDeploy(progress)) throw lastUpdateError(progress);
}

/** Polls until the goal state is reached and the goal config is applied, the version fails, or the deadline passes. */
export async function waitUntilInEffect(ctx: TargetContext, progress: TargetProgress): Promise<void> {
  const { fn, version, goal } = progress.target;
  const { api, clock, deadline } = ctx;
  // Nothing put: the config just read is in effect, so only the state is left to see. A change just put
  // is not read back before a poll interval has passed: it cannot have settled yet.
  let scaling: ScalingStatus | undefined = progress.changed === false ? { applied: progress.applied, requested: progress.requested } : undefined;
  const waitStartedAt = clock.now();
  let stateReadAt = -Infinity;
  // A change just put is read back a poll after the put at the soonest, not a poll after the read before it.
  if (progress.changed) progress.scalingReadAt = waitStartedAt;
  const putAtMs = (progress.putAcceptedAt ?? waitStartedAt) - ctx.startedAt;
  for (;;) {
    const tick = clock.now();
    if (tick >= deadline) throw timeout(ctx, progress);
    // A wake for a read-back alone uses the state read less than a poll ago: GetFunction stays at one a poll.
    // Each "due" below is one sum, compared here and slept to at the end: computed two ways, rounding could
    // leave a read not due while its wake is already past, and the loop would spin without sleeping.
    let stateDueAt = stateReadAt + POLL_INTERVAL_MS;
    if (tick >= stateDueAt) {
      stateReadAt = tick;
      stateDueAt = tick + POLL_INTERVAL_MS;
      const status = await readAfterPut(ctx, progress, 'GetFunction', () => readVersion(ctx, progress));
      if (status !== LAGGING) recordState(ctx, progress, status);
    }
    const failedEnds = failedIsFinal({
      put: progress.changed === true,
      seenOtherState: progress.states.some((s) => s.state !== 'Failed'),
      waitedMs: tick - waitStartedAt,
      msLeft: deadline - tick,
      pollIntervalMs: POLL_INTERVAL_MS,
    });
    let verdict = decide(goal, progress.state, scaling, failedEnds, progress.lastUpdate?.status);
    // While a deploy runs, the scaling config is not read (it spends the shared control-plane quota);
    // it is read once the deploy has ended, so that "in effect" is judged after it.
    if (verdict.kind === 'deploying') {
      noteDeploy(ctx, progress, 'waiting for it to end');
      scaling = undefined;
    }
    // Nor is it read back before the state is the goal: it is read fresh once it is.
    if (progress.state !== goalStateOf(goal)) scaling = undefined;
    // Read back less often while Lambda's quota is busy; the state is still read every poll.
    const confirmEveryMs = api.confirmationIntervalMs(POLL_INTERVAL_MS);
    const wantsReadBack = () => verdict.kind === 'check-scaling' || (verdict.kind === 'wait' && scaling !== undefined);
    let readBackAt = (progress.scalingReadAt ?? -Infinity) + confirmEveryMs;
    if (tick >= readBackAt && wantsReadBack()) {
      progress.scalingReadAt = tick;
      const read = await readAfterPut(ctx, progress, 'GetFunctionScalingConfig', () => api.readBackScalingConfig(fn.name, version, putAtMs));
      // Throttled (undefined), it is read again at the next turn, which the throttle has slowed.
      readBackAt = tick + api.confirmationIntervalMs(POLL_INTERVAL_MS);
      if (read !== LAGGING) progress.readBackThrottled = read === undefined;
      if (read && read !== LAGGING) {
        scaling = read;
        recordScaling(progress, scaling);
        verdict = decide(goal, progress.state, scaling, failedEnds, progress.lastUpdate?.status);
      }
    }
    if (verdict.kind === 'done') return;
    if (verdict.kind === 'failed') {
      // After a put of ours, Failed is the scaling's failure; without one, it is the deploy's.
      if (!progress.changed && leftFailedByDeploy(progress)) throw lastUpdateError(progress);
      throw new ActionError(`Version ${progress.state}`, failureMessage(progress.label, progress));
    }
    const wakeAt = Math.min(stateDueAt, wantsReadBack() ? readBackAt : Infinity, deadline);
    await clock.sleep(Math.max(0, wakeAt - clock.now()), ctx.signal);
  }
}

// --- Reads that lag this step's own put ---

/**
 * How long after this step's accepted put a ResourceNotFoundException on a read of the version is taken
 * for a read that lags the write (Lambda's reads are eventually consistent), as terraform-provider-aws
 * takes it for this resource, rather than for a version that is gone.
 */
export const LAGGING_READ_MS = 10_000;

/** A read that lagged the put: nothing new was learned, and the wait reads again at its next turn. */
const LAGGING = Symbol('lagging read');

async function readAfterPut<T>(ctx: TargetContext, progress: TargetProgress, operation: string, read: () => Promise<T>): Promise<T | typeof LAGGING> {
  const startedAt = ctx.clock.now();
  try {
    return await read();
  } catch (error) {
    const sincePut = progress.putAcceptedAt === undefined ? Infinity : startedAt - progress.putAcceptedAt;
    if (!(sincePut < LAGGING_READ_MS) || !isNotFound(error)) throw error;
    ctx.api.logger.debug(`${progress.label}: ${operation} answered ResourceNotFoundException ${(sincePut / 1000).toFixed(1)} s after the put was accepted; a read can lag a write, so it is read again`);
    return LAGGING;
  }
}

// --- end of reads that lag the put ---

function timeout(ctx: TargetContext, progress: TargetProgress): ActionError {
  return new ActionError('Timed out', timeoutMessage(progress.label, ctx.budgetMinutes, progress.target.goal, { ...progress, put: progress.changed === true, lastUpdateStatus: progress.lastUpdate?.status }));
}

/** The deadline cut a request, or left no time to start one: report the timeout it amounts to. */
export function asTimeoutIfLate(ctx: TargetContext, progress: TargetProgress, error: unknown): unknown {
  return error instanceof DeadlineReached && !ctx.signal.aborted ? timeout(ctx, progress) : error;
}

function recordState(ctx: TargetContext, progress: TargetProgress, status: VersionStatus): void {
  if (status.functionArn) progress.functionArn = qualifiedArn(status.functionArn, progress.target.version);
  progress.stateReasonCode = status.stateReasonCode;
  progress.stateReason = status.stateReason;
  if (status.lastUpdateStatus === 'Failed' && progress.lastUpdate?.status !== 'Failed') progress.stateAfterFailedDeploy = status.state;
  if (status.lastUpdateStatus) {
    progress.lastUpdate = { status: status.lastUpdateStatus, reasonCode: status.lastUpdateStatusReasonCode, reason: status.lastUpdateStatusReason };
  }
  const shown = status.state && shownState(status.state, status.lastUpdateStatus);
  if (shown && shown !== progress.states.at(-1)?.state) {
    const atMs = ctx.clock.now() - ctx.startedAt;
    progress.states.push({ state: shown, atMs });
    const reason = [status.stateReasonCode, status.stateReason].filter(Boolean).join(': ');
    ctx.log(`${progress.label}: ${shown}${reason ? ` (${reason})` : ''} at ${(atMs / 1000).toFixed(1)} s`);
  }
  progress.state = status.state ?? progress.state;
}

/** Pending already says that a publish runs; any other state under a running deploy is marked "(updating)". */
function shownState(state: string, lastUpdateStatus: string | undefined): string {
  return lastUpdateStatus === 'InProgress' && state !== 'Pending' ? `${state} (updating)` : state;
}

function recordScaling(progress: TargetProgress, scaling: ScalingStatus): void {
  progress.applied = scaling.applied;
  progress.requested = scaling.requested;
}
