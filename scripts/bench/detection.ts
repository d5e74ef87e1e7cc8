// Detection and requests: a scale that takes a few seconds in the emulator, from its settle moment to the exit.
import type { RequestRecord } from '../../test/emulator/server.js';
import { expectSuccess, runAction, type BenchContext } from './process.js';
import { scaled, stats, TARGETS, type Row } from './report.js';

export interface Detection {
  /** Emulator settle moment (goal state reached, applied = requested) to the action's exit. */
  detectionMs: number[];
  /** Control-plane requests after the put, per target, per second from the put to the exit. */
  controlPlaneRate: number[];
  /** Most control-plane requests per target in any 1 s window of the run (the apply included). */
  controlPlanePeak: number[];
  getFunctionRate: number[];
  totalRequests: number[];
  /** From the last request to the process exit: outputs, summary, shutdown. */
  lastRequestToExitMs: number[];
  /** The operations of the last run, in order. */
  sequence: string[];
}

export interface Scenario {
  key: string;
  label: string;
  spec: (transitionMs: number) => { state?: 'Deactivated'; applied?: { min: number; max: number }; timings: { resizeMs: number; activateMs: number } };
  min: number;
  max: number;
  /** The transition lasts baseMs plus 0–1 s. */
  baseMs: number;
}

export const SCENARIOS: Scenario[] = [
  {
    key: 'resize',
    label: 'resize of an Active version, 3/3 → 2/6',
    spec: (ms) => ({ applied: { min: 3, max: 3 }, timings: { resizeMs: ms, activateMs: ms } }),
    min: 2,
    max: 6,
    baseMs: 2000,
  },
  {
    key: 'reactivate',
    label: 'reactivation of a Deactivated version, 0/0 → 1/4',
    spec: (ms) => ({ state: 'Deactivated', timings: { resizeMs: ms, activateMs: ms } }),
    min: 1,
    max: 4,
    baseMs: 2000,
  },
];

export async function measureDetection(ctx: BenchContext, node: string, scenario: Scenario): Promise<Detection> {
  const { emu, runs } = ctx;
  const result: Detection = { detectionMs: [], controlPlaneRate: [], controlPlanePeak: [], getFunctionRate: [], totalRequests: [], lastRequestToExitMs: [], sequence: [] };
  const isControlPlane = (r: RequestRecord) => r.operation !== 'GetFunction';
  for (let i = 0; i < runs; i++) {
    // The settle moment must fall anywhere in the 1 s poll period, as it does on AWS: the transition length is
    // spread evenly over one second (a whole number of seconds would line it up with the polls and flatter it).
    const transitionMs = Math.round(scenario.baseMs + ((i + 0.5) / runs) * 1000);
    const name = `${scenario.key}-${i}`;
    emu.addFunction({ name, versions: { '1': scenario.spec(transitionMs) } });
    const inputs = { 'function-name': name, qualifier: '1', 'min-execution-environments': String(scenario.min), 'max-execution-environments': String(scenario.max) };
    const run = await runAction(ctx, node, inputs);
    expectSuccess(`the action (${scenario.key})`, run);
    const end = emu.inspect(name, '1');
    if (end.state !== 'Active' || end.applied.min !== scenario.min || end.applied.max !== scenario.max || end.requested || end.settledAt === undefined) {
      throw new Error(`${name} did not end in effect: ${JSON.stringify(end)}`);
    }
    const puts = run.requests.filter((r) => r.operation === 'PutFunctionScalingConfig');
    if (puts.length === 0) throw new Error(`${name}: the action put nothing`);
    const targets = new Set(puts.map((r) => `${r.functionName}:${r.qualifier}`)).size;
    const putAt = puts[0].at;
    const waitingSeconds = (run.exitAt - putAt) / 1000;
    const afterPut = run.requests.filter((r) => r.at > putAt);
    const controlPlane = run.requests.filter(isControlPlane);
    const inWindow = (from: number) => controlPlane.filter((r) => r.at >= from && r.at < from + 1000).length;
    result.detectionMs.push(run.exitAt - end.settledAt);
    result.controlPlaneRate.push(afterPut.filter(isControlPlane).length / waitingSeconds / targets);
    result.controlPlanePeak.push(Math.max(...controlPlane.map((r) => inWindow(r.at))) / targets);
    result.getFunctionRate.push(afterPut.filter((r) => !isControlPlane(r)).length / waitingSeconds / targets);
    result.totalRequests.push(run.requests.length);
    result.lastRequestToExitMs.push(run.exitAt - run.requests[run.requests.length - 1].at);
    result.sequence = run.requests.map((r) => `${r.operation}@${Math.round(r.at - putAt)}ms`);
    process.stderr.write(`detection (${scenario.key}) ${i + 1}/${runs}\r`);
  }
  process.stderr.write('\n');
  return result;
}

export function detectionRows(scenario: Scenario, d: Detection): Row[] {
  const seconds = `${scenario.baseMs / 1000}–${scenario.baseMs / 1000 + 1} s`;
  const detection = stats(d.detectionMs);
  const rate = stats(d.controlPlaneRate);
  return [
    { measure: `Detection, settle to exit: ${scenario.label} (${seconds})`, unit: 's', stats: scaled(detection, 1 / 1000), digits: 2, target: `≤ ${TARGETS.detectionMedianMs / 1000} (median)`, pass: detection.median <= TARGETS.detectionMedianMs },
    { measure: `Control-plane requests per target per second while waiting: ${scenario.key}`, unit: '/s', stats: rate, digits: 2, target: `≤ ${TARGETS.controlPlanePerSecondPerTarget} (every run)`, pass: rate.max <= TARGETS.controlPlanePerSecondPerTarget },
    { measure: `Control-plane requests per target in any 1 s, apply included: ${scenario.key}`, unit: '', stats: stats(d.controlPlanePeak), digits: 0 },
    { measure: `GetFunction requests per target per second while waiting: ${scenario.key}`, unit: '/s', stats: stats(d.getFunctionRate), digits: 2 },
    { measure: `Requests in one run: ${scenario.key}`, unit: '', stats: stats(d.totalRequests), digits: 0 },
    { measure: `Last request to exit: ${scenario.key}`, unit: 'ms', stats: stats(d.lastRequestToExitMs), digits: 0 },
  ];
}
