import { targetVersionCell } from './console-links.js';
import type { TargetProgress } from './scale-target.js';
import { formatConfig, type ScalingConfig } from './scaling-config.js';

export interface SummaryContext {
  goal: ScalingConfig;
  wait: boolean;
  region: string;
  /** Markdown links to the run and, on pull_request events, the PR. */
  links?: string[];
}

/** The job summary: a table of targets, then the states each one went through. */
export function buildSummary(progress: TargetProgress[], ctx: SummaryContext): string {
  const failed = progress.filter((p) => p.error);
  const headline = failed.length
    ? `❌ ${failed.length} of ${progress.length} target${progress.length === 1 ? '' : 's'} failed`
    : `✅ ${progress.length} target${progress.length === 1 ? '' : 's'} ${ctx.wait ? 'in effect' : 'applied, not waited for,'} with ${formatConfig(ctx.goal)}`;
  const lines = [`## Lambda Managed Instances scaling`, '', `${headline} in ${ctx.region}.`, ''];
  if (ctx.links?.length) lines.push(ctx.links.join(' · '), '');
  lines.push(
    '| Function | Qualifier | Version | Previous | New | State | Changed | Waited |',
    '|---|---|---|---|---|---|---|---|',
    ...progress.map((p) =>
      row([
        p.target.fn.key,
        p.target.via.join(', '),
        targetVersionCell(p, ctx.region),
        formatConfig(p.previous),
        formatConfig(ctx.goal),
        p.error ? `❌ ${p.state ?? p.error.title}` : `${p.warning ? '⚠️ ' : ''}${p.state ?? '—'}`,
        p.changed === undefined ? '—' : p.changed ? 'yes' : 'no',
        p.waitedMs === undefined ? '—' : seconds(p.waitedMs),
      ]),
    ),
  );
  const seen = progress.filter((p) => p.states.length);
  if (seen.length) {
    lines.push('', '### States seen', '');
    for (const p of seen) lines.push(`- ${escape(p.label)}: ${p.states.map((s) => `${s.state} at ${seconds(s.atMs)}`).join(' → ')}`);
    lines.push('', ...stateTimeline(seen.slice(0, MAX_TIMELINE_TARGETS)));
  }
  lines.push(...annotationSections(progress));
  return lines.join('\n') + '\n';
}

/** The Errors and Warnings sections, each left out when empty. */
export function annotationSections(progress: TargetProgress[]): string[] {
  return [...annotationList('Errors', progress.flatMap((p) => p.error ?? [])), ...annotationList('Warnings', progress.flatMap((p) => p.warning ?? []))];
}

function annotationList(heading: string, annotations: { title: string; message: string }[]): string[] {
  if (!annotations.length) return [];
  return ['', `### ${heading}`, '', ...annotations.map((a) => `- **${escape(a.title)}**: ${escape(a.message).replace(/\n/g, ' ')}`)];
}

/** A bigger chart stops being readable; the list above still has every target. */
const MAX_TIMELINE_TARGETS = 12;

/** A Mermaid Gantt chart (GitHub renders it in summaries): one bar per state a target was in. */
function stateTimeline(progress: TargetProgress[]): string[] {
  const lines = ['```mermaid', 'gantt', '  title States over time', '  dateFormat x', '  axisFormat %H:%M:%S'];
  for (const p of progress) {
    lines.push(`  section ${p.label.replace(/[:#;]/g, ' ')}`);
    const end = Math.max(p.waitedMs ?? 0, p.states.at(-1)!.atMs + 1000);
    p.states.forEach((s, i) => {
      const until = p.states[i + 1]?.atMs ?? end;
      lines.push(`  ${s.state} :${Math.round(s.atMs)}, ${Math.round(Math.max(until, s.atMs + 1))}`);
    });
  }
  lines.push('```');
  return lines;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function row(cells: string[]): string {
  return `| ${cells.map(escape).join(' | ')} |`;
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;');
}
