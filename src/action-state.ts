import type { TargetProgress } from './scale-target.js';
import type { ScalingConfig } from './scaling-config.js';

/**
 * What the main step hands the post step through the runner's state (`core.saveState`, read back from
 * `STATE_<name>`): that the next run of the bundle is the post step, and each config it put.
 */
export const IS_POST = 'isPost';

/** One put of the main step: what a restore puts back, and over what. */
export interface SavedPut {
  /** The function as given (name, partial ARN or ARN). */
  function: string;
  /** The version the put went to: an alias resolved, since it may point elsewhere by the time of the restore. */
  version: string;
  region: string;
  /** The config applied before the put; null when none could be read. */
  previous: ScalingConfig | null;
  /** The config the step put. */
  put: ScalingConfig;
}

/**
 * Each put is saved under a name of its own (`put1`, `put2`, …, in the order accepted): a step of many
 * targets appends one small entry per put to the state file instead of the whole list again and again,
 * and no single `STATE_` variable grows past what one environment variable may hold.
 */
export function putStateName(index: number): string {
  return `put${index + 1}`;
}

export function encodePut(put: SavedPut): string {
  return JSON.stringify(put);
}

/** Saves each put for the post step, the moment it is accepted (the flow's `onPut`); `save` is `saveState`. */
export function putSaver(save: (name: string, value: string) => void): (p: TargetProgress) => void {
  let count = 0;
  return (p) => {
    const { fn, version, region, goal } = p.target;
    save(putStateName(count++), encodePut({ function: fn.name, version, region, previous: p.previous ?? null, put: goal }));
  };
}

/** Thrown for a state entry that is not one this action saved. */
export class StateError extends Error {}

/** The puts saved by the main step, in the order accepted; `read` is `getState`. */
export function readSavedPuts(read: (name: string) => string): SavedPut[] {
  const puts: SavedPut[] = [];
  for (let index = 0; ; index++) {
    const name = putStateName(index);
    const text = read(name);
    if (text === '') return puts;
    puts.push(decodePut(name, text));
  }
}

function decodePut(name: string, text: string): SavedPut {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new StateError(`the saved state ${name} is not JSON: ${text.slice(0, 100)}`);
  }
  const put = value as Partial<SavedPut> | null;
  const config = (c: unknown): c is ScalingConfig =>
    typeof c === 'object' && c !== null && Number.isInteger((c as ScalingConfig).min) && ((c as ScalingConfig).max === null || Number.isInteger((c as ScalingConfig).max));
  const valid =
    put !== null &&
    typeof put === 'object' &&
    typeof put.function === 'string' &&
    typeof put.version === 'string' &&
    typeof put.region === 'string' &&
    (put.previous === null || config(put.previous)) &&
    config(put.put);
  if (!valid) throw new StateError(`the saved state ${name} is not a put this action saved: ${text.slice(0, 100)}`);
  return { function: put.function!, version: put.version!, region: put.region!, previous: put.previous!, put: put.put! };
}
