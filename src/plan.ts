import type { ScalingStatus } from './lambda-api.js';
import { formatConfig, goalStateOf, sameConfig, type ScalingConfig } from './scaling-config.js';
import { isInEffect } from './wait-decision.js';

/** What a real run would do to one version, as a dry run reports it. */
export interface Plan {
  /** A real run would put the config: it is not in effect, or another one is still pending. */
  change: boolean;
  /** What a reviewer should know beyond current → requested. */
  notes: string[];
}

/** The same decision a real run makes before its put, with the consequences spelled out. */
export function planFor(goal: ScalingConfig, current: ScalingStatus, version: { state?: string; lastUpdateStatus?: string; wait: boolean }): Plan {
  const { state, lastUpdateStatus, wait } = version;
  const change = !isInEffect(goal, current);
  const notes: string[] = [];
  if (current.requested && !sameConfig(current.requested, current.applied)) notes.push(`${formatConfig(current.requested)} is still being applied`);
  if (change && goalStateOf(goal) === 'Deactivated') notes.push('deactivates the version: its execution environments stop');
  if (change && goalStateOf(goal) === 'Active' && state === 'Deactivated') notes.push('reactivates the version: starting execution environments takes minutes');
  if (state === 'Failed' || state === 'Deleting') notes.push(`the version is ${state}`);
  if (lastUpdateStatus === 'InProgress') {
    notes.push(`a deploy is still in progress${change ? ': a real run puts the config once it ends' : wait ? ': a real run waits for it to end' : ''}`);
  }
  if (lastUpdateStatus === 'Failed') notes.push('its last update failed');
  return { change, notes };
}

/** The plan cell and log text: `3/3 → 5/20`, or `5/20: no change`. */
export function describePlan(goal: ScalingConfig, current: ScalingStatus, plan: Plan): string {
  const what = plan.change ? `${formatConfig(current.applied)} → ${formatConfig(goal)}` : `${formatConfig(goal)}: no change`;
  return plan.notes.length ? `${what} (${plan.notes.join('; ')})` : what;
}
