// `npm run mutate [group…]`: StrykerJS over src/, one group of files at a time. A full run takes hours on
// a 2-core machine; each group writes its own report and incremental file when it ends, so a run stopped
// between groups keeps what it measured, and a later run re-tests only the mutants whose code or tests changed.
// With no group named, runs them all; then prints the score per file from every group's report.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

// About equal shares of the mutants, in the order the modules are built on.
const GROUPS = {
  core: ['backoff', 'cancellation', 'clock', 'scaling-config', 'targets', 'core-io'],
  inputs: ['inputs'],
  errors: ['errors', 'foreign-answer'],
  decisions: ['wait-decision', 'put-decision', 'adaptive-rate', 'request-pacer'],
  api: ['lambda-api', 'request-engine'],
  scaling: ['scale-target', 'heartbeat'],
  report: ['run', 'outputs', 'summary', 'plan', 'plan-summary', 'dry-run', 'console-links', 'run-links'],
};

const asked = process.argv.slice(2);
for (const name of asked) if (!GROUPS[name]) throw new Error(`unknown group ${name}: use one of ${Object.keys(GROUPS).join(', ')}`);
for (const name of asked.length ? asked : Object.keys(GROUPS)) {
  const files = GROUPS[name].map((f) => `src/${f}.ts`).join(',');
  const { status } = spawnSync('npx', ['stryker', 'run', '--mutate', files], { stdio: 'inherit', env: { ...process.env, MUTATE_GROUP: name } });
  if (status !== 0) process.exit(status ?? 1);
}

const rows = [];
for (const name of Object.keys(GROUPS)) {
  const path = `reports/mutation/${name}.json`;
  if (!existsSync(path)) {
    console.log(`group ${name}: no report yet`);
    continue;
  }
  for (const [file, { mutants }] of Object.entries(JSON.parse(readFileSync(path, 'utf8')).files)) {
    const count = (status) => mutants.filter((m) => m.status === status).length;
    rows.push({ file, mutants: mutants.length, killed: count('Killed'), timeout: count('Timeout'), survived: count('Survived'), noCoverage: count('NoCoverage') });
  }
}
const total = { file: 'all' };
for (const key of ['mutants', 'killed', 'timeout', 'survived', 'noCoverage']) total[key] = rows.reduce((sum, r) => sum + r[key], 0);
const score = (r) => `${(((r.killed + r.timeout) / (r.killed + r.timeout + r.survived + r.noCoverage)) * 100).toFixed(1)} %`;
console.log('| file | mutants | killed | timeout | survived | no coverage | score |\n|---|--:|--:|--:|--:|--:|--:|');
for (const r of [...rows.sort((a, b) => a.file.localeCompare(b.file)), total]) console.log(`| ${r.file} | ${r.mutants} | ${r.killed} | ${r.timeout} | ${r.survived} | ${r.noCoverage} | ${score(r)} |`);
