// The labels a reader in `timeZone` should see on the timeline's time axis, worked out with Intl, apart
// from Mermaid and d3: ticks fall on round local clock times (seconds, minutes or hours a multiple of the
// interval), from the chart's first instant to its last, both included.
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export function expectedAxisLabels(fromEpochMs: number, toEpochMs: number, tickMs: number, timeZone: string): string[] {
  const clock = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  // Every zone's offset is whole minutes: a local second or minute begins when a UTC one does.
  const step = Math.min(tickMs, MINUTE);
  const labels: string[] = [];
  for (let t = Math.ceil(fromEpochMs / step) * step; t <= toEpochMs; t += step) {
    const part = (type: string) => clock.formatToParts(t).find((p) => p.type === type)!.value;
    const [h, m, s] = [part('hour'), part('minute'), part('second')];
    const onTick =
      tickMs < MINUTE
        ? Number(s) % (tickMs / SECOND) === 0
        : tickMs < HOUR
          ? s === '00' && Number(m) % (tickMs / MINUTE) === 0
          : s === '00' && m === '00' && Number(h) % (tickMs / HOUR) === 0;
    if (onTick) labels.push(tickMs < MINUTE ? `${h}:${m}:${s}` : `${h}:${m}`);
  }
  return labels;
}
