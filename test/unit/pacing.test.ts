import { backoffMs } from '../../src/backoff.js';
import { RequestPacer } from '../../src/request-pacer.js';
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

  it('stops waiting when cancelled', async () => {
    const clock = virtualClock(0);
    const pacer = new RequestPacer(1, clock);
    await pacer.take();
    const cancel = new AbortController();
    cancel.abort(new Error('cancelled'));
    await expect(pacer.take(cancel.signal)).rejects.toThrow('cancelled');
  });
});
