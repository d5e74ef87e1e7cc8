import type { TargetProgress } from './scale-target.js';

/**
 * The job summary's Mermaid Gantt chart (GitHub renders it in the reader's browser): one section per
 * target, one bar per state it was in, placed at the real instant of each change (ms since the epoch,
 * `dateFormat x`), so that the axis reads in the reader's own time zone.
 */

/** Past this many sections a chart stops being readable: the failed and the slowest targets are drawn. */
export const MAX_TIMELINE_SECTIONS = 30;

/** The last state runs on past the end of the step by this share of the chart (at least 1 s), so it shows. */
const FINAL_STATE_SHARE = 0.1;
const MIN_FINAL_STATE_MS = 1000;

/** Few enough labels to fit a summary's width, however long the wait. */
const MAX_TICKS = 8;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Mermaid's tick intervals, each a divisor of the next unit up so that ticks fall on round clock times. */
const TICKS: { ms: number; mermaid: string }[] = [
  ...[1, 2, 5, 10, 15, 30].map((n) => ({ ms: n * SECOND, mermaid: `${n}second` })),
  ...[1, 2, 5, 10, 15, 30].map((n) => ({ ms: n * MINUTE, mermaid: `${n}minute` })),
  ...[1, 2, 3, 6].map((n) => ({ ms: n * HOUR, mermaid: `${n}hour` })),
];

export interface Axis {
  /** Mermaid's `tickInterval`, e.g. `5second`. */
  tickInterval: string;
  tickMs: number;
  /** d3 time format: seconds only while ticks are less than a minute apart, so no two labels are alike. */
  axisFormat: string;
}

/** The smallest round tick interval that puts at most MAX_TICKS ticks on a span of `spanMs`. */
export function axisFor(spanMs: number): Axis {
  const tick = TICKS.find((t) => spanMs / t.ms <= MAX_TICKS) ?? TICKS.at(-1)!;
  return { tickInterval: tick.mermaid, tickMs: tick.ms, axisFormat: tick.ms < MINUTE ? '%H:%M:%S' : '%H:%M' };
}

/** Section labels wrap at this many characters; the left margin is made wide enough for them. */
const LABEL_LINE_CHARS = 28;
/** Width of one character of a section label (11 px font), with some room. */
const LABEL_CHAR_PX = 7;
const MIN_LEFT_PADDING_PX = 75;

/**
 * A target's label for its section: split into lines of at most LABEL_LINE_CHARS after a `:`, `-` or space
 * where it can be, and at most two lines per bar the section has (a section with one state has one bar's
 * height); a longer one keeps its first and last lines, where the function and the version are.
 */
export function sectionLabel(label: string, bars: number): string[] {
  // Mermaid reads `#…;` as an entity and `;` as the end of a statement.
  const text = label.replace(/[#;]/g, ' ');
  const lines: string[] = [];
  let rest = text;
  while (rest.length > LABEL_LINE_CHARS) {
    const head = rest.slice(0, LABEL_LINE_CHARS);
    const cut = Math.max(head.lastIndexOf(':'), head.lastIndexOf('-'), head.lastIndexOf(' ')) + 1 || LABEL_LINE_CHARS;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  lines.push(rest);
  const maxLines = 2 * bars;
  return lines.length <= maxLines ? lines : [...lines.slice(0, maxLines - 1), `…${lines.at(-1)!}`];
}

/** The targets to draw: all of them, or past MAX_TIMELINE_SECTIONS the failed ones, then the slowest. */
export function chartedTargets(progress: TargetProgress[]): TargetProgress[] {
  if (progress.length <= MAX_TIMELINE_SECTIONS) return progress;
  const endOf = (p: TargetProgress) => Math.max(p.waitedMs ?? 0, p.states.at(-1)?.atMs ?? 0);
  const ranked = [...progress].sort((a, b) => Number(!!b.error) - Number(!!a.error) || endOf(b) - endOf(a));
  const chosen = new Set(ranked.slice(0, MAX_TIMELINE_SECTIONS));
  return progress.filter((p) => chosen.has(p));
}

/**
 * The chart's Markdown lines, for targets that each saw at least one state. `startedAtEpochMs` is the
 * step's start in ms since the epoch: each state's `atMs` counts from there.
 */
export function stateTimeline(progress: TargetProgress[], startedAtEpochMs: number): string[] {
  if (!progress.length) return [];
  const charted = chartedTargets(progress);
  const stepEndMs = Math.max(...charted.map((p) => Math.max(p.waitedMs ?? 0, p.states.at(-1)!.atMs)));
  const chartEndMs = stepEndMs + Math.max(MIN_FINAL_STATE_MS, Math.round(stepEndMs * FINAL_STATE_SHARE));
  const chartStartMs = Math.min(...charted.map((p) => p.states[0].atMs));
  const axis = axisFor(chartEndMs - chartStartMs);
  const sections = charted.map((p) => ({ p, label: sectionLabel(p.label, p.states.length) }));
  const longest = Math.max(...sections.flatMap((s) => s.label.map((l) => l.length)));
  const at = (ms: number) => Math.round(startedAtEpochMs + ms);

  const lines: string[] = [];
  if (charted.length < progress.length) {
    lines.push(`The chart shows ${charted.length} of the ${progress.length} targets: the failed ones, then the slowest. The list above has them all.`, '');
  }
  lines.push(
    '```mermaid',
    '---',
    'config:',
    '  gantt:',
    `    leftPadding: ${Math.max(MIN_LEFT_PADDING_PX, 20 + LABEL_CHAR_PX * longest)}`,
    '---',
    'gantt',
    '  title States over time (your local time)',
    '  dateFormat x',
    `  axisFormat ${axis.axisFormat}`,
    `  tickInterval ${axis.tickInterval}`,
    // Mermaid would draw a line at the reader's now, far to the right of a step that has ended.
    '  todayMarker off',
  );
  for (const { p, label } of sections) {
    lines.push(`  section ${label.join('<br>')}`);
    p.states.forEach((s, i) => {
      const last = i === p.states.length - 1;
      const until = last ? chartEndMs : p.states[i + 1].atMs;
      // A failure stands out: a Failed state, and the state a failed target was left in.
      const crit = s.state === 'Failed' || (last && p.error) ? 'crit, ' : '';
      lines.push(`  ${s.state} :${crit}${at(s.atMs)}, ${Math.max(at(until), at(s.atMs) + 1)}`);
    });
  }
  lines.push('```');
  return lines;
}
