import { targetVersionCell } from './console-links.js';
import type { TargetProgress } from './scale-target.js';
import { formatConfig, type ScalingConfig } from './scaling-config.js';
import { stateTimeline } from './timeline.js';

export interface SummaryContext {
  goal: ScalingConfig;
  wait: boolean;
  region: string;
  /** Markdown links to the run and, on pull_request events, the PR. */
  links?: string[];
}

/** What the job summary of a run (not a dry run) needs besides: when the step started, for its timeline. */
export interface RunSummaryContext extends SummaryContext {
  /** Milliseconds since the epoch: the timeline places each state change at its real instant. */
  startedAtEpochMs: number;
}

/** The job summary: a table of targets, then the states each one went through. */
export function buildSummary(progress: TargetProgress[], ctx: RunSummaryContext): string {
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
    lines.push('', ...stateTimeline(seen, ctx.startedAtEpochMs));
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

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function row(cells: string[]): string {
  return `| ${cells.map(escape).join(' | ')} |`;
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;');
}
