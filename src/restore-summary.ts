import type { SavedPut } from './action-state.js';
import { targetVersionCell } from './console-links.js';
import { parseFunctionName } from './input-values.js';
import { configLeft, failureKind } from './restore.js';
import type { TargetProgress } from './scale-target.js';
import { formatConfig } from './scaling-config.js';
import type { Annotation } from './errors.js';
import { annotationList, regionsOf, row, tableHeader } from './summary.js';

/** How one restore ended, in the words of its log line and summary row. */
function outcome(p: TargetProgress): { cell: string; line: string } {
  const goal = formatConfig(p.target.goal);
  if (p.error) return { cell: `❌ not restored (${configLeft(p)} left)`, line: `not restored (${failureKind(p)}): ${configLeft(p)} left on it` };
  if (p.leftAlone) {
    const found = formatConfig(p.leftAlone.found);
    return { cell: `⚠️ left at ${found}: changed since`, line: `left as it is: ${found} found, not the ${formatConfig(p.target.expected)} put by the step` };
  }
  if (!p.changed) return { cell: `${goal} (already)`, line: `already at ${goal}${p.state ? ` (${p.state})` : ''}: nothing to put back` };
  return { cell: goal, line: `restored ${formatConfig(p.target.expected)} → ${goal}${p.state ? ` (${p.state})` : ''}${p.waitedMs === undefined ? '' : ` in ${seconds(p.waitedMs)}`}` };
}

/** The post step's line for one target. */
export function restoreLogLine(p: TargetProgress): string {
  return `${p.label}: ${outcome(p).line}`;
}

/** The post step's line for a put whose previous config was never known. */
export function unknownLogLine(put: SavedPut): string {
  return `${parseFunctionName(put.function).key}:${put.version}: not restored: its config before the step is not known; ${formatConfig(put.put)} left on it`;
}

/** The "Restored" section of the job summary: one row per config the step put, and how it ended. */
export function buildRestoreSummary(
  progress: TargetProgress[],
  unknown: SavedPut[],
  report: { errors: Annotation[]; warnings: Annotation[]; links?: string[] },
): string {
  const { links } = report;
  const total = progress.length + unknown.length;
  const failed = progress.filter((p) => p.error).length + unknown.length;
  const left = progress.filter((p) => p.leftAlone).length;
  const regions = [...new Set([...regionsOf(progress), ...unknown.map((u) => u.region)])];
  const where = regions.length === 1 ? `in ${regions[0]}` : `in ${regions.length} regions (${regions.join(', ')})`;
  const of = (n: number) => `${n} of ${total} target${total === 1 ? '' : 's'}`;
  const changedSince = left ? `${left} left as someone changed ${left === 1 ? 'it' : 'them'} since` : '';
  const back = total - failed - left;
  const headline = failed
    ? `❌ ${of(failed)} not restored${left ? `, ${changedSince}` : ''}`
    : left
      ? `⚠️ ${of(left)} left as someone changed ${left === 1 ? 'it' : 'them'} since${back ? `, ${back} back to the config from before the job` : ''}`
      : `✅ ${total} target${total === 1 ? '' : 's'} back to ${total === 1 ? 'its' : 'their'} config from before the job`;
  const lines = ['## Lambda Managed Instances scaling: restored', '', `${headline} ${where}.`, ''];
  if (links?.length) lines.push(links.join(' · '), '');
  const withRegion = regions.length > 1;
  lines.push(
    ...tableHeader(['Function', ...(withRegion ? ['Region'] : []), 'Version', 'Put by the step', 'Restored to', 'State', 'Time']),
    ...progress.map((p) =>
      row([
        p.target.fn.key,
        ...(withRegion ? [p.target.region] : []),
        targetVersionCell(p, p.target.region),
        formatConfig(p.target.expected),
        outcome(p).cell,
        p.state ?? '—',
        p.waitedMs === undefined ? '—' : seconds(p.waitedMs),
      ]),
    ),
    ...unknown.map((u) =>
      row([parseFunctionName(u.function).key, ...(withRegion ? [u.region] : []), u.version, formatConfig(u.put), '❌ not restored (no previous config known)', '—', '—']),
    ),
  );
  lines.push(...annotationList('Errors', report.errors), ...annotationList('Warnings', report.warnings));
  return lines.join('\n') + '\n';
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
