import { backoffMs } from './backoff.js';
import type { VersionStatus } from './lambda-api.js';

/** GetFunction is read this often while a deploy runs: the put follows its end within about a second. */
export const WATCH_INTERVAL_MS = 1000;

/** A deploy is updating the version: a put now would be answered with ResourceConflictException. */
export function isBusy(status: VersionStatus): boolean {
  return status.lastUpdateStatus === 'InProgress' || status.state === 'Pending';
}

/** The deploy itself failed and left the version Failed: there is nothing to put the config on. */
export function deployFailed(status: VersionStatus): boolean {
  return status.state === 'Failed' && status.lastUpdateStatus === 'Failed';
}

export type AfterConflict =
  /** Read GetFunction again after `delayMs`; no control-plane request meanwhile. */
  | { kind: 'watch'; delayMs: number }
  /** Put again after `delayMs`. */
  | { kind: 'put'; delayMs: number }
  | { kind: 'deploy-failed' };

/**
 * What to do after a put was answered with ResourceConflictException, given the GetFunction read made
 * since. `conflictsWhileFree` counts the 409s answered to puts made after GetFunction had shown the
 * version free: the first put (made without a read) and the first put after a deploy ended go at once;
 * a 409 that GetFunction cannot explain backs off (0.5–1 s, doubling up to 4–8 s), so an update that
 * GetFunction does not show cannot turn the step into a storm of puts.
 */
export function afterConflict(status: VersionStatus, conflictsWhileFree: number, random: () => number = Math.random): AfterConflict {
  if (deployFailed(status)) return { kind: 'deploy-failed' };
  if (isBusy(status)) return { kind: 'watch', delayMs: WATCH_INTERVAL_MS };
  if (conflictsWhileFree === 0) return { kind: 'put', delayMs: 0 };
  return { kind: 'put', delayMs: backoffMs(conflictsWhileFree - 1, 1000, 8000, random) };
}
