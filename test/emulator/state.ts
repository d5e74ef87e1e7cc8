// Pure lifecycle model of one Lambda Managed Instances function version.
// Time is always passed in: a change carries the instant it ends and is folded in lazily by `settle`,
// so a test's virtual clock fully decides what a client observes.

/** The model's `State` enum. */
export const STATES = ['Pending', 'Active', 'Inactive', 'Failed', 'Deactivating', 'Deactivated', 'ActiveNonInvocable', 'Deleting'] as const;
export type State = (typeof STATES)[number];

export interface ScalingConfig {
  min: number;
  /** `null`: no maximum (the default; the capacity provider's limit is the only bound). */
  max: number | null;
}

export interface Timings {
  /** How long a just-published version stays Pending with LastUpdateStatus InProgress. */
  publishMs: number;
  /** Deactivated (or Failed) -> Active. */
  activateMs: number;
  /** Active -> Deactivated after a 0/0 config. */
  deactivateMs: number;
  /** Active -> Active with a new applied config. */
  resizeMs: number;
}

export const DEFAULT_TIMINGS: Timings = { publishMs: 3000, activateMs: 3000, deactivateMs: 2000, resizeMs: 2000 };

/** A version never given a config: min 3 and no maximum (AWS guide; CDK and Serverless Framework docs). */
export const DEFAULT_APPLIED: ScalingConfig = { min: 3, max: null };

export interface StateReason {
  code?: string;
  reason: string;
}

export interface VersionSpec {
  /**
   * Initial state (default Active). `Pending` means "just published by a deploy": the version settles to
   * Active after `lastUpdateInProgressMs ?? timings.publishMs`. `Deactivated` defaults `applied` to 0/0.
   */
  state?: State;
  applied?: ScalingConfig;
  /** Also marks the version as just published, for this long (overrides `timings.publishMs`). */
  lastUpdateInProgressMs?: number;
  /** The next publish, activation or resize ends in State Failed with this reason instead of succeeding. */
  failOnActivate?: { code: string; reason: string };
  /** Starts as being republished (new code of `$LATEST.PUBLISHED`) for this long: see `republish`. */
  republish?: Republish;
  /** GetFunctionScalingConfig answers the function's ARN without the qualifier. */
  unqualifiedScalingArn?: boolean;
  /** GetFunctionScalingConfig keeps reporting RequestedFunctionScalingConfig, equal to the applied one, once settled. */
  keepsRequested?: boolean;
  /** GetFunctionScalingConfig answers without FunctionArn, which the service model makes optional. */
  noScalingArn?: boolean;
  /** While a scaling change is in flight, GetFunctionScalingConfig answers without AppliedFunctionScalingConfig (seen right after a first put). */
  noAppliedWhileSettling?: boolean;
  /** GetFunction answers without LastUpdateStatus and its reason, which the service model makes optional. */
  noLastUpdateStatus?: boolean;
  /** After an accepted put, GetFunction and the put's answer go on reporting the state from before it for this long (AWS's reads are eventually consistent). */
  staleStateAfterPutMs?: number;
  /** After an accepted put, reads of the version (GetFunction, GetFunctionScalingConfig) answer ResourceNotFoundException for this long: a read that lags the write. */
  notFoundAfterPutMs?: number;
  timings?: Partial<Timings>;
  /** MB per execution environment (default: the function's). */
  memorySize?: number;
  /** CapacityProviderConfig's ExecutionEnvironmentMemoryGiBPerVCpu (default: the function's; absent means 2.0). */
  memoryGiBPerVCpu?: number;
}

/** A deploy of new code to an existing version: State stays as it was while LastUpdateStatus is InProgress. */
export interface Republish {
  durationMs: number;
  /** The update ends in LastUpdateStatus Failed with this reason; the old code keeps serving (State unchanged). */
  fail?: StateReason;
  /** The new code's memory size (MB), in effect once the update succeeds. */
  memorySize?: number;
}

type ChangeKind = 'publish' | 'republish' | 'activate' | 'resize' | 'deactivate';

interface Change {
  kind: ChangeKind;
  target: ScalingConfig;
  endsAt: number;
}

export interface VersionRecord {
  /** The state outside any in-flight change, i.e. the one the current change started from. */
  base: State;
  baseReason?: StateReason;
  applied: ScalingConfig;
  /** Set while a scaling change is in flight, and kept after one failed. */
  requested?: ScalingConfig;
  change?: Change;
  lastUpdateFailure?: StateReason;
  failOnActivate?: StateReason;
  /** How the republish in flight ends, when it fails. */
  republishFailure?: StateReason;
  unqualifiedScalingArn?: boolean;
  keepsRequested?: boolean;
  noScalingArn?: boolean;
  noAppliedWhileSettling?: boolean;
  noLastUpdateStatus?: boolean;
  staleStateAfterPutMs?: number;
  notFoundAfterPutMs?: number;
  /** With `notFoundAfterPutMs`: reads of the version answer ResourceNotFoundException before this instant. */
  notFoundUntil?: number;
  /** The state reported until `until`, with `staleStateAfterPutMs`: the one the last put found. */
  stateBeforePut?: { state: State; stateReason?: StateReason; until: number };
  timings: Timings;
  /** Instant the last successful change finished (or the version was created). */
  settledAt?: number;
}

export interface VersionView {
  state: State;
  stateReason?: StateReason;
  lastUpdateStatus: 'Successful' | 'Failed' | 'InProgress';
  lastUpdateReason?: StateReason;
  /** Absent while a change settles, with `noAppliedWhileSettling`. */
  applied?: ScalingConfig;
  requested?: ScalingConfig;
  settledAt?: number;
}

const CHANGE_REASONS: Record<ChangeKind, StateReason | undefined> = {
  publish: { code: 'Creating', reason: 'The function is being created.' },
  republish: undefined,
  activate: { code: 'Creating', reason: 'The function version is being activated.' },
  // The model's StateReasonCode enum has no code that fits a deactivation in progress.
  deactivate: { reason: 'The function version is being deactivated.' },
  resize: undefined,
};

const BASE_REASONS: Partial<Record<State, StateReason>> = {
  Deactivated: { code: 'Idle', reason: 'The function version is deactivated because its scaling configuration is 0.' },
  Failed: { code: 'InternalError', reason: 'The function version failed.' },
};

export function createVersion(spec: VersionSpec, now: number, defaults: Timings): VersionRecord {
  const timings = { ...defaults, ...spec.timings };
  const applied = spec.applied ?? (spec.state === 'Deactivated' ? { min: 0, max: 0 } : DEFAULT_APPLIED);
  const common = { applied, timings, failOnActivate: spec.failOnActivate, unqualifiedScalingArn: spec.unqualifiedScalingArn, keepsRequested: spec.keepsRequested,
    noScalingArn: spec.noScalingArn,
    noAppliedWhileSettling: spec.noAppliedWhileSettling,
    noLastUpdateStatus: spec.noLastUpdateStatus,
    staleStateAfterPutMs: spec.staleStateAfterPutMs,
    notFoundAfterPutMs: spec.notFoundAfterPutMs,
  };
  const publishMs = spec.lastUpdateInProgressMs ?? (spec.state === 'Pending' ? timings.publishMs : undefined);
  if (publishMs !== undefined) {
    return { ...common, base: 'Pending', change: { kind: 'publish', target: applied, endsAt: now + publishMs } };
  }
  const created: VersionRecord = { ...common, base: spec.state ?? 'Active', settledAt: now };
  return spec.republish ? republish(created, spec.republish, now) : created;
}

/**
 * Deploys new code to a settled version (republishing `$LATEST.PUBLISHED`): the state stays, the old code
 * serves, LastUpdateStatus is InProgress and puts are refused until it ends, in Successful or Failed.
 */
export function republish(v: VersionRecord, spec: Republish, now: number): VersionRecord {
  if (v.change) throw new Error(`cannot republish during a ${v.change.kind}`);
  return { ...v, republishFailure: spec.fail, change: { kind: 'republish', target: v.applied, endsAt: now + spec.durationMs } };
}

/**
 * Folds in the in-flight change if it has ended by `now`. `overflow`: the change does not fit in the
 * capacity provider, and ends in this failure unless it already fails otherwise (a deactivation always fits).
 */
export function settle(v: VersionRecord, now: number, overflow?: StateReason): VersionRecord {
  const { change } = v;
  if (!change || now < change.endsAt) return v;
  if (change.kind === 'republish') {
    const failure = v.republishFailure ?? overflow;
    return { ...v, change: undefined, republishFailure: undefined, lastUpdateFailure: failure, settledAt: failure ? v.settledAt : change.endsAt };
  }
  const failure = change.kind === 'deactivate' ? undefined : (v.failOnActivate ?? overflow);
  if (failure) {
    return {
      ...v,
      change: undefined,
      failOnActivate: undefined,
      base: 'Failed',
      baseReason: failure,
      lastUpdateFailure: change.kind === 'publish' ? failure : v.lastUpdateFailure,
    };
  }
  return {
    ...v,
    change: undefined,
    base: change.target.max === 0 ? 'Deactivated' : 'Active',
    baseReason: undefined,
    applied: change.target,
    requested: undefined,
    settledAt: change.endsAt,
  };
}

/** What GetFunction and GetFunctionScalingConfig report for a settled record. */
export function observe(v: VersionRecord): VersionView {
  const kind = v.change?.kind;
  const state: State = kind === 'publish' || kind === 'activate' ? 'Pending' : kind === 'deactivate' ? 'Deactivating' : v.base;
  // A resize or republish keeps the state, and so its reason.
  const stateReason = (kind && CHANGE_REASONS[kind]) ?? v.baseReason ?? BASE_REASONS[v.base];
  // While an update runs, AWS reports reason codes that the model's LastUpdateStatusReasonCode enum lacks.
  const lastUpdate: Pick<VersionView, 'lastUpdateStatus' | 'lastUpdateReason'> =
    kind === 'publish'
      ? { lastUpdateStatus: 'InProgress', lastUpdateReason: { code: 'Creating', reason: 'The function is being created.' } }
      : kind === 'republish'
        ? { lastUpdateStatus: 'InProgress', lastUpdateReason: { code: 'Updating', reason: 'The function is being updated.' } }
        : v.lastUpdateFailure
        ? { lastUpdateStatus: 'Failed', lastUpdateReason: v.lastUpdateFailure }
        : { lastUpdateStatus: 'Successful' };
  const requested = v.requested ?? (v.keepsRequested ? v.applied : undefined);
  const applied = v.noAppliedWhileSettling && v.requested ? undefined : v.applied;
  return { state, stateReason, ...lastUpdate, applied, requested, settledAt: v.settledAt };
}

/**
 * PutFunctionScalingConfig on a settled record. Returns 'conflict' while a publish is in progress.
 * A put during another scaling change replaces that change, judged from the state the change started from.
 */
export function requestScaling(v: VersionRecord, target: ScalingConfig, now: number): VersionRecord | 'conflict' {
  const next = scalingChange(v, target, now);
  if (next === 'conflict') return next;
  const lagging = v.notFoundAfterPutMs ? { notFoundUntil: now + v.notFoundAfterPutMs } : {};
  if (!v.staleStateAfterPutMs) return { ...next, ...lagging };
  const { state, stateReason } = observe(v);
  return { ...next, ...lagging, stateBeforePut: { state, stateReason, until: now + v.staleStateAfterPutMs } };
}

/** The state GetFunction and the put's answer report: the one from before the last put while it is stale. */
export function reportedState(v: VersionRecord, now: number): Pick<VersionView, 'state' | 'stateReason'> {
  const before = v.stateBeforePut;
  return before && now < before.until ? before : observe(v);
}

function scalingChange(v: VersionRecord, target: ScalingConfig, now: number): VersionRecord | 'conflict' {
  if (v.change?.kind === 'publish' || v.change?.kind === 'republish') return 'conflict';
  const sameAsApplied = target.min === v.applied.min && target.max === v.applied.max;
  if (target.max === 0) {
    return v.base === 'Deactivated' && sameAsApplied ? cancel(v, now) : start(v, 'deactivate', target, now);
  }
  if (v.base !== 'Active') return start(v, 'activate', target, now);
  return sameAsApplied ? cancel(v, now) : start(v, 'resize', target, now);
}

function start(v: VersionRecord, kind: Exclude<ChangeKind, 'publish' | 'republish'>, target: ScalingConfig, now: number): VersionRecord {
  const durations = { activate: v.timings.activateMs, deactivate: v.timings.deactivateMs, resize: v.timings.resizeMs };
  return { ...v, requested: target, change: { kind, target, endsAt: now + durations[kind] } };
}

/** Asking for what is already applied drops any in-flight change; with nothing in flight it changes nothing. */
function cancel(v: VersionRecord, now: number): VersionRecord {
  return v.change ? { ...v, change: undefined, requested: undefined, settledAt: now } : v;
}
