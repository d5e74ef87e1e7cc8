import type { Clock } from './clock.js';
import type { TargetProgress } from './scale-target.js';
import { formatConfig, goalStateOf, type ScalingConfig } from './scaling-config.js';
import { decide } from './wait-decision.js';

/** A line about every 30 s: often enough that a step never looks hung, rarely enough to stay readable. */
export const BEAT_INTERVAL_MS = 30_000;
/** With this many targets or fewer left waiting, the beat names the slowest. */
export const FEW_LEFT = 3;

export interface BeatContext {
  now: number;
  startedAt: number;
  deadline: number;
  /** Without a wait, a target is done once its config is put (or found in effect). */
  wait: boolean;
}

/** Where a target that is not yet in effect stands, as the beat tells it. */
interface Standing {
  /** Further from done first: the slowest target is one at the lowest stage. */
  stage: number;
  /** Its group in the line for many targets: `8 Active with the config converging`. */
  group: string;
  /** `Pending`, `Active, applying 2/5`. */
  status: string;
  /** `applied 0/0, requested 2/5`. */
  config: string;
}

type Condition = (p: TargetProgress, goal: ScalingConfig) => Standing | undefined;

/**
 * What a target still waits for; the first condition that holds names it, else its state does. A new one
 * (a deploy still in progress, say) is one more entry, placed before the ones it should win over.
 */
const CONDITIONS: Condition[] = [
  // A deploy still updating the version comes first: nothing else about it can be judged until it ends.
  (p, goal) =>
    p.lastUpdate?.status === 'InProgress'
      ? { stage: 0, group: 'with a deploy still in progress', status: `${p.state ?? 'waiting'} with a deploy still in progress`, config: appliedAndRequested(p, goal) }
      : undefined,
  (p, goal) =>
    p.changed === undefined
      ? { stage: 0, group: 'waiting to put the config', status: `waiting to put ${formatConfig(goal)}`, config: `applied ${formatConfig(p.applied)}` }
      : undefined,
  (p, goal) =>
    p.state === undefined ? { stage: 1, group: 'waiting for a first state', status: 'waiting for a first state', config: appliedAndRequested(p, goal) } : undefined,
  // The goal state alone is not enough: an Active version being resized stays Active while its applied config converges.
  (p, goal) =>
    p.state === goalStateOf(goal)
      ? { stage: 3, group: `${p.state} with the config converging`, status: `${p.state}, applying ${formatConfig(goal)}`, config: `applied ${formatConfig(p.applied)}` }
      : undefined,
];

function appliedAndRequested(p: TargetProgress, goal: ScalingConfig): string {
  return `applied ${formatConfig(p.applied)}, requested ${formatConfig(goal)}`;
}

function standingOf(p: TargetProgress): Standing {
  const { goal } = p.target;
  for (const condition of CONDITIONS) {
    const standing = condition(p, goal);
    if (standing) return standing;
  }
  return { stage: 2, group: p.state!, status: p.state!, config: appliedAndRequested(p, goal) };
}

/** In effect as the wait itself decides it, from what the wait has read so far. */
function inEffect(p: TargetProgress): boolean {
  return !p.error && decide(p.target.goal, p.state, { applied: p.applied, requested: p.requested }, true, p.lastUpdate?.status).kind === 'done';
}

/** Its chain has ended (without a wait, once put), or the wait would end it now. */
function finished(p: TargetProgress): boolean {
  return p.waitedMs !== undefined || inEffect(p);
}

/**
 * The heartbeat's line, from what the wait already knows (no request): for one target its state, reason
 * and config; for several, how many are in effect and the rest grouped. Undefined when none is left waiting.
 */
export function heartbeatLine(targets: TargetProgress[], ctx: BeatContext): string | undefined {
  const waiting = targets.filter((p) => !p.error && !finished(p)).map((p) => ({ p, standing: standingOf(p) }));
  if (waiting.length === 0) return undefined;
  const left = `${duration(ctx.deadline - ctx.now)} left`;
  if (targets.length === 1) {
    const [{ p, standing }] = waiting;
    const reason = [p.stateReasonCode, p.stateReason].filter(Boolean).join(': ');
    return `${p.label}: still ${standing.status} after ${duration(ctx.now - ctx.startedAt)}${reason ? ` (${reason})` : ''}; ${standing.config}; ${left}`;
  }
  const groups = new Map<string, { stage: number; count: number }>();
  for (const { standing } of waiting) {
    const group = groups.get(standing.group) ?? { stage: standing.stage, count: 0 };
    group.count++;
    groups.set(standing.group, group);
  }
  const failed = targets.filter((p) => p.error).length;
  const counts = [...groups].sort(([, a], [, b]) => a.stage - b.stage).map(([name, { count }]) => `${count} ${name}`);
  if (failed) counts.push(`${failed} failed`);
  const parts = [`${targets.length - waiting.length - failed} of ${targets.length} ${ctx.wait ? 'in effect' : 'done'}`, counts.join(', ')];
  if (waiting.length <= FEW_LEFT) {
    const { p, standing } = slowest(waiting);
    parts.push(`slowest ${p.label} is ${standing.status}: ${standing.config}`);
  }
  return [...parts, left].join('; ');
}

/** The least far along; among equals, the one longest in its state, then the first listed. */
function slowest(waiting: { p: TargetProgress; standing: Standing }[]) {
  const since = (p: TargetProgress) => p.states.at(-1)?.atMs ?? 0;
  return waiting.reduce((a, b) => (b.standing.stage < a.standing.stage || (b.standing.stage === a.standing.stage && since(b.p) < since(a.p)) ? b : a));
}

/** `1m 30s`, `13m`, `45s`, `1h 5m`: whole seconds. */
export function duration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const parts = [
    [Math.floor(total / 3600), 'h'],
    [Math.floor(total / 60) % 60, 'm'],
    [total % 60, 's'],
  ].filter(([n]) => n !== 0);
  return parts.map(([n, unit]) => `${n}${unit}`).join(' ') || '0s';
}

/**
 * Logs the heartbeat's line every BEAT_INTERVAL_MS while `work` runs, and settles as it does. The beat
 * stops the moment the work ends: its sleep is aborted, so nothing is left to keep the process alive.
 */
export async function withHeartbeat<T>(
  clock: Clock,
  signal: AbortSignal,
  log: (message: string) => void,
  line: () => string | undefined,
  work: Promise<T>,
): Promise<T> {
  const stop = new AbortController();
  const until = AbortSignal.any([signal, stop.signal]);
  const beats = (async () => {
    while (!until.aborted) {
      try {
        await clock.sleepInBackground(BEAT_INTERVAL_MS, until);
      } catch (error) {
        if (until.aborted) return;
        throw error;
      }
      const text = line();
      if (text) log(text);
    }
  })();
  // Handled here so a failing beat is not an unhandled rejection; the finally below still rethrows it.
  beats.catch(() => undefined);
  try {
    return await work;
  } finally {
    stop.abort();
    await beats;
  }
}
