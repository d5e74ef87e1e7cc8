// Many targets: one step scaling 50 functions up from 0/0, activations of 3 to 8 s.
import { expectSuccess, runAction, type BenchContext } from './process.js';
import { scaled, stats, TARGETS, type Row } from './report.js';

/** Targets of the many-targets measure, and its runs (each takes about 20 s). */
const MANY_TARGETS = 50;
const MANY_RUNS = 3;

export interface ManyTargets {
  /** The slowest target's settle moment to the step's exit. */
  afterSlowestMs: number[];
  /** The slowest settle moment, from the spawn. */
  slowestSettleMs: number[];
  /** Most control-plane requests of the whole step in any 1 s window. */
  controlPlanePeak: number[];
  totalRequests: number[];
}

export async function measureManyTargets(ctx: BenchContext, node: string): Promise<ManyTargets> {
  const { emu } = ctx;
  const result: ManyTargets = { afterSlowestMs: [], slowestSettleMs: [], controlPlanePeak: [], totalRequests: [] };
  for (let run = 0; run < MANY_RUNS; run++) {
    const names = Array.from({ length: MANY_TARGETS }, (_, i) => `many-${run}-${i}`);
    // The functions of an environment share a capacity provider (it holds up to 100 versions).
    emu.addCapacityProvider({ name: `many-cp-${run}`, maxVCpuCount: 15000 });
    names.forEach((name, i) => emu.addFunction({ name, capacityProvider: `many-cp-${run}`, versions: { '1': { state: 'Deactivated', timings: { activateMs: 3000 + ((i * 101) % 5000) } } } }));
    const finished = await runAction(ctx, node, { 'function-name': names.join('\n'), qualifier: '1', 'min-execution-environments': '1', 'max-execution-environments': '2' });
    expectSuccess('the action (many targets)', finished);
    const settled = names.map((name) => emu.inspect(name, '1').settledAt);
    if (settled.some((at) => at === undefined)) throw new Error('a target of the many-targets run did not settle');
    const slowest = Math.max(...(settled as number[]));
    const controlPlane = finished.requests.filter((r) => r.operation !== 'GetFunction').map((r) => r.at);
    result.afterSlowestMs.push(finished.exitAt - slowest);
    result.slowestSettleMs.push(slowest - finished.spawnAt);
    result.controlPlanePeak.push(Math.max(...controlPlane.map((start) => controlPlane.filter((t) => t >= start && t <= start + 1000).length)));
    result.totalRequests.push(finished.requests.length);
    process.stderr.write(`many targets ${run + 1}/${MANY_RUNS}\r`);
  }
  process.stderr.write('\n');
  return result;
}

export function manyTargetsRows(m: ManyTargets): Row[] {
  const after = stats(m.afterSlowestMs);
  const peak = stats(m.controlPlanePeak);
  return [
    { measure: `${MANY_TARGETS} targets in one step: slowest target's settle to exit`, unit: 's', stats: scaled(after, 1 / 1000), digits: 2, target: `≤ ${TARGETS.manyTargetsAfterSlowestMs / 1000} (every run)`, pass: after.max <= TARGETS.manyTargetsAfterSlowestMs },
    { measure: `${MANY_TARGETS} targets in one step: slowest target settled, from spawn`, unit: 's', stats: scaled(stats(m.slowestSettleMs), 1 / 1000), digits: 1 },
    { measure: `${MANY_TARGETS} targets in one step: control-plane requests in any 1 s`, unit: '', stats: peak, digits: 0, target: `≤ ${TARGETS.manyTargetsControlPlanePeak} (every run)`, pass: peak.max <= TARGETS.manyTargetsControlPlanePeak },
    { measure: `${MANY_TARGETS} targets in one step: requests in one run`, unit: '', stats: stats(m.totalRequests), digits: 0 },
  ];
}
