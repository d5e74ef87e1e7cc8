// A whole environment from a spec file: 200 targets in one step, each with its own config, and changes
// that take as long as real ones. Beside it, in the same round: its baseline (200 targets at one config
// from function-name, 3-s changes), the same 200 targets and config from a spec file (what the spec alone
// costs), and a one-target step for the time to the first request.
import { CONTROL_PLANE_PER_SECOND } from '../../src/request-engine.js';
import { expectSuccess, runAction, type BenchContext, type Finished } from './process.js';
import { scaled, stats, TARGETS, type Row } from './report.js';

const SPEC_TARGETS = 200;
/** A capacity provider holds at most 100 versions: the 200 of a round are spread over four, each with room for all. */
const PROVIDERS = 4;
/** Rounds of the three runs (each round takes about three minutes). */
const SPEC_RUNS = 3;

export interface SpecMeasure {
  /** The spec step's spawn to exit. */
  specMs: number[];
  /** Its floor: 3 control-plane requests per changed target at the step's pace. */
  specFloorMs: number[];
  /** Its slowest target's settle moment to its exit. */
  specAfterSlowestMs: number[];
  /** Its exit over the later of 1.1 × the floor and 3 s after the slowest settle: ≤ 1 meets the target. */
  specBoundRatio: number[];
  specPeakRssBytes: number[];
  specFirstRequestMs: number[];
  baselineMs: number[];
  baselineFloorMs: number[];
  baselinePeakRssBytes: number[];
  /** The baseline's targets and config, from a spec file. */
  sameAsSpecMs: number[];
  sameAsSpecPeakRssBytes: number[];
  oneTargetFirstRequestMs: number[];
}

/** Target i of a round: a third of every five resized, one deactivated, one already in effect. */
function specTarget(round: number, i: number) {
  const name = `env-${round}-${i}`;
  const slow = 20_000 + ((i * 7919) % 20_000);
  switch (i % 5) {
    case 3:
      return { name, version: { timings: { deactivateMs: slow } }, line: `- ${name}:1 0/0`, changed: true };
    case 4:
      return { name, version: { applied: { min: 1, max: 4 } }, line: `- ${name}:1 1/4`, changed: false };
    default:
      return { name, version: { applied: { min: 3, max: 3 }, timings: { resizeMs: slow } }, line: `- ${name}:1 ${i % 2 ? '2/6' : '4/none'}`, changed: true };
  }
}

const floorMs = (changed: number) => (3 * changed * 1000) / CONTROL_PLANE_PER_SECOND;
const firstRequestMs = (run: Finished) => run.requests[0].at - run.spawnAt;

function slowestSettle(ctx: BenchContext, names: string[]): number {
  const settled = names.map((name) => ctx.emu.inspect(name, '1').settledAt);
  if (settled.some((at) => at === undefined)) throw new Error('a target of the spec run did not settle');
  return Math.max(...(settled as number[]));
}

export async function measureSpec(ctx: BenchContext, node: string): Promise<SpecMeasure> {
  const { emu } = ctx;
  const m: SpecMeasure = {
    specMs: [],
    specFloorMs: [],
    specAfterSlowestMs: [],
    specBoundRatio: [],
    specPeakRssBytes: [],
    specFirstRequestMs: [],
    baselineMs: [],
    baselineFloorMs: [],
    baselinePeakRssBytes: [],
    sameAsSpecMs: [],
    sameAsSpecPeakRssBytes: [],
    oneTargetFirstRequestMs: [],
  };
  const fromSpecFile = (text: string) => runAction(ctx, node, { 'scaling-file': 'production.yml', 'function-name': '', qualifier: '', 'min-execution-environments': '', 'max-execution-environments': '' }, { 'production.yml': text });
  for (let round = 0; round < SPEC_RUNS; round++) {
    const providers = Array.from({ length: PROVIDERS }, (_, i) => `env-cp-${round}-${i}`);
    for (const name of providers) emu.addCapacityProvider({ name, maxVCpuCount: 15000 });
    const on = (i: number) => providers[i % PROVIDERS];
    emu.addFunction({ name: `one-${round}`, versions: { '1': { applied: { min: 2, max: 4 } } } });
    const one = await runAction(ctx, node, { 'function-name': `one-${round}`, qualifier: '1', 'min-execution-environments': '2', 'max-execution-environments': '4' });
    expectSuccess('the action (one target)', one);
    m.oneTargetFirstRequestMs.push(firstRequestMs(one));

    const baselineNames = Array.from({ length: SPEC_TARGETS }, (_, i) => `base-${round}-${i}`);
    baselineNames.forEach((name, i) => emu.addFunction({ name, capacityProvider: on(i), versions: { '1': { applied: { min: 3, max: 3 }, timings: { resizeMs: 3000 } } } }));
    const baseline = await runAction(ctx, node, { 'function-name': baselineNames.join('\n'), qualifier: '1', 'min-execution-environments': '2', 'max-execution-environments': '6' });
    expectSuccess('the action (200 targets at one config)', baseline);
    m.baselineMs.push(baseline.exitAt - baseline.spawnAt);
    m.baselineFloorMs.push(floorMs(SPEC_TARGETS));
    m.baselinePeakRssBytes.push(baseline.peakRssBytes);

    const sameNames = Array.from({ length: SPEC_TARGETS }, (_, i) => `same-${round}-${i}`);
    sameNames.forEach((name, i) => emu.addFunction({ name, capacityProvider: on(i), versions: { '1': { applied: { min: 3, max: 3 }, timings: { resizeMs: 3000 } } } }));
    const same = await fromSpecFile(sameNames.map((name) => `- ${name}:1 2/6`).join('\n'));
    expectSuccess('the action (200 targets at one config, from a spec)', same);
    m.sameAsSpecMs.push(same.exitAt - same.spawnAt);
    m.sameAsSpecPeakRssBytes.push(same.peakRssBytes);

    const targets = Array.from({ length: SPEC_TARGETS }, (_, i) => specTarget(round, i));
    targets.forEach((t, i) => emu.addFunction({ name: t.name, capacityProvider: on(i), versions: { '1': t.version } }));
    const spec = `# production\n${targets.map((t) => t.line).join('\n')}\n`;
    const run = await fromSpecFile(spec);
    expectSuccess('the action (a spec of 200 targets)', run);
    const slowest = slowestSettle(ctx, targets.filter((t) => t.changed).map((t) => t.name));
    const floor = floorMs(targets.filter((t) => t.changed).length);
    const took = run.exitAt - run.spawnAt;
    m.specMs.push(took);
    m.specFloorMs.push(floor);
    m.specAfterSlowestMs.push(run.exitAt - slowest);
    m.specBoundRatio.push(took / Math.max(1.1 * floor, slowest + 3000 - run.spawnAt));
    m.specPeakRssBytes.push(run.peakRssBytes);
    m.specFirstRequestMs.push(firstRequestMs(run));
    process.stderr.write(`spec ${round + 1}/${SPEC_RUNS}: ${(took / 1000).toFixed(1)} s, slowest settle to exit ${((run.exitAt - slowest) / 1000).toFixed(1)} s\n`);
  }
  return m;
}

export function specRows(m: SpecMeasure): Row[] {
  const bound = stats(m.specBoundRatio);
  const rss = stats(m.specPeakRssBytes);
  const baselineRss = stats(m.baselinePeakRssBytes);
  const first = stats(m.specFirstRequestMs);
  const oneFirst = stats(m.oneTargetFirstRequestMs);
  const firstRatio = stats(m.specFirstRequestMs.map((ms, i) => ms / m.oneTargetFirstRequestMs[i]));
  const baselineRatio = stats(m.baselineMs.map((ms, i) => ms / m.baselineFloorMs[i]));
  const sameRatio = stats(m.sameAsSpecMs.map((ms, i) => ms / m.baselineMs[i]));
  const sameRss = stats(m.sameAsSpecPeakRssBytes.map((bytes, i) => bytes / m.baselinePeakRssBytes[i]));
  const ms = (values: number[]) => scaled(stats(values), 1 / 1000);
  return [
    { measure: `Spec of ${SPEC_TARGETS} targets, mixed configs, 20–40 s changes: spawn to exit`, unit: 's', stats: ms(m.specMs), digits: 1 },
    { measure: `Spec of ${SPEC_TARGETS} targets: floor (3 control-plane requests per changed target at ${CONTROL_PLANE_PER_SECOND}/s)`, unit: 's', stats: ms(m.specFloorMs), digits: 1 },
    { measure: `Spec of ${SPEC_TARGETS} targets: slowest target's settle to exit`, unit: 's', stats: ms(m.specAfterSlowestMs), digits: 2 },
    {
      measure: `Spec of ${SPEC_TARGETS} targets: exit over the later of 1.1 × floor and slowest settle + 3 s`,
      unit: '',
      stats: bound,
      digits: 2,
      target: `≤ ${TARGETS.specBoundRatio} (every run)`,
      pass: bound.max <= TARGETS.specBoundRatio,
    },
    { measure: `Spec of ${SPEC_TARGETS} targets: peak RSS`, unit: 'MB', stats: scaled(rss, 1e-6), digits: 0 },
    { measure: `Baseline: ${SPEC_TARGETS} targets at one config from function-name, 3-s changes: spawn to exit`, unit: 's', stats: ms(m.baselineMs), digits: 1 },
    { measure: `Baseline: exit over its floor`, unit: '', stats: baselineRatio, digits: 3 },
    { measure: `Baseline: peak RSS`, unit: 'MB', stats: scaled(baselineRss, 1e-6), digits: 0 },
    {
      measure: `The baseline's targets and config from a spec file: spawn to exit over the baseline's`,
      unit: '',
      stats: sameRatio,
      digits: 3,
      target: `≤ ${TARGETS.specSameRatio} (median)`,
      pass: sameRatio.median <= TARGETS.specSameRatio,
    },
    {
      measure: `The baseline's targets and config from a spec file: peak RSS over the baseline's`,
      unit: '',
      stats: sameRss,
      digits: 2,
      target: `≤ ${TARGETS.specSameRatio} (median)`,
      pass: sameRss.median <= TARGETS.specSameRatio,
    },
    { measure: `Spec of ${SPEC_TARGETS} targets: start-up to first request`, unit: 'ms', stats: first, digits: 0 },
    { measure: 'One target: start-up to first request', unit: 'ms', stats: oneFirst, digits: 0 },
    {
      measure: `Start-up to first request, spec of ${SPEC_TARGETS} over one target`,
      unit: '',
      stats: firstRatio,
      digits: 2,
      target: `≤ ${TARGETS.specFirstRequestRatio} (median)`,
      pass: firstRatio.median <= TARGETS.specFirstRequestRatio,
    },
  ];
}
