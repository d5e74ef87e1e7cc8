import { targetVersionCell } from './console-links.js';
import { describePlan, planFor } from './plan.js';
import type { TargetProgress } from './scale-target.js';
import { formatConfig } from './scaling-config.js';
import { annotationSections, row, type SummaryContext } from './summary.js';

/** One line for the log and the summary: what the dry run found, and that nothing was changed. */
export function planHeadline(progress: TargetProgress[], ctx: Pick<SummaryContext, 'goal' | 'region'>): string {
  const failed = progress.filter((p) => p.error).length;
  const changing = progress.filter((p) => !p.error && p.changed).length;
  const targets = (n: number) => `${n} target${n === 1 ? '' : 's'}`;
  const found = `${changing} of ${targets(progress.length)} would change to ${formatConfig(ctx.goal)}`;
  return `Dry run in ${ctx.region}, nothing was changed: ${found}${failed ? `; ${failed} could not be read` : ''}.`;
}

/** The job summary of a dry run: the plan, one row per version, then the errors. */
export function buildPlanSummary(progress: TargetProgress[], ctx: SummaryContext): string {
  const failed = progress.filter((p) => p.error);
  const lines = ['## Lambda Managed Instances scaling: dry run', '', `${failed.length ? '❌' : '🔍'} ${planHeadline(progress, ctx)}`, ''];
  if (ctx.links?.length) lines.push(ctx.links.join(' · '), '');
  lines.push(
    '| Function | Qualifier | Version | State | Current → requested |',
    '|---|---|---|---|---|',
    ...progress.map((p) =>
      row([p.target.fn.key, p.target.via.join(', '), targetVersionCell(p, ctx.region), p.error ? `❌ ${p.state ?? p.error.title}` : (p.state ?? '—'), planCell(p, ctx)]),
    ),
  );
  lines.push(...annotationSections(progress));
  return lines.join('\n') + '\n';
}

function planCell(p: TargetProgress, ctx: SummaryContext): string {
  if (p.changed === undefined) return '—';
  const current = { applied: p.applied, requested: p.requested };
  return describePlan(ctx.goal, current, planFor(ctx.goal, current, { state: p.state, lastUpdateStatus: p.lastUpdate?.status, wait: ctx.wait }));
}
