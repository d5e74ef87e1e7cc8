// A matrix of jobs: N processes of the action started together against one account, the emulator enforcing
// Lambda's account-wide quota (15 control-plane requests/s shared, GetFunction 100/s). Each job scales one
// alias of its own function: an Active version resized from 3/3 to 2/20, settling 6 s after its put.
import type { RequestRecord } from '../../test/emulator/server.js';
import { expectSuccess, runAction, type BenchContext } from './process.js';
import { scaled, stats, TARGETS, type Row } from './report.js';

const SETTLE_MS = 6000;

export interface Matrix {
  jobs: number;
  /** Per round: throttled answers, and their share of all answers. */
  throttles: number[];
  throttleShare: number[];
  /** Per round: throttled answers more than 2 s after the round's first request. */
  lateThrottles: number[];
  /** Per round: the median and the slowest job's exit after its own version settled. */
  medianAfterSettleMs: number[];
  slowestAfterSettleMs: number[];
  /** Per round: control-plane requests (throttled ones included) per second, all jobs together. */
  controlPlanePerSecond: number[];
  /** Per round: the latest put after its job's first request. */
  slowestPutMs: number[];
  answers: number[];
  /** The slowest job of the last round: its requests, from its version's settle moment, then its exit. */
  slowestSequence: string[];
}

export async function measureMatrix(ctx: BenchContext, node: string, jobs: number): Promise<Matrix> {
  const { emu, runs } = ctx;
  const result: Matrix = { jobs, throttles: [], throttleShare: [], lateThrottles: [], medianAfterSettleMs: [], slowestAfterSettleMs: [], controlPlanePerSecond: [], slowestPutMs: [], answers: [], slowestSequence: [] };
  emu.setQuota(true);
  try {
    for (let round = 0; round < runs; round++) {
      const names = Array.from({ length: jobs }, (_, i) => `matrix-${round}-${i}`);
      for (const name of names) emu.addFunction({ name, versions: { '1': { applied: { min: 3, max: 3 }, timings: { resizeMs: SETTLE_MS } } }, aliases: { live: { version: '1' } } });
      const first = emu.requests.length;
      const finished = await Promise.all(
        names.map((name) => runAction(ctx, node, { 'function-name': name, qualifier: 'live', 'min-execution-environments': '2', 'max-execution-environments': '20' })),
      );
      finished.forEach((run, i) => expectSuccess(`matrix job ${i + 1} of ${jobs}`, run));
      const requests = emu.requests.slice(first);
      const afterSettle = names.map((name, i) => {
        const end = emu.inspect(name, '1');
        if (end.applied.min !== 2 || end.applied.max !== 20 || end.requested || end.settledAt === undefined) throw new Error(`${name} did not end in effect: ${JSON.stringify(end)}`);
        return finished[i].exitAt - end.settledAt;
      });
      const throttled = requests.filter((r) => r.status === 429);
      const startAt = requests[0].at;
      const controlPlane = requests.filter((r) => r.operation !== 'GetFunction');
      const lastExit = Math.max(...finished.map((f) => f.exitAt));
      result.throttles.push(throttled.length);
      result.throttleShare.push(throttled.length / requests.length);
      result.lateThrottles.push(throttled.filter((r) => r.at > startAt + 2000).length);
      result.medianAfterSettleMs.push(stats(afterSettle).median);
      result.slowestAfterSettleMs.push(Math.max(...afterSettle));
      result.controlPlanePerSecond.push(controlPlane.length / ((lastExit - startAt) / 1000));
      result.slowestPutMs.push(Math.max(...names.map((name) => putDelay(requests, name))));
      result.answers.push(requests.length);
      const slowest = afterSettle.indexOf(Math.max(...afterSettle));
      const settledAt = finished[slowest].exitAt - afterSettle[slowest];
      const own = requests.filter((r) => r.functionName === names[slowest]);
      result.slowestSequence = [...own.map((r) => `${r.operation}${r.status === 429 ? ' (throttled)' : ''}@${Math.round(r.at - settledAt)}ms`), `exit@${Math.round(afterSettle[slowest])}ms`];
      process.stderr.write(`matrix (${jobs} jobs) ${round + 1}/${runs}\r`);
    }
  } finally {
    emu.setQuota(false);
  }
  process.stderr.write('\n');
  return result;
}

/** From a job's first request to its accepted put. */
function putDelay(requests: RequestRecord[], name: string): number {
  const own = requests.filter((r) => r.functionName === name);
  const put = own.find((r) => r.operation === 'PutFunctionScalingConfig' && r.status === 202);
  if (!put) throw new Error(`${name}: no accepted put`);
  return put.at - own[0].at;
}

export function matrixRows(m: Matrix): Row[] {
  const label = `Matrix of ${m.jobs} jobs`;
  const share = stats(m.throttleShare);
  const median = stats(m.medianAfterSettleMs);
  const slowest = stats(m.slowestAfterSettleMs);
  const late = stats(m.lateThrottles);
  const rows: Row[] = [
    { measure: `${label}: throttled answers`, unit: '', stats: stats(m.throttles), digits: 0 },
    { measure: `${label}: throttled share of all answers`, unit: '%', stats: scaled(share, 100), digits: 1, target: `≤ ${TARGETS.matrixThrottleShare * 100} (every run)`, pass: share.max <= TARGETS.matrixThrottleShare },
    { measure: `${label}: median job, own settle to exit`, unit: 's', stats: scaled(median, 1 / 1000), digits: 2, target: `≤ ${TARGETS.matrixMedianAfterSettleMs / 1000} (every run)`, pass: median.max <= TARGETS.matrixMedianAfterSettleMs },
    { measure: `${label}: slowest job, own settle to exit`, unit: 's', stats: scaled(slowest, 1 / 1000), digits: 2, target: `≤ ${TARGETS.matrixSlowestAfterSettleMs / 1000} (every run)`, pass: slowest.max <= TARGETS.matrixSlowestAfterSettleMs },
    { measure: `${label}: control-plane requests per second, all jobs`, unit: '/s', stats: stats(m.controlPlanePerSecond), digits: 1 },
    { measure: `${label}: slowest put, from its job's first request`, unit: 's', stats: scaled(stats(m.slowestPutMs), 1 / 1000), digits: 1 },
    { measure: `${label}: answers in one run`, unit: '', stats: stats(m.answers), digits: 0 },
  ];
  // Few jobs fit in the quota: once the start-up is past, none should be throttled.
  const lateTarget = m.jobs <= TARGETS.matrixCalmJobs ? { target: '0 (every run)', pass: late.max === 0 } : {};
  rows.splice(2, 0, { measure: `${label}: throttled answers after the first 2 s`, unit: '', stats: late, digits: 0, ...lateTarget });
  return rows;
}
