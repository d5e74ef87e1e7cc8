import type { ScalingStatus } from './lambda-api.js';
import { formatConfig, goalStateOf, sameConfig, type ScalingConfig } from './scaling-config.js';

export type Verdict =
  | { kind: 'done' }
  | { kind: 'failed' }
  /** The state is the goal; only the scaling config can tell whether the change is in effect. */
  | { kind: 'check-scaling' }
  /** A deploy is still updating the version (LastUpdateStatus InProgress): nothing else can be judged yet. */
  | { kind: 'deploying' }
  | { kind: 'wait' };

/**
 * Done means the goal state AND the applied config equal to the requested one with nothing pending AND
 * no deploy still updating the version: an Active version being resized stays Active while its applied
 * config converges, and a republished one stays Active while its new code starts.
 * `scaling` is the latest GetFunctionScalingConfig answer read since the state reached the goal, if any.
 * `failedIsFinal` is false while a Failed state may still be the one from before the put.
 */
export function decide(
  goal: ScalingConfig,
  state: string | undefined,
  scaling: ScalingStatus | undefined,
  failedIsFinal = true,
  lastUpdateStatus?: string,
): Verdict {
  if (state === 'Deleting' || (state === 'Failed' && failedIsFinal)) return { kind: 'failed' };
  if (lastUpdateStatus === 'InProgress') return { kind: 'deploying' };
  if (state !== goalStateOf(goal)) return { kind: 'wait' };
  if (scaling === undefined) return { kind: 'check-scaling' };
  return isInEffect(goal, scaling) ? { kind: 'done' } : { kind: 'wait' };
}

/** How long a Failed state read after a put may still be the one from before it. */
export const STALE_FAILED_GRACE_MS = 15_000;

export interface FailedContext {
  /** This run put a config: without a put, a Failed state cannot be stale. */
  put: boolean;
  /** A state other than Failed has been seen since (the put's answer included). */
  seenOtherState: boolean;
  waitedMs: number;
  msLeft: number;
  pollIntervalMs: number;
}

/**
 * Whether a Failed state ends the wait. The grace ends a poll before the deadline, so that a real
 * failure is reported as one, not as a timeout.
 */
export function failedIsFinal(c: FailedContext): boolean {
  return !c.put || c.seenOtherState || c.waitedMs >= STALE_FAILED_GRACE_MS || c.msLeft <= c.pollIntervalMs;
}

/** The applied config is the goal, and no different config is still requested. */
export function isInEffect(goal: ScalingConfig, scaling: ScalingStatus): boolean {
  const pending = scaling.requested !== undefined && !sameConfig(scaling.requested, scaling.applied);
  return sameConfig(scaling.applied, goal) && !pending;
}

const CAPACITY_HINTS: Record<string, string> = {
  InsufficientCapacity: 'EC2 has no capacity for the instance types of the capacity provider right now: retry later, or allow more instance types or subnets in more Availability Zones.',
  VcpuLimitExceeded: "The account's EC2 vCPU quota for these instance types is reached: request a higher quota in Service Quotas, or lower max-execution-environments.",
  CapacityProviderScalingLimitExceeded: "The capacity provider's maximum vCPU count is reached: raise its scaling limit, or lower the scaling config of this or other versions.",
  EC2RequestLimitExceeded: 'EC2 throttled the instance launches: retry later, and avoid scaling many versions of the account at once.',
};

/** A one-line hint for a StateReasonCode, when there is one worth giving. */
export function stateReasonHint(code: string | undefined): string | undefined {
  if (!code) return undefined;
  // Own keys only: a code the model does not list (say `constructor`) must not find Object's members.
  if (Object.hasOwn(CAPACITY_HINTS, code)) return CAPACITY_HINTS[code];
  if (code.startsWith('FunctionError')) {
    return 'The function code failed to start in its execution environments: check its init code, handler, permissions and logs in CloudWatch, then deploy a fixed version.';
  }
  return undefined;
}

export interface StateReport {
  state?: string;
  stateReasonCode?: string;
  stateReason?: string;
  applied?: ScalingConfig;
  requested?: ScalingConfig;
}

export function failureMessage(target: string, report: StateReport): string {
  const reason = [report.stateReasonCode, report.stateReason].filter(Boolean).join(': ') || 'no reason given';
  const hint = stateReasonHint(report.stateReasonCode);
  return [`${target} is ${report.state}: ${reason.replace(/[.!]?$/, '.')}`, hint].filter(Boolean).join('\n');
}

export interface LastUpdate {
  status: string;
  reasonCode?: string;
  reason?: string;
}

/** The annotation title for a last update (a deploy) that failed: an error if it left the version Failed, else a warning. */
export const LAST_UPDATE_FAILED = 'Last update failed';

export function lastUpdateMessage(target: string, state: string | undefined, update: LastUpdate): string {
  const reason = [update.reasonCode, update.reason].filter(Boolean).join(': ') || 'no reason given';
  const effect =
    state === 'Failed'
      ? 'The version is Failed: it serves no code.'
      : `The version is still ${state ?? 'in its earlier state'} and serves the code from before that update; its scaling config is reported as usual.`;
  return [`The last update of ${target} (a deploy) failed: ${reason.replace(/[.!]?$/, '.')} ${effect}`, stateReasonHint(update.reasonCode)].filter(Boolean).join('\n');
}

export interface TimeoutReport extends StateReport {
  /** This step put the config. */
  put: boolean;
  lastUpdateStatus?: string;
  /** The last read-back of the config was throttled: the config reported is from an earlier read. */
  readBackThrottled?: boolean;
}

const READ_BACK_THROTTLED =
  "The last read-back of the config was throttled (Lambda's quota of 15 control-plane requests per second for the account and region is busy), so the config above may be out of date: run fewer jobs at once (max-parallel), or scale many targets in one step.";

export function timeoutMessage(target: string, minutes: number, goal: ScalingConfig, report: TimeoutReport): string {
  const reason = [report.stateReasonCode, report.stateReason].filter(Boolean).join(': ');
  const last = `Last state: ${report.state ?? 'unknown'}${reason ? ` (${reason})` : ''}; applied ${formatConfig(report.applied)}, ${report.requested ? `requested ${formatConfig(report.requested)}` : 'no change pending'}.`;
  if (report.lastUpdateStatus === 'InProgress') {
    return [
      `${target}: a deploy was still in progress (LastUpdateStatus InProgress) when wait-for-minutes (${minutes}) ran out, so the new code is not known to be live. ${last}`,
      `${report.put ? `${formatConfig(goal)} was put and stays put.` : 'Nothing was put.'} Raise wait-for-minutes, or check the deploy in the Lambda console.`,
    ].join('\n');
  }
  const fallback = report.put
    ? 'The change was put and Lambda may still finish it: raise wait-for-minutes (starting execution environments takes minutes), or check the version in the Lambda console.'
    : 'Nothing was put: the config was already applied, and the version did not reach the goal state in time. Raise wait-for-minutes, or check the version in the Lambda console.';
  const lines = [`${target} did not reach ${goalStateOf(goal)} with ${formatConfig(goal)} applied within wait-for-minutes (${minutes}). ${last}`, stateReasonHint(report.stateReasonCode) ?? fallback];
  if (report.readBackThrottled) lines.push(READ_BACK_THROTTLED);
  return lines.join('\n');
}
