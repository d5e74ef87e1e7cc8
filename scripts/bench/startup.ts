// Start-up: process spawn to the first request at the emulator, for the action and the AWS CLI.
import { tmpdir } from 'node:os';
import { expectSuccess, runAction, runCli, timedRun, type BenchContext, type Finished, type Versions } from './process.js';
import { stats, TARGETS, type Row } from './report.js';

export interface Startup {
  action24: number[];
  actionMachine: number[];
  cli: number[];
  /** Per round, paired (same round, same machine load): action / CLI. */
  ratio24: number[];
  ratioMachine: number[];
  /** `node -e 0`, spawn to exit: what Node itself costs before any bundle code. */
  empty24: number[];
  emptyMachine: number[];
  /** The action's requests in one run (all runs alike); a numeric qualifier needs no GetAlias. */
  actionRequests: string[];
  getAliasRequests: number;
}

export async function measureStartup(ctx: BenchContext, node24: string | undefined, machineNode: string, aws: string | undefined): Promise<Startup> {
  const { emu, runs } = ctx;
  // Already at 2/6: the action only reads, and the CLI's put changes nothing, so every run is alike.
  emu.addFunction({ name: 'startup', versions: { '1': { applied: { min: 2, max: 6 } } } });
  const inputs = { 'function-name': 'startup', qualifier: '1', 'min-execution-environments': '2', 'max-execution-environments': '6' };
  const result: Startup = { action24: [], actionMachine: [], cli: [], ratio24: [], ratioMachine: [], empty24: [], emptyMachine: [], actionRequests: [], getAliasRequests: 0 };
  const firstRequestMs = (what: string, run: Finished) => {
    expectSuccess(what, run);
    if (run.requests.length === 0) throw new Error(`${what} made no request`);
    return run.requests[0].at - run.spawnAt;
  };
  const action = async (node: string) => {
    const run = await runAction(ctx, node, inputs);
    result.getAliasRequests += run.requests.filter((r) => r.operation === 'GetAlias').length;
    result.actionRequests = run.requests.map((r) => r.operation);
    return firstRequestMs(`the action on ${node}`, run);
  };
  const cli = async (path: string) => firstRequestMs('the AWS CLI', await runCli(emu, path, 'startup', '1', 2, 6));
  const empty = async (node: string) => {
    const run = await timedRun(emu, node, ['-e', '0'], { PATH: process.env.PATH ?? '' }, tmpdir());
    expectSuccess(`${node} -e 0`, run);
    return run.exitAt - run.spawnAt;
  };

  // Round 0 is not recorded: it warms the file cache (and the CLI's .pyc files).
  for (let round = 0; round <= runs; round++) {
    const a24 = node24 ? await action(node24) : undefined;
    const aMachine = await action(machineNode);
    const c = aws ? await cli(aws) : undefined;
    const e24 = node24 ? await empty(node24) : undefined;
    const eMachine = await empty(machineNode);
    if (round === 0) continue;
    if (a24 !== undefined) result.action24.push(a24);
    result.actionMachine.push(aMachine);
    if (c !== undefined) result.cli.push(c);
    if (a24 !== undefined && c !== undefined) result.ratio24.push(a24 / c);
    if (c !== undefined) result.ratioMachine.push(aMachine / c);
    if (e24 !== undefined) result.empty24.push(e24);
    result.emptyMachine.push(eMachine);
    process.stderr.write(`start-up ${round}/${runs}\r`);
  }
  process.stderr.write('\n');
  return result;
}

export function startupRows(s: Startup, v: Versions): Row[] {
  const rows: Row[] = [];
  const cliMeasured = s.cli.length > 0;
  const ratio = (label: string, values: number[]): Row => ({
    measure: `Start-up ratio action/CLI, ${label}`,
    unit: '',
    stats: cliMeasured ? stats(values) : undefined,
    digits: 2,
    target: `≤ ${TARGETS.startupRatio} (median)`,
    pass: cliMeasured ? stats(values).median <= TARGETS.startupRatio : null,
  });
  if (v.node24) rows.push({ measure: `Start-up to first request: action, Node ${v.node24}`, unit: 'ms', stats: stats(s.action24), digits: 0 });
  rows.push({ measure: `Start-up to first request: action, Node ${v.machineNode} (machine)`, unit: 'ms', stats: stats(s.actionMachine), digits: 0 });
  if (cliMeasured) rows.push({ measure: `Start-up to first request: ${v.awsCli?.split(' ')[0]}`, unit: 'ms', stats: stats(s.cli), digits: 0 });
  if (v.node24) rows.push(ratio(`Node ${v.node24}`, s.ratio24));
  rows.push(ratio(`Node ${v.machineNode}`, s.ratioMachine));
  if (v.node24) rows.push({ measure: `Reference: empty Node ${v.node24} process, spawn to exit`, unit: 'ms', stats: stats(s.empty24), digits: 0 });
  rows.push({ measure: `Reference: empty Node ${v.machineNode} process, spawn to exit`, unit: 'ms', stats: stats(s.emptyMachine), digits: 0 });
  rows.push({ measure: 'GetAlias requests for a numeric qualifier, all start-up runs', unit: '', value: s.getAliasRequests, digits: 0, target: '0', pass: s.getAliasRequests === 0 });
  return rows;
}
