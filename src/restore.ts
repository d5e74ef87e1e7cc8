import type { SavedPut } from './action-state.js';
import type { Annotation } from './errors.js';
import { parseFunctionName } from './input-values.js';
import type { ScalingStatus } from './lambda-api.js';
import type { TargetProgress } from './scale-target.js';
import { formatConfig, sameConfig, type ScalingConfig } from './scaling-config.js';
import type { RequestedTarget } from './targets.js';

/**
 * The post step's targets: each version the main step put a config on, back to the config applied
 * before (its goal), put only over the config the step put (`expected`). A put whose previous config
 * could not be read has nothing to go back to: it is in `unknown`, not a target.
 */
export function restoreTargets(puts: SavedPut[]): { targets: RequestedTarget[]; unknown: SavedPut[] } {
  const targets: RequestedTarget[] = [];
  const unknown: SavedPut[] = [];
  for (const put of puts) {
    if (put.previous === null) unknown.push(put);
    else targets.push({ fn: parseFunctionName(put.function), qualifier: put.version, goal: put.previous, region: put.region, expected: put.put });
  }
  return { targets, unknown };
}

export type RestoreGuard = { kind: 'put' } | { kind: 'leave'; found: ScalingConfig | undefined };

/**
 * Whether a restore may put over what it read: only while the version's latest config is still the one
 * the step put. The latest is the requested config while a change is pending (the step's own put may
 * still be settling), else the applied one. Anything else is someone else's change since: left alone.
 */
export function restoreGuard(expected: ScalingConfig, current: ScalingStatus): RestoreGuard {
  const latest = current.requested ?? current.applied;
  return sameConfig(latest, expected) ? { kind: 'put' } : { kind: 'leave', found: latest };
}

/** A value as the shell takes it: `$LATEST.PUBLISHED` quoted, names and ARNs as they are. */
function shellWord(value: string): string {
  return /^[A-Za-z0-9_.:/=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The AWS CLI command that puts `config` on a version; no maximum is MaxExecutionEnvironments left out. */
export function putCommand(functionName: string, version: string, config: ScalingConfig, region: string): string {
  return command(functionName, version, `MinExecutionEnvironments=${config.min}${config.max === null ? '' : `,MaxExecutionEnvironments=${config.max}`}`, region);
}

function command(functionName: string, version: string, scaling: string, region: string): string {
  return `aws lambda put-function-scaling-config --function-name ${shellWord(functionName)} --qualifier ${shellWord(version)} --function-scaling-config ${scaling} --region ${region}`;
}

/** What was last seen on the version: `5/20`, or `3/3 applied, 5/20 requested` while a change was pending. */
export function configLeft(p: Pick<TargetProgress, 'applied' | 'requested'>): string {
  return p.requested && !sameConfig(p.requested, p.applied) ? `${formatConfig(p.applied)} applied, ${formatConfig(p.requested)} requested` : formatConfig(p.applied);
}

/** What failed, from a target's error titled `<what>: <target>`: the restore's own title names the target. */
export function failureKind(p: Pick<TargetProgress, 'label' | 'error'>): string {
  const title = p.error?.title ?? '';
  return title.endsWith(`: ${p.label}`) ? title.slice(0, -p.label.length - 2) : title;
}

/** A failed restore: the target, the config left on it, why, and the command that puts it back by hand. */
export function restoreFailure(p: TargetProgress, why: string): Annotation {
  const { fn, version, region, goal } = p.target;
  return {
    title: `Not restored: ${p.label}`,
    message: `${p.label} was not put back to ${formatConfig(goal)}, its config before this job's scaling step. ${why}\nThe config left on it: ${configLeft(p)}. To put it back by hand:\n${putCommand(fn.name, version, goal, region)}`,
  };
}

/** A put whose previous config was never known: the step cannot tell what to put back. */
export function unknownPreviousFailure(put: SavedPut): Annotation {
  const label = `${parseFunctionName(put.function).key}:${put.version}`;
  return {
    title: `Not restored: ${label}`,
    message: `${label} was left at ${formatConfig(put.put)}, the config this job's scaling step put: no config was applied when the step read it before the put, so there is none to put back. Put the config it should have by hand, e.g.:\n${command(put.function, put.version, 'MinExecutionEnvironments=MIN,MaxExecutionEnvironments=MAX', put.region)}`,
  };
}

/** A version someone else changed since the step's put: what the warning says. */
export function leftAloneWarning(p: TargetProgress, found: ScalingConfig | undefined): Annotation {
  return {
    title: `Left as it is: ${p.label}`,
    message: `${p.label} was not put back to ${formatConfig(p.target.goal)}: its config is now ${formatConfig(found)}, not the ${formatConfig(p.target.expected)} this job's scaling step put, so someone (another step or person) changed it since. It was left as it is.`,
  };
}
