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
});
