// npm run check:summary: renders sample job summaries the way GitHub shows them (GitHub-flavoured Markdown,
// Mermaid 11) in headless Chromium, for readers in two time zones, and fails on a Mermaid error, an axis
// whose labels are not the expected clock times, a final state not drawn, a failure not drawn as critical
// or a target's name running into the bars. Writes a screenshot of each to docs/summary-screenshots/.
import { mkdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { marked } from 'marked';
import puppeteer from 'puppeteer-core';
import { buildPlanSummary } from '../src/plan-summary.js';
import type { TargetProgress } from '../src/scale-target.js';
import { buildSummary } from '../src/summary.js';
import { expectedAxisLabels } from './axis-labels.js';

const require = createRequire(import.meta.url);
const OUT = fileURLToPath(new URL('../docs/summary-screenshots/', import.meta.url));
const ZONES = ['America/Los_Angeles', 'Europe/Berlin'];
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Generous: the check runs on a busy 2-core machine. */
const TIMEOUT_MS = 180_000;

/** 2026-06-01T23:00:30Z: 16:00:30 in Los Angeles, 01:00:30 the next day in Berlin. */
const T0 = Date.UTC(2026, 5, 1, 23, 0, 30);
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function';

const target = (fn: string, version: string, via: string[], states: [string, number][], extra: Partial<TargetProgress> = {}): TargetProgress => ({
  target: { fn: { name: fn, key: fn }, version, region: 'us-east-1', via, primary: true, goal: { min: 2, max: 8 } },
  label: `${fn}:${version}${via.length ? ` (${via.join(', ')})` : ''}`,
  functionArn: `${ARN}:${fn}:${version}`,
  previous: { min: 0, max: 0 },
  applied: { min: 2, max: 8 },
  requested: { min: 2, max: 8 },
  changed: true,
  state: states.at(-1)?.[0],
  states: states.map(([state, atMs]) => ({ state, atMs })),
  waitedMs: (states.at(-1)?.[1] ?? 0) + 400,
  ...extra,
});
const failedVersion = { title: 'Version Failed: orders:7 (live)', message: 'orders:7 is Failed (FunctionError.InitTimeout: Init timed out). Fix the function and deploy a new version.' };
const ctx = { wait: true, links: ['[Workflow run 42](https://github.com/o/r/actions/runs/42)'], startedAtEpochMs: T0 };

interface Sample {
  name: string;
  markdown: string;
  /** The targets behind it: each bar must start at the step's start plus the time of a state seen. */
  progress: TargetProgress[];
  chart: boolean;
  /** The first label of the time axis, by the reader's zone: the clock time just after the step started. */
  firstTick?: Record<string, string>;
}

const run = (name: string, progress: TargetProgress[], firstTick?: Record<string, string>): Sample => ({ name, progress, chart: true, firstTick, markdown: buildSummary(progress, ctx) });
const samples: Sample[] = [
  run('one-target', [target('orders', '7', ['live'], [['Pending', 300], ['Active', 4200]])], { 'America/Los_Angeles': '16:00:31', 'Europe/Berlin': '01:00:31' }),
  run(
    'many-targets',
    Array.from({ length: 40 }, (_, i) =>
      i === 3
        ? target(`pr-1234-checkout-payments-api-${i}`, '17', ['pr-1234-live'], [['Pending', 500], ['Failed', 21_000]], { error: failedVersion })
        : target(`pr-1234-checkout-payments-api-${i}`, '17', ['pr-1234-live'], [['Deactivated', 200], ['Pending', 900 + 40 * i], ['Active', 30_000 + 1500 * i]]),
    ),
  ),
  run('failure', [
    target('orders', '7', ['live'], [['Pending', 400], ['Failed', 12_300]], { error: failedVersion }),
    target('orders', '6', ['live'], [['Active (updating)', 350], ['Active', 9800]]),
  ]),
  (() => {
    const progress = [target('orders', '7', ['live'], [['Active', 300]], { applied: { min: 1, max: 4 }, requested: { min: 1, max: 4 } })];
    return { name: 'dry-run', progress, chart: false, markdown: buildPlanSummary(progress, ctx) };
  })(),
  run('long-wait', [target('orders', '7', ['live'], [['Deactivated', 250], ['Pending', 1100], ['Active', 361_800]])], { 'America/Los_Angeles': '16:01', 'Europe/Berlin': '01:01' }),
];

interface TaskReport {
  text?: string;
  className: string;
  x: number;
  y: number;
  width: number;
  fill: string;
}
interface ChartReport {
  source: string;
  error?: string;
  ticks?: string[];
  axisWidth?: number;
  tasks?: TaskReport[];
  sections?: { text: string[]; right: number }[];
}

const TICK_MS: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000 };

/** What the Markdown asked Mermaid to draw: the bars of each section, the tick interval, the left margin. */
function chartSource(source: string) {
  const sections: { bars: { state: string; crit: boolean; from: number; to: number }[] }[] = [];
  for (const line of source.split('\n')) {
    if (line.startsWith('  section ')) sections.push({ bars: [] });
    const bar = /^ {2}(.+?) :(crit, )?(\d+), (\d+)$/.exec(line);
    if (bar) sections.at(-1)!.bars.push({ state: bar[1], crit: !!bar[2], from: Number(bar[3]), to: Number(bar[4]) });
  }
  const [, n, unit] = /tickInterval (\d+)(second|minute|hour)/.exec(source) ?? [];
  return { sections, tickMs: n ? Number(n) * TICK_MS[unit] : undefined, leftPadding: Number(/leftPadding: (\d+)/.exec(source)?.[1] ?? 75) };
}

/** The problems with one drawn chart of `sample`, for a reader in `zone`. */
function chartProblems(chart: ChartReport, sample: Sample, zone: string): string[] {
  if (chart.error) return [`Mermaid error: ${chart.error}`];
  const problems: string[] = [];
  const { sections, tickMs, leftPadding } = chartSource(chart.source);
  if (!tickMs) return ['no tickInterval: Mermaid picks ticks that can share a label'];
  const bars = sections.flatMap((s) => s.bars);
  const instants = new Set(sample.progress.flatMap((p) => p.states.map((s) => T0 + s.atMs)));
  for (const bar of bars) if (!instants.has(bar.from)) problems.push(`a ${bar.state} bar starts at ${bar.from}, not at the instant of a state change`);
  if (sample.firstTick && chart.ticks?.[0] !== sample.firstTick[zone]) problems.push(`first axis label ${chart.ticks?.[0]}, expected ${sample.firstTick[zone]}`);
  const expected = expectedAxisLabels(Math.min(...bars.map((b) => b.from)), Math.max(...bars.map((b) => b.to)), tickMs, zone);
  if (JSON.stringify(chart.ticks) !== JSON.stringify(expected)) problems.push(`axis labels ${JSON.stringify(chart.ticks)}, expected ${JSON.stringify(expected)}`);
  // One row per bar, top to bottom in the order written.
  const drawn = [...chart.tasks!].sort((a, b) => a.y - b.y);
  if (drawn.length !== bars.length) return [...problems, `${drawn.length} bars drawn of ${bars.length}`];
  const critFill = drawn.find((t) => /\bcrit\d/.test(t.className))?.fill;
  let i = 0;
  for (const [s, section] of sections.entries()) {
    for (const [j, bar] of section.bars.entries()) {
      const task = drawn[i++];
      const where = `section ${s + 1} (${chart.sections![s]?.text.join(' ')}), ${bar.state}`;
      if (task.text?.trim() !== bar.state) problems.push(`${where}: drawn as "${task.text}"`);
      if (bar.state === 'Failed' && !bar.crit) problems.push(`${where}: a Failed state not marked crit`);
      if (/\bcrit\d/.test(task.className) !== bar.crit) problems.push(`${where}: ${bar.crit ? 'not drawn as critical' : 'drawn as critical'}`);
      if (!bar.crit && task.fill === critFill) problems.push(`${where}: has the critical bars' colour ${critFill}`);
      // The final state: a bar a reader sees, not a sliver.
      if (j === section.bars.length - 1 && task.width < 0.05 * chart.axisWidth!) problems.push(`${where}: the final state is ${task.width} px wide of ${chart.axisWidth} px`);
    }
  }
  for (const section of chart.sections!) if (section.right > leftPadding) problems.push(`section "${section.text.join(' ')}" runs into the bars (${Math.round(section.right)} px > ${leftPadding} px)`);
  return problems;
}

if (!existsSync(CHROMIUM)) {
  console.error(`Chromium not found at ${CHROMIUM}: install Debian's (apt-get install -y chromium), as .ci/run does, or set CHROMIUM_PATH.`);
  process.exit(1);
}
const mermaidVersion: string = require('mermaid/package.json').version;
if (!mermaidVersion.startsWith('11.')) throw new Error(`mermaid ${mermaidVersion} installed; GitHub renders with Mermaid 11`);
const css = await readFile(require.resolve('github-markdown-css/github-markdown-light.css'), 'utf8');
await mkdir(OUT, { recursive: true });

// Root (CI) needs --no-sandbox.
const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'], timeout: TIMEOUT_MS, protocolTimeout: TIMEOUT_MS });
const chromiumVersion = await browser.version();
let passed = 0;
let failed = 0;
try {
  for (const sample of samples) {
    const html = `<!doctype html><html><head><meta charset="utf-8"><style>${css}</style><style>body { margin: 0; background: #fff; } .markdown-body { box-sizing: border-box; width: 1012px; padding: 32px; }</style></head><body><article class="markdown-body">${await marked.parse(sample.markdown, { gfm: true })}</article></body></html>`;
    for (const zone of ZONES) {
      const page = await browser.newPage();
      page.setDefaultTimeout(TIMEOUT_MS);
      await page.emulateTimezone(zone);
      await page.setViewport({ width: 1012, height: 800 });
      await page.setContent(html, { waitUntil: 'load' });
      await page.addScriptTag({ path: require.resolve('mermaid/dist/mermaid.min.js') });
      await page.addScriptTag({ path: fileURLToPath(new URL('./check-summary-page.js', import.meta.url)) });
      const { reports, tables } = (await page.evaluate('window.renderMermaidBlocks()')) as { reports: ChartReport[]; tables: number };
      const problems = [
        ...(tables ? [] : ['no table rendered']),
        ...(reports.length === Number(sample.chart) ? [] : [`${reports.length} Mermaid charts, expected ${Number(sample.chart)}`]),
        ...reports.flatMap((r) => chartProblems(r, sample, zone)),
      ];
      const file = `${OUT}${sample.name}.${zone.replace('/', '_')}.png` as const;
      await (await page.$('article'))!.screenshot({ path: file });
      await page.close();
      const ticks = reports[0]?.ticks;
      if (problems.length) {
        failed++;
        console.log(`✗ ${sample.name}, ${zone}:\n${problems.map((p) => `    ${p}`).join('\n')}`);
      } else {
        passed++;
        console.log(`✓ ${sample.name}, ${zone}${ticks ? `: axis ${ticks.join(', ')}` : ''}`);
      }
    }
  }
} finally {
  await browser.close();
}
console.log(`Screenshots in ${OUT}; Mermaid ${mermaidVersion}, ${chromiumVersion}`);
console.log(`check:summary: ${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
