import { backoffMs } from '../../src/backoff.js';
import { DeadlineReached, RequestPacer } from '../../src/request-pacer.js';
import { virtualClock } from '../support/virtual-clock.js';

describe('backoffMs', () => {
  it('doubles up to the cap, with half of each step random', () => {
    expect(backoffMs(0, 1000, 8000, () => 0)).toBe(500);
    expect(backoffMs(0, 1000, 8000, () => 1)).toBe(1000);
    expect(backoffMs(2, 1000, 8000, () => 0.5)).toBe(3000);
    expect(backoffMs(10, 1000, 8000, () => 1)).toBe(8000);
  });
});

describe('RequestPacer', () => {
  it('spaces requests so no second holds more than the rate', async () => {
    const clock = virtualClock(0);
    const pacer = new RequestPacer(8, clock);
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 20 }, () => pacer.take().then(() => starts.push(clock.now()))));
    for (const start of starts) expect(starts.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(8);
  });

  it('holds every caller during a pause', async () => {
    const clock = virtualClock(0);
    const pacer = new RequestPacer(8, clock);
    await pacer.take();
    pacer.pause(5000);
    await pacer.take();
    expect(clock.now()).toBeGreaterThanOrEqual(5000);
  });

  it('does not burst after a stall: callers whose slots passed still start a spacing apart', async () => {
    const clock = virtualClock(0);
    const pacer = new RequestPacer(8, clock);
    await pacer.take();
    const starts: number[] = [0];
    const all = Promise.all(Array.from({ length: 11 }, () => pacer.take().then(() => starts.push(clock.now()))));
    // The event loop stalls for 700 ms while five callers' slots pass.
    clock.advance(700);
    await all;
    const sorted = [...starts].sort((a, b) => a - b);
    expect(sorted.filter((t) => t >= 700 && t < 1700).length).toBeLessThanOrEqual(8);
    sorted.slice(1).forEach((t, i) => expect(t - sorted[i]).toBeGreaterThanOrEqual(125));
  });

  it('counts every closed one-second window', async () => {
    const clock = virtualClock(0);
    const pacer = new RequestPacer(8, clock);
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 30 }, () => pacer.take().then(() => starts.push(clock.now()))));
    for (const start of starts) expect(starts.filter((t) => t >= start && t <= start + 1000).length).toBeLessThanOrEqual(9);
  });

  it('refuses to start at or past the deadline', async () => {
    const clock = virtualClock(0);
    const pacer = new RequestPacer(1, clock);
    await pacer.take(undefined, 5000);
    await expect(pacer.take(undefined, 1000)).rejects.toThrow(DeadlineReached);
    expect(clock.now()).toBe(0);
  });

  it('refuses an already cancelled caller even when a slot is free', async () => {
    const pacer = new RequestPacer(1, virtualClock(0));
    const cancel = new AbortController();
    cancel.abort(new Error('cancelled'));
    await expect(pacer.take(cancel.signal)).rejects.toThrow('cancelled');
  });

  it('stops waiting when cancelled', async () => {
    const clock = virtualClock(0);
    const pacer = new RequestPacer(1, clock);
    await pacer.take();
    const cancel = new AbortController();
    cancel.abort(new Error('cancelled'));
    await expect(pacer.take(cancel.signal)).rejects.toThrow('cancelled');
  });
});
