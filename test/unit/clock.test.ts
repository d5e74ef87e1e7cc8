import { getEventListeners } from 'node:events';
import { realClock } from '../../src/clock.js';

// The real clock is what the bundle runs on; flow tests use a virtual one.
describe('realClock', () => {
  it('sleeps about as long as asked', async () => {
    const started = Date.now();
    await realClock.sleep(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    // A sleep that never ends fails here, not at Jest's 30 s.
  }, 5000);

  it('rejects with the reason at once when already aborted, and as soon as the signal aborts', async () => {
    await expect(realClock.sleep(60_000, AbortSignal.abort(new Error('stop now')))).rejects.toThrow('stop now');
    const controller = new AbortController();
    const sleeping = realClock.sleep(60_000, controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(sleeping).rejects.toThrow('cancelled');
  }, 5000);


  it('leaves no listener on the signal after a sleep: a long wait would pile them up, and Node warns past 10', async () => {
    const signal = new AbortController().signal;
    for (let i = 0; i < 20; i++) await realClock.sleep(0, signal);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });
});
