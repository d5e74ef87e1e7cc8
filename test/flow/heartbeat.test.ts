import type { Clock } from '../../src/clock.js';
import { startEmulator, type Emulator, type FunctionSpec } from '../emulator/server.js';
import { runFlow } from '../support/flow.js';
import { virtualClock } from '../support/virtual-clock.js';

// The heartbeat during long waits, on the virtual clock: its timing, its one line, and no request of its own.
const emulators: Emulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

async function setUp(functions: FunctionSpec[]) {
  const clock = virtualClock();
  const emu = await startEmulator({ now: clock.now });
  emulators.push(emu);
  for (const spec of functions) emu.addFunction(spec);
  return { clock, emu };
}

const scale = (emu: Emulator, clock: Clock, names: string[], min = 2, max = 5) =>
  runFlow(emu.url, { 'function-name': names.join(','), qualifier: '3', 'min-execution-environments': String(min), 'max-execution-environments': String(max) }, { clock });

/** The same clock with beats switched off: its background sleeps end only when aborted. */
const withoutBeats = (clock: Clock): Clock => ({
  now: clock.now,
  sleep: clock.sleep,
  sleepInBackground: (_ms, signal) => new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true })),
});

const reactivating = (name: string, activateMs: number): FunctionSpec => ({ name, versions: { '3': { state: 'Deactivated', timings: { activateMs } } } });
const resizing = (name: string, resizeMs: number): FunctionSpec => ({ name, versions: { '3': { applied: { min: 3, max: 3 }, timings: { resizeMs } } } });
const BEAT = /still .* after |^\d+ of \d+ in effect/;
const requestLog = (emu: Emulator) => emu.requests.map((r) => `${r.at} ${r.operation} ${r.functionName}:${r.qualifier} ${r.status}`);

describe('the heartbeat', () => {
  it('beats about every 30 s during a long wait, for one target: how long, the state and reason, the config, the time left', async () => {
    const { clock, emu } = await setUp([reactivating('app', 100_000)]);
    const started = clock.now();
    const result = await scale(emu, clock, ['app']);
    expect(result.ok).toBe(true);
    const beats = result.timedLogs.filter((l) => BEAT.test(l.message));
    const times = beats.map((b) => b.at - started);
    expect(times).toHaveLength(3);
    expect(times[0]).toBeGreaterThanOrEqual(29_000);
    expect(times[0]).toBeLessThanOrEqual(31_000);
    for (const [i, t] of times.slice(1).entries()) expect(t - times[i]).toBeGreaterThanOrEqual(29_000);
    for (const [i, t] of times.slice(1).entries()) expect(t - times[i]).toBeLessThanOrEqual(31_000);
    expect(beats[0].message).toMatch(/^app:3: still Pending after (29|30|31)s \(Creating: The function version is being activated\.\); applied 0\/0, requested 2\/5; 14m (29|30|31)s left$/);
    expect(beats[2].message).toMatch(/^app:3: still Pending after 1m 3\ds/);
  });

  it('makes no request: the requests are the same, at the same times, with and without beats', async () => {
    const runs = [];
    for (const beats of [true, false]) {
      const { clock, emu } = await setUp([reactivating('app', 100_000)]);
      const result = await scale(emu, beats ? clock : withoutBeats(clock), ['app']);
      runs.push({ beats: result.logs.filter((l) => BEAT.test(l)).length, requests: requestLog(emu) });
    }
    expect(runs[0].beats).toBe(3);
    expect(runs[1].beats).toBe(0);
    expect(runs[0].requests).toEqual(runs[1].requests);
  });

  it('says nothing when the wait ends sooner, and stops with it: the clock does not run on', async () => {
    const { clock, emu } = await setUp([resizing('app', 20_000)]);
    const result = await scale(emu, clock, ['app']);
    expect(result.ok).toBe(true);
    expect(result.logs.filter((l) => BEAT.test(l))).toEqual([]);
    const settledAt = emu.inspect('app', '3').settledAt!;
    expect(clock.now() - settledAt).toBeLessThanOrEqual(1_200);
    // A beat left sleeping would still speak once time passes.
    const logged = result.logs.length;
    await clock.sleep(5 * 60_000);
    expect(result.logs).toHaveLength(logged);
  });

  it('gives one line per beat for many targets: in effect, the rest by state, counts adding up, the slowest named at the end', async () => {
    const specs = [
      ...[20, 40, 50, 70, 80, 110].map((s, i) => reactivating(`up${i}`, s * 1000)),
      resizing('resize', 45_000),
      { name: 'deploying', versions: { '3': { state: 'Pending' as const, lastUpdateInProgressMs: 40_000, timings: { activateMs: 5000 } } } },
    ];
    const { clock, emu } = await setUp(specs);
    const started = clock.now();
    const result = await scale(emu, clock, specs.map((s) => s.name));
    expect(result.errors).toEqual([]);
    const beats = result.timedLogs.filter((l) => BEAT.test(l.message));
    expect(beats.map((b) => Math.round((b.at - started) / 10_000))).toEqual([3, 6, 9]);
    for (const { message } of beats) {
      expect(message).toMatch(/^\d+ of 8 in effect; /);
      const [, inEffect, groups] = /^(\d+) of 8 in effect; ([^;]+);/.exec(message)!;
      const waiting = groups.split(', ').map((g) => Number(/^(\d+) /.exec(g)![1]));
      expect(Number(inEffect) + waiting.reduce((a, b) => a + b)).toBe(8);
    }
    // At 30 s: up0 (20 s) in effect; the resize is Active while its config converges; the deploy in progress blocks a put.
    expect(beats[0].message).toMatch(/^1 of 8 in effect; 1 with a deploy still in progress, 5 Pending, 1 Active with the config converging; 14m 30s left$/);
    // At 90 s only up5 is left: named as the slowest.
    expect(beats[2].message).toMatch(/^7 of 8 in effect; 1 Pending; slowest up5:3 is Pending: applied 0\/0, requested 2\/5; 13m 30s left$/);
  });

  it('keeps the summary to real state changes and the time waited per target', async () => {
    const { clock, emu } = await setUp([reactivating('app', 100_000)]);
    const result = await scale(emu, clock, ['app']);
    expect(result.logs.filter((l) => BEAT.test(l))).toHaveLength(3);
    expect(result.summary).toMatch(/^- app:3: Pending at [\d.]+ s → Active at 10[01]\.\d s$/m);
    const bars = result.summary.split('\n').filter((l) => /^ {2}\w+ :\d+, \d+$/.test(l));
    expect(bars.map((l) => l.trim().split(' ')[0])).toEqual(['Pending', 'Active']);
    expect(result.summary).toMatch(/\| app \| 3 \| \[3\]\([^)]*\) \| 0\/0 \| 2\/5 \| Active \| yes \| 10[01]\.\d s \|/);
  });
});
