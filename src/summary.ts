import { targetVersionCell } from './console-links.js';
import type { TargetProgress } from './scale-target.js';
import { formatConfig, sameConfig, type ScalingConfig } from './scaling-config.js';
import { stateTimeline } from './timeline.js';

export interface SummaryContext {
  wait: boolean;
  /** Markdown links to the run and, on pull_request events, the PR. */
  links?: string[];
}

/** What the job summary of a run (not a dry run) needs besides: when the step started, for its timeline. */
export interface RunSummaryContext extends SummaryContext {
  /** Milliseconds since the epoch: the timeline places each state change at its real instant. */
  startedAtEpochMs: number;
}

/** The config every target asks for, if they all ask for the same: no line may claim one config for targets that differ. */
export function commonGoal(progress: TargetProgress[]): ScalingConfig | undefined {
  const goals = progress.filter((p) => !p.target.conflict).map((p) => p.target.goal);
  return goals.length && goals.every((g) => sameConfig(g, goals[0])) ? goals[0] : undefined;
}

/** `with 3/30`, or `each with its own config`. */
function withGoal(progress: TargetProgress[]): string {
  const goal = commonGoal(progress);
  return goal ? `with ${formatConfig(goal)}` : 'each with its own config';
}

/** The targets' regions, each once: one table column and one phrase when there are several. */
export function regionsOf(progress: TargetProgress[]): string[] {
  return [...new Set(progress.map((p) => p.target.region))];
}

/** `in us-east-1`, `in 2 regions (us-east-1, eu-west-1)`. */
export function regionPhrase(progress: TargetProgress[]): string {
  const regions = regionsOf(progress);
  return regions.length === 1 ? `in ${regions[0]}` : `in ${regions.length} regions (${regions.join(', ')})`;
}

/** The table's first columns: Function, Region (with several regions), Qualifier, Version. */
export function targetColumns(progress: TargetProgress[]): { header: string[]; cells: (p: TargetProgress) => string[] } {
  const withRegion = regionsOf(progress).length > 1;
  return {
    header: ['Function', ...(withRegion ? ['Region'] : []), 'Qualifier', 'Version'],
    cells: (p) => [p.target.fn.key, ...(withRegion ? [p.target.region] : []), p.target.via.join(', '), targetVersionCell(p, p.target.region)],
  };
}

export function tableHeader(columns: string[]): string[] {
  return [`| ${columns.join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`];
}

/** The job summary: a table of targets, then the states each one went through. */
export function buildSummary(progress: TargetProgress[], ctx: RunSummaryContext): string {
  const failed = progress.filter((p) => p.error);
  const headline = failed.length
    ? `❌ ${failed.length} of ${progress.length} target${progress.length === 1 ? '' : 's'} failed`
    : `✅ ${progress.length} target${progress.length === 1 ? '' : 's'} ${ctx.wait ? 'in effect' : 'applied, not waited for,'} ${withGoal(progress)}`;
  const lines = [`## Lambda Managed Instances scaling`, '', `${headline} ${regionPhrase(progress)}.`, ''];
  if (ctx.links?.length) lines.push(ctx.links.join(' · '), '');
  const columns = targetColumns(progress);
  lines.push(
    ...tableHeader([...columns.header, 'Previous', 'New', 'State', 'Changed', 'Waited']),
    ...progress.map((p) =>
      row([
        ...columns.cells(p),
        formatConfig(p.previous),
        p.target.conflict ? '—' : formatConfig(p.target.goal),
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

export function annotationList(heading: string, annotations: { title: string; message: string }[]): string[] {
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
