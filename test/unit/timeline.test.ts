import { expectedAxisLabels } from '../../scripts/axis-labels.js';
import type { TargetProgress } from '../../src/scale-target.js';
import { axisFor, chartedTargets, MAX_TIMELINE_SECTIONS, sectionLabel, stateTimeline } from '../../src/timeline.js';

/** 2026-06-01T23:00:30Z: 16:00:30 in Los Angeles, 01:00:30 the next day in Berlin. */
const T0 = Date.UTC(2026, 5, 1, 23, 0, 30);
const SECOND = 1000;
const MINUTE = 60_000;

const target = (label: string, states: [string, number][], extra: Partial<TargetProgress> = {}): TargetProgress => ({
  target: { fn: { name: 'app', key: 'app' }, version: '1', region: 'us-east-1', via: [], primary: true, goal: { min: 1, max: 1 } },
  label,
  states: states.map(([state, atMs]) => ({ state, atMs })),
  waitedMs: states.at(-1)![1],
  ...extra,
});

/** The bars of the chart: name, crit or not, start and end (epoch ms). */
const bars = (lines: string[]) =>
  lines.flatMap((l) => {
    const m = /^ {2}(.+?) :(crit, )?(\d+), (\d+)$/.exec(l);
    return m ? [{ state: m[1], crit: !!m[2], from: Number(m[3]), to: Number(m[4]) }] : [];
  });
const setting = (lines: string[], name: string) => lines.find((l) => l.startsWith(`  ${name} `))!.slice(name.length + 3);

describe('stateTimeline', () => {
  it('places each bar at the real instant of its state change, and the last state on past the step, visibly', () => {
    const lines = stateTimeline([target('app:7 (live)', [['Pending', 300], ['Active', 4200]], { waitedMs: 4300 })], T0);
    expect(lines).toContain('  dateFormat x');
    expect(lines).toContain('  section app:7 (live)');
    // 4.3 s of step, then the last state runs on for at least a second.
    expect(bars(lines)).toEqual([
      { state: 'Pending', crit: false, from: T0 + 300, to: T0 + 4200 },
      { state: 'Active', crit: false, from: T0 + 4200, to: T0 + 5300 },
    ]);
    const long = bars(stateTimeline([target('app:7', [['Pending', 1000], ['Active', 360_000]])], T0));
    // A tenth of a long wait: the final state is a bar, not a sliver.
    expect(long[1]).toEqual({ state: 'Active', crit: false, from: T0 + 360_000, to: T0 + 396_000 });
  });

  it('writes the same chart in every time zone: instants, not local clock times', () => {
    const progress = [target('app:7', [['Pending', 1000], ['Active', 360_000]])];
    const saved = process.env.TZ;
    try {
      const charts = ['America/Los_Angeles', 'Europe/Berlin', 'Asia/Kolkata', 'UTC'].map((tz) => {
        process.env.TZ = tz;
        return stateTimeline(progress, T0).join('\n');
      });
      expect(new Date(T0).getTimezoneOffset()).toBe(0);
      expect(new Set(charts).size).toBe(1);
    } finally {
      process.env.TZ = saved;
    }
  });

  it('labels a six-minute wait with the reader’s own clock times, one a minute', () => {
    const lines = stateTimeline([target('app:7', [['Pending', 1000], ['Active', 360_000]])], T0);
    expect(setting(lines, 'tickInterval')).toBe('1minute');
    expect(setting(lines, 'axisFormat')).toBe('%H:%M');
    const [first] = bars(lines);
    const end = bars(lines).at(-1)!.to;
    expect(expectedAxisLabels(first.from, end, MINUTE, 'America/Los_Angeles')).toEqual(['16:01', '16:02', '16:03', '16:04', '16:05', '16:06', '16:07']);
    expect(expectedAxisLabels(first.from, end, MINUTE, 'Europe/Berlin')).toEqual(['01:01', '01:02', '01:03', '01:04', '01:05', '01:06', '01:07']);
  });

  it('fits the tick interval to the span, from a few seconds to hours', () => {
    const cases: [number, string, string][] = [
      [1.2 * SECOND, '1second', '%H:%M:%S'],
      [8 * SECOND, '1second', '%H:%M:%S'],
      [9 * SECOND, '2second', '%H:%M:%S'],
      [45 * SECOND, '10second', '%H:%M:%S'],
      [4 * MINUTE, '30second', '%H:%M:%S'],
      [6.6 * MINUTE, '1minute', '%H:%M'],
      [40 * MINUTE, '5minute', '%H:%M'],
      [396 * MINUTE, '1hour', '%H:%M'],
    ];
    for (const [span, tickInterval, axisFormat] of cases) expect([span, axisFor(span).tickInterval, axisFor(span).axisFormat]).toEqual([span, tickInterval, axisFormat]);
  });

  it('never gives two ticks the same label, nor an axis without one, for any wait up to the 6-hour budget', () => {
    const zones = ['America/Los_Angeles', 'Europe/Berlin', 'Asia/Kathmandu', 'Australia/Adelaide'];
    for (let span = 1000; span <= 6.6 * 60 * MINUTE; span = Math.ceil(span * 1.37)) {
      for (const offset of [0, 299, 30_500, 45 * MINUTE + 1]) {
        const { tickMs, axisFormat } = axisFor(span);
        // Labels at seconds' resolution only while ticks are under a minute apart: none alike.
        expect(axisFormat.includes('%S')).toBe(tickMs < MINUTE);
        for (const zone of zones) {
          const labels = expectedAxisLabels(T0 + offset, T0 + offset + span, tickMs, zone);
          expect(labels.length).toBeGreaterThanOrEqual(1);
          expect(labels.length).toBeLessThanOrEqual(9);
          expect(new Set(labels).size).toBe(labels.length);
        }
      }
    }
  });

  it('draws a Failed state, and the state a failed target was left in, as critical', () => {
    const error = { title: 'T', message: 'M' };
    const lines = stateTimeline(
      [
        target('app:1', [['Pending', 0], ['Failed', 3000]], { error }),
        target('app:2', [['Pending', 0]], { error, waitedMs: 60_000 }),
        target('app:3', [['Pending', 0], ['Active', 5000]]),
      ],
      T0,
    );
    expect(bars(lines).map((b) => `${b.state}${b.crit ? ' crit' : ''}`)).toEqual(['Pending', 'Failed crit', 'Pending crit', 'Pending', 'Active']);
  });

  it('keeps every bar at least 1 ms long', () => {
    const [pending] = bars(stateTimeline([target('app:1', [['Pending', 100], ['Active', 100.2]], { waitedMs: 9000 })], T0));
    expect(pending).toEqual({ state: 'Pending', crit: false, from: T0 + 100, to: T0 + 101 });
  });

  it('wraps long names onto lines of at most 28 characters, with a left margin wide enough for them', () => {
    const label = 'pr-1234-checkout-payments-api:17 (pr-1234-live)';
    expect(sectionLabel(label, 2)).toEqual(['pr-1234-checkout-payments-', 'api:17 (pr-1234-live)']);
    const lines = stateTimeline([target(label, [['Pending', 0], ['Active', 2000]])], T0);
    expect(lines).toContain('  section pr-1234-checkout-payments-<br>api:17 (pr-1234-live)');
    expect(lines).toContain('    leftPadding: 202');
    // A short name keeps Mermaid's own margin.
    expect(stateTimeline([target('a:1', [['Active', 0]])], T0)).toContain('    leftPadding: 75');
    // No place to break: cut at 28.
    expect(sectionLabel('x'.repeat(30), 1)).toEqual(['x'.repeat(28), 'xx']);
  });

  it('keeps the start and the end of a name too long for its section’s height', () => {
    const label = 'a-very-long-function-name-for-a-pr-environment-with-many-parts:17 (live)';
    expect(sectionLabel(label, 2)).toEqual(['a-very-long-function-name-', 'for-a-pr-environment-with-', 'many-parts:17 (live)']);
    expect(sectionLabel(label, 1)).toEqual(['a-very-long-function-name-', '…many-parts:17 (live)']);
  });

  it('writes no character that Mermaid reads as an entity or the end of a statement', () => {
    expect(stateTimeline([target('app:1#x;y', [['Active', 0]])], T0)).toContain('  section app:1 x y');
  });

  it('draws every target up to 30; past that the failed ones, then the slowest, in their order, and says so', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => target(`app:${i + 1}`, [['Pending', 0], ['Active', 1000 * (i + 1)]]));
    const thirty = stateTimeline(many(MAX_TIMELINE_SECTIONS), T0);
    expect(thirty.filter((l) => l.startsWith('  section '))).toHaveLength(30);
    expect(thirty[0]).toBe('```mermaid');

    const progress = many(40);
    progress[0].error = { title: 'T', message: 'M' };
    const charted = chartedTargets(progress);
    // The failed fast one, then the 29 slowest (12 to 40), in the order given.
    expect(charted.map((p) => p.label)).toEqual(['app:1', ...Array.from({ length: 29 }, (_, i) => `app:${i + 12}`)]);
    const lines = stateTimeline(progress, T0);
    expect(lines[0]).toBe('The chart shows 30 of the 40 targets: the failed ones, then the slowest. The list above has them all.');
    expect(lines.filter((l) => l.startsWith('  section '))).toHaveLength(30);
  });

  it('draws nothing without a target', () => {
    expect(stateTimeline([], T0)).toEqual([]);
  });
});
