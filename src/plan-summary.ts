import { describePlan, planFor } from './plan.js';
import type { TargetProgress } from './scale-target.js';
import { formatConfig } from './scaling-config.js';
import { annotationSections, commonGoal, regionPhrase, row, tableHeader, targetColumns, type SummaryContext } from './summary.js';

/** One line for the log and the summary: what the dry run found, and that nothing was changed. */
export function planHeadline(progress: TargetProgress[]): string {
  const failed = progress.filter((p) => p.error).length;
  const changing = progress.filter((p) => !p.error && p.changed);
  const targets = (n: number) => `${n} target${n === 1 ? '' : 's'}`;
  // The config named is the changing targets' own: `to 3/30` only when they all ask for it.
  const goal = commonGoal(changing);
  const to = goal ? ` to ${formatConfig(goal)}` : changing.length ? ', each to its own config' : '';
  const found = `${changing.length} of ${targets(progress.length)} would change${to}`;
  return `Dry run ${regionPhrase(progress)}, nothing was changed: ${found}${failed ? `; ${failed} could not be read` : ''}.`;
}

/** The job summary of a dry run: the plan, one row per version, then the errors. */
export function buildPlanSummary(progress: TargetProgress[], ctx: SummaryContext): string {
  const failed = progress.filter((p) => p.error);
  const lines = ['## Lambda Managed Instances scaling: dry run', '', `${failed.length ? '❌' : '🔍'} ${planHeadline(progress)}`, ''];
  if (ctx.links?.length) lines.push(ctx.links.join(' · '), '');
  const columns = targetColumns(progress);
  // The capacity check's column, when it could check any target: what the min needs of its provider.
  const capacity = progress.some((p) => p.capacityNote);
  lines.push(
    ...tableHeader([...columns.header, 'State', 'Current → requested', ...(capacity ? ['Capacity'] : [])]),
    ...progress.map((p) => row([...columns.cells(p), p.error ? `❌ ${p.state ?? p.error.title}` : (p.state ?? '—'), planCell(p, ctx), ...(capacity ? [p.capacityNote ?? '—'] : [])])),
  );
  lines.push(...annotationSections(progress));
  return lines.join('\n') + '\n';
}

function planCell(p: TargetProgress, ctx: SummaryContext): string {
  if (p.changed === undefined) return '—';
  const current = { applied: p.applied, requested: p.requested };
  const { goal } = p.target;
  return describePlan(goal, current, planFor(goal, current, { state: p.state, lastUpdateStatus: p.lastUpdate?.status, wait: ctx.wait }));
}
