// After a deploy (issue 9): the step starts while $LATEST.PUBLISHED is being republished, with a config to
// change. From the end of the publish to the accepted put, and the control-plane requests meanwhile.
import type { RequestRecord } from '../../test/emulator/server.js';
import { expectSuccess, now, runAction, type BenchContext } from './process.js';
import { scaled, stats, TARGETS, type Row } from './report.js';

const LATEST = '$LATEST.PUBLISHED';

export interface AfterDeploy {
  /** End of the publish to the arrival of the put that was accepted. */
  putAfterPublishMs: number[];
  /** Control-plane requests (all but GetFunction) per second, from the step's spawn to the end of the publish. */
  controlPlaneRate: number[];
  getFunctionRate: number[];
  /** Puts refused with ResourceConflictException in one run. */
  conflicts: number[];
  /** The operations of the last run, relative to the end of the publish. */
  sequence: string[];
}

/** The publish lasts BASE_MS plus 0–1 s, so that its end falls anywhere in the 1 s watch period. */
const BASE_MS = 8000;

export async function measureAfterDeploy(ctx: BenchContext, node: string): Promise<AfterDeploy> {
  const { emu, runs } = ctx;
  const result: AfterDeploy = { putAfterPublishMs: [], controlPlaneRate: [], getFunctionRate: [], conflicts: [], sequence: [] };
  const isControlPlane = (r: RequestRecord) => r.operation !== 'GetFunction';
  for (let i = 0; i < runs; i++) {
    const durationMs = Math.round(BASE_MS + ((i + 0.5) / runs) * 1000);
    const name = `deploy-${i}`;
    emu.addFunction({ name, versions: { [LATEST]: { applied: { min: 3, max: 3 } } } });
    // The deploy step has just published: the action starts while the new code is still starting.
    emu.republish(name, LATEST, { durationMs });
    const publishEnd = now() + durationMs;
    // wait: false: the put still waits for the deploy, and the resize after it is not what is measured here.
    const inputs = { 'function-name': name, qualifier: LATEST, 'min-execution-environments': '5', 'max-execution-environments': '10', wait: 'false' };
    const run = await runAction(ctx, node, inputs);
    expectSuccess('the action (after a deploy)', run);
    const puts = run.requests.filter((r) => r.operation === 'PutFunctionScalingConfig');
    const accepted = puts.find((r) => r.status === 202);
    if (!accepted) throw new Error(`${name}: no put was accepted: ${JSON.stringify(puts.map((r) => r.status))}`);
    const during = run.requests.filter((r) => r.at < publishEnd);
    const publishSeconds = (publishEnd - run.spawnAt) / 1000;
    result.putAfterPublishMs.push(accepted.at - publishEnd);
    result.controlPlaneRate.push(during.filter(isControlPlane).length / publishSeconds);
    result.getFunctionRate.push(during.filter((r) => !isControlPlane(r)).length / publishSeconds);
    result.conflicts.push(puts.filter((r) => r.status === 409).length);
    result.sequence = run.requests.map((r) => `${r.operation} ${r.status}@${Math.round(r.at - publishEnd)}ms`);
    process.stderr.write(`after a deploy ${i + 1}/${runs}\r`);
  }
  process.stderr.write('\n');
  return result;
}

export function afterDeployRows(d: AfterDeploy): Row[] {
  const put = stats(d.putAfterPublishMs);
  const rate = stats(d.controlPlaneRate);
  const seconds = `${BASE_MS / 1000}–${BASE_MS / 1000 + 1} s`;
  return [
    { measure: `After a deploy: end of the publish (${seconds}) to the accepted put`, unit: 's', stats: scaled(put, 1 / 1000), digits: 2, target: `≤ ${TARGETS.afterDeployPutMedianMs / 1000} (median)`, pass: put.median <= TARGETS.afterDeployPutMedianMs },
    { measure: 'After a deploy: control-plane requests per target per second while the publish runs', unit: '/s', stats: rate, digits: 2, target: `≤ ${TARGETS.afterDeployControlPlanePerSecond} (every run)`, pass: rate.max <= TARGETS.afterDeployControlPlanePerSecond },
    { measure: 'After a deploy: GetFunction requests per target per second while the publish runs', unit: '/s', stats: stats(d.getFunctionRate), digits: 2 },
    { measure: 'After a deploy: puts refused with ResourceConflictException', unit: '', stats: stats(d.conflicts), digits: 0 },
  ];
}
