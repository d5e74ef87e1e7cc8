// The benchmark's figures: targets, statistics over runs, result rows and the markdown table.

export const TARGETS = {
  /** Action start-up to first request over the CLI's, median of the per-round ratios. */
  startupRatio: 0.5,
  /** Emulator settle moment to the action's exit, median. */
  detectionMedianMs: 1200,
  /** Control-plane requests (all but GetFunction) per target per second while waiting, in every run. */
  controlPlanePerSecondPerTarget: 2,
  bundleBytes: 1_500_000,
  /** Many targets in one step (issue 4): the slowest target's settle moment to the step's exit. */
  manyTargetsAfterSlowestMs: 3000,
  /** Control-plane requests of the whole step in any 1 s window, however many targets. */
  manyTargetsControlPlanePeak: 10,
  /** After a deploy (issue 9): end of the publish to the accepted put, median. */
  afterDeployPutMedianMs: 1500,
  /** Control-plane requests per target per second while the publish runs, in every run. */
  afterDeployControlPlanePerSecond: 0.5,
  /** A matrix of jobs sharing the account's quota (issue 10): throttled answers over all answers, in every run. */
  matrixThrottleShare: 0.08,
  /** Each job's exit after its own version settled: the median job and the slowest, in every run. */
  matrixMedianAfterSettleMs: 1000,
  matrixSlowestAfterSettleMs: 3000,
  /** Up to this many jobs, no throttle after the first 2 s. */
  matrixCalmJobs: 5,
  /** A spec of 200 targets (issue 18): its exit over the later of 1.1 × its floor and 3 s after the slowest settle, in every run. */
  specBoundRatio: 1,
  /** The same targets and config from a spec file over from function-name: time and peak RSS, median of the rounds (no worse, but for noise). */
  specSameRatio: 1.05,
  /** Its first request over a one-target step's, median of the rounds: no later, but for start-up noise. */
  specFirstRequestRatio: 1.1,
};

export interface Stats {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

export function scaled(s: Stats, factor: number): Stats {
  return { median: s.median * factor, min: s.min * factor, max: s.max * factor, n: s.n };
}

export interface Row {
  measure: string;
  unit: string;
  /** Over the runs; or `value` for a single figure. */
  stats?: Stats;
  value?: number;
  digits: number;
  target?: string;
  /** Absent: informational. null: the target could not be measured here. */
  pass?: boolean | null;
}

export type Result = 'info' | 'skipped' | 'pass' | 'fail';

export function resultOf(r: Row): Result {
  return r.pass === undefined ? 'info' : r.pass === null ? 'skipped' : r.pass ? 'pass' : 'fail';
}

const RESULT_TEXT: Record<Result, string> = { info: '', skipped: 'not measured', pass: '✅ pass', fail: '❌ fail' };

export function markdownTable(rows: Row[]): string {
  const f = (v: number | undefined, digits: number) => (v === undefined ? '–' : v.toFixed(digits));
  const lines = ['| Measure | Median | Min | Max | Target | Result |', '|---|--:|--:|--:|---|---|'];
  for (const r of rows) {
    const label = `${r.measure}${r.unit ? ` (${r.unit})` : ''}`;
    const figures = r.value !== undefined ? [f(r.value, r.digits), '', ''] : [f(r.stats?.median, r.digits), f(r.stats?.min, r.digits), f(r.stats?.max, r.digits)];
    lines.push(`| ${[label, ...figures, r.target ?? '', RESULT_TEXT[resultOf(r)]].join(' | ')} |`);
  }
  return lines.join('\n');
}
