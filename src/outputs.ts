import type { TargetProgress } from './scale-target.js';
import type { ScalingConfig } from './scaling-config.js';

export interface TargetResult {
  function: string;
  qualifier: string;
  region: string;
  via: string[];
  version: string | null;
  functionArn: string | null;
  state: string | null;
  changed: boolean | null;
  previous: ScalingConfig | null;
  applied: ScalingConfig | null;
  /** The config this step asks for (in a dry run, the one it would put); null for a version asked for with two configs. */
  requested: ScalingConfig | null;
  waitedSeconds: number | null;
  /** The version's last update (deploy) as GetFunction last reported it. */
  lastUpdate: { status: string; reasonCode: string | null; reason: string | null } | null;
  error: string | null;
  /** A failed last update, when the error does not already report it. */
  warning: string | null;
}

export function toResult(p: TargetProgress): TargetResult {
  return {
    function: p.target.fn.name,
    qualifier: p.target.via[0],
    region: p.target.region,
    via: p.target.via,
    version: p.target.version || null,
    functionArn: p.functionArn ?? null,
    state: p.state ?? null,
    changed: p.changed ?? null,
    previous: p.previous ?? null,
    applied: p.applied ?? null,
    requested: p.target.conflict ? null : p.target.goal,
    waitedSeconds: p.waitedMs === undefined ? null : Math.round(p.waitedMs / 100) / 10,
    lastUpdate: p.lastUpdate ? { status: p.lastUpdate.status, reasonCode: p.lastUpdate.reasonCode ?? null, reason: p.lastUpdate.reason ?? null } : null,
    error: p.error ? `${p.error.title}: ${p.error.message}` : null,
    warning: p.warning ? `${p.warning.title}: ${p.warning.message}` : null,
  };
}

/** The step's outputs. The single-value ones describe the first requested target's primary version; `results` has every target. */
export function actionOutputs(progress: TargetProgress[]): Record<string, string> {
  const first = progress.find((p) => p.target.primary) ?? progress[0];
  // A target whose state could not be read (it failed first) counts as '' (no state).
  const states = new Set(progress.map((p) => p.state ?? ''));
  return {
    'function-state': states.size === 1 ? [...states][0] : 'Mixed',
    'function-arn': first?.functionArn ?? '',
    version: first?.target.version ?? '',
    // Unknown ('') when no target got as far as reading its config.
    changed: progress.some((p) => p.changed) ? 'true' : progress.some((p) => p.changed === false) ? 'false' : '',
    'previous-min-execution-environments': first?.previous ? String(first.previous.min) : '',
    // Empty also for a previous config with no maximum (the service's default): there is no number to give.
    'previous-max-execution-environments': first?.previous?.max != null ? String(first.previous.max) : '',
    results: JSON.stringify(progress.map(toResult)),
  };
}
