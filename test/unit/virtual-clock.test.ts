import { virtualClock } from '../support/virtual-clock.js';

describe('the virtual clock', () => {
  it('does not move on for a background sleep alone: it ends as the other sleeps carry the clock past it', async () => {
    const clock = virtualClock(0);
    const order: string[] = [];
    void clock.sleepInBackground(5000).then(() => order.push(`background at ${clock.now()}`));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(clock.now()).toBe(0);
    await clock.sleep(3000).then(() => order.push(`sleep at ${clock.now()}`));
    await clock.sleep(4000).then(() => order.push(`sleep at ${clock.now()}`));
    expect(order).toEqual(['sleep at 3000', 'background at 5000', 'sleep at 7000']);
  });

  it('makes a positive sleep last at least 1 ms, as setTimeout does, so that a sleep of a rounding error moves time on', async () => {
    const clock = virtualClock(1_000_000);
    await clock.sleep(1e-10);
    expect(clock.now()).toBe(1_000_001);
    await clock.sleep(0);
    expect(clock.now()).toBe(1_000_001);
    await clock.sleep(2.5);
    expect(clock.now()).toBe(1_000_003.5);
  });

  it('fails a loop that sleeps 0 ms for ever, instead of spinning until the test times out', async () => {
    const clock = virtualClock(0);
    const spin = async () => {
      for (;;) await clock.sleep(0);
    };
    await expect(spin()).rejects.toThrow('virtual clock: 100000 sleeps in a row ended at one instant: a loop that sleeps 0 ms and never lets time pass');
    expect(clock.now()).toBe(0);
  });
});
