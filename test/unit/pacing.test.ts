import { AdaptiveRate } from '../../src/adaptive-rate.js';
import { backoffMs } from '../../src/backoff.js';
import { RANK } from '../../src/request-engine.js';
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
    const pacer = new RequestPacer(new AdaptiveRate({ ceiling: 8 }), clock);
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 20 }, () => pacer.take().then(() => starts.push(clock.now()))));
    for (const start of starts) expect(starts.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(8);
  });

  it('gives each free slot to the lowest rank waiting, the first come among equals', async () => {
    const clock = virtualClock(0);
    const pacer = new RequestPacer(new AdaptiveRate({ ceiling: 8 }), clock);
    await pacer.take();
    const order: string[] = [];
    const take = (name: string, rank: number) => pacer.take(undefined, Infinity, rank).then(() => order.push(name));
    // Read-backs ranked by when their change was put, the work (rank 0) before them all.
    await Promise.all([take('read-back put at 5', 5), take('read-back put at 2', 2), take('put', 0), take('read', 0), take('read-back put at 2 too', 2)]);
    expect(order).toEqual(['put', 'read', 'read-back put at 2', 'read-back put at 2 too', 'read-back put at 5']);
    expect(clock.now()).toBe(5 * 125);
  });

  it('ranks a put before the other work, and read-backs after both, the change put first read first', async () => {
    const clock = virtualClock(0);
    const pacer = new RequestPacer(new AdaptiveRate({ ceiling: 8 }), clock);
    await pacer.take();
    const order: string[] = [];
    const take = (name: string, rank: number) => pacer.take(undefined, Infinity, rank).then(() => order.push(name));
    await Promise.all([take('read-back of a change put at 9 s', RANK.readBack(9000)), take('read-back of a change put at 0 s', RANK.readBack(0)), take('first read', RANK.work), take('put', RANK.put)]);
    expect(order).toEqual(['put', 'first read', 'read-back of a change put at 0 s', 'read-back of a change put at 9 s']);
  });

  it('lets no timer outlive its callers: the last one cancelled ends the wait for a slot', async () => {
    const clock = virtualClock(0);
    const pacer = new RequestPacer(new AdaptiveRate({ ceiling: 8 }), clock);
    await pacer.take();
    pacer.pause(60_000);
    const cancel = new AbortController();
    const waiting = pacer.take(cancel.signal);
    cancel.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    // A new caller after the cancel is served at the pause's end, not stuck behind a stale wake.
    await pacer.take();
    expect(clock.now()).toBe(60_000);
  });

  it('holds every caller during a pause', async () => {
    const clock = virtualClock(0);
    const pacer = new RequestPacer(new AdaptiveRate({ ceiling: 8 }), clock);
    await pacer.take();
    pacer.pause(5000);
    await pacer.take();
    expect(clock.now()).toBeGreaterThanOrEqual(5000);
  });

  it('does not burst after a stall: callers whose slots passed still start a spacing apart', async () => {
    const clock = virtualClock(0);
    const pacer = new RequestPacer(new AdaptiveRate({ ceiling: 8 }), clock);
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
    const pacer = new RequestPacer(new AdaptiveRate({ ceiling: 8 }), clock);
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 30 }, () => pacer.take().then(() => starts.push(clock.now()))));
    for (const start of starts) expect(starts.filter((t) => t >= start && t <= start + 1000).length).toBeLessThanOrEqual(9);
  });

  it('spaces by the rate allowed at the time: a cut widens the spacing', async () => {
    const clock = virtualClock(0);
    const rate = new AdaptiveRate({ ceiling: 8 });
    const pacer = new RequestPacer(rate, clock);
    await pacer.take();
    await pacer.take();
    expect(clock.now()).toBe(125);
    rate.throttled(clock.now(), clock.now(), 0, () => 0);
    await pacer.take();
    // Two starts in the last 2 s: 1/s sent, cut to 0.5/s.
    expect(clock.now()).toBe(125 + 2000);
  });

  it('starts again when the pause ends: the throttled start used no quota, so the cut spacing does not count from it', async () => {
    const clock = virtualClock(0);
    const rate = new AdaptiveRate({ ceiling: 8 });
    const pacer = new RequestPacer(rate, clock);
    await pacer.take();
    // One request sent: cut to the 0.5/s floor, a 2 s spacing.
    pacer.pause(rate.throttled(0, 0, 1000, () => 0));
    await pacer.take();
    expect(clock.now()).toBe(1000);
  });

  it('refuses to start at or past the deadline', async () => {
    const clock = virtualClock(0);
    const pacer = new RequestPacer(new AdaptiveRate({ ceiling: 1 }), clock);
    await pacer.take(undefined, 5000);
    await expect(pacer.take(undefined, 1000)).rejects.toThrow(DeadlineReached);
    expect(clock.now()).toBe(0);
  });

  it('gives up, rather than start late, when a pause reaching the deadline comes while it waits', async () => {
    const clock = virtualClock(0);
    const pacer = new RequestPacer(new AdaptiveRate({ ceiling: 1 }), clock);
    await pacer.take(undefined, 1500);
    // Its slot (1000) is before the deadline when booked; another target's throttle then pauses all until
    // the deadline itself, where no request may start.
    const waiting = pacer.take(undefined, 1500);
    pacer.pause(1500);
    await expect(waiting).rejects.toThrow(DeadlineReached);
    expect(clock.now()).toBe(1000);
  });

  it('refuses an already cancelled caller even when a slot is free', async () => {
    const pacer = new RequestPacer(new AdaptiveRate({ ceiling: 1 }), virtualClock(0));
    const cancel = new AbortController();
    cancel.abort(new Error('cancelled'));
    await expect(pacer.take(cancel.signal)).rejects.toThrow('cancelled');
  });

  it('stops waiting when cancelled', async () => {
    const clock = virtualClock(0);
    const pacer = new RequestPacer(new AdaptiveRate({ ceiling: 1 }), clock);
    await pacer.take();
    const cancel = new AbortController();
    cancel.abort(new Error('cancelled'));
    await expect(pacer.take(cancel.signal)).rejects.toThrow('cancelled');
  });
});

describe('AdaptiveRate', () => {
  /** A rate that has sent `perSecond` requests a second for the last 2 s, up to `now`. */
  function sending(rate: AdaptiveRate, perSecond: number, now: number): void {
    for (let t = now - 2000 + 1000 / perSecond; t <= now; t += 1000 / perSecond) rate.started(t);
  }

  it('starts at the ceiling and stays there while calm', () => {
    const rate = new AdaptiveRate({ ceiling: 8 });
    sending(rate, 8, 10_000);
    rate.succeeded(10_000);
    expect(rate.perSecond()).toBe(8);
  });

  it('cuts to 50–75 % of what was being sent, not of the allowance', () => {
    for (const [random, expected] of [
      [0, 0.5],
      [1, 0.75],
    ]) {
      const rate = new AdaptiveRate({ ceiling: 8 });
      sending(rate, 1, 10_000);
      rate.throttled(10_000, 10_000, 1000, () => random);
      expect(rate.perSecond()).toBeCloseTo(expected);
    }
  });

  it('measures what was sent over the last 2 s only, a start exactly 2 s old excluded', () => {
    const rate = new AdaptiveRate({ ceiling: 8, floor: 0.1 });
    for (let t = 5000; t < 6000; t += 100) rate.started(t);
    for (const t of [8000, 9000, 10_000]) rate.started(t);
    rate.throttled(10_000, 10_000, 1000, () => 0);
    // 9000 and 10 000 only: 1/s sent, cut to half.
    expect(rate.perSecond()).toBe(0.5);
  });

  it('cuts a busy step multiplicatively, and never below the floor', () => {
    const rate = new AdaptiveRate({ ceiling: 8 });
    sending(rate, 8, 10_000);
    rate.throttled(10_000, 10_000, 1000, () => 0);
    expect(rate.perSecond()).toBeCloseTo(4);
    for (let t = 11_000; t < 20_000; t += 1000) rate.throttled(t, t, 1000, () => 0);
    expect(rate.perSecond()).toBe(0.5);
  });

  it('cuts once per congestion: answers to requests sent before the cut do not cut again', () => {
    const rate = new AdaptiveRate({ ceiling: 8 });
    sending(rate, 8, 10_000);
    rate.throttled(10_000, 9_900, 1000, () => 0);
    rate.throttled(10_050, 9_950, 1000, () => 0);
    expect(rate.perSecond()).toBeCloseTo(4);
    rate.throttled(10_500, 10_400, 1000, () => 0);
    expect(rate.perSecond()).toBeCloseTo(2);
  });

  it('resumes after the Retry-After (1 s without one), plus up to two spacings of jitter', () => {
    const early = new AdaptiveRate({ ceiling: 8 });
    sending(early, 1, 10_000);
    expect(early.throttled(10_000, 10_000, 3000, () => 0)).toBe(13_000);
    const late = new AdaptiveRate({ ceiling: 8 });
    sending(late, 1, 10_000);
    // Random 1: cut to 0.75/s, a spacing of 1333 ms.
    expect(late.throttled(10_000, 10_000, undefined, () => 1)).toBeCloseTo(10_000 + 1000 + 2 * (1000 / 0.75));
  });

  it('raises the rate slowly once calm, up to the ceiling and no further', () => {
    const rate = new AdaptiveRate({ ceiling: 8 });
    sending(rate, 8, 10_000);
    rate.throttled(10_000, 10_000, 1000, () => 0);
    rate.succeeded(11_900);
    expect(rate.perSecond()).toBe(4);
    rate.succeeded(12_000);
    expect(rate.perSecond()).toBe(4);
    rate.succeeded(22_000);
    // Ten calm seconds after the 2 s hold: 5 % a second.
    expect(rate.perSecond()).toBeCloseTo(4 * 1.05 ** 10);
    rate.succeeded(100_000);
    expect(rate.perSecond()).toBe(8);
  });
});
