import type { Clock } from '../../src/clock.js';

interface Timer {
  at: number;
  /** A background sleep's timer: it ends when the others' carry the clock past it, never moves it on itself. */
  background: boolean;
  resolve: () => void;
}

/**
 * A clock whose sleeps end at once in real time, shared with the emulator so minutes of waiting run
 * in milliseconds. Pending sleeps end in time order: after I/O callbacks have run (setImmediate), the
 * clock jumps to the earliest one. A target busy with a request while another's sleep ends sees that
 * time pass during its request, as it would on a slow network. A background sleep (the heartbeat's)
 * only watches: were it to move the clock, every request in flight would seem to take until its end.
 */
const SPIN_LIMIT = 100_000;

export function virtualClock(start = 1_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  const timers: Timer[] = [];
  let ticking = false;
  /** Sleeps ended in a row without the clock moving on. */
  let stalled = 0;
  const driving = () => timers.some((t) => !t.background);

  const tick = () => {
    timers.sort((a, b) => a.at - b.at);
    // The earliest timer ends, background or not, but only while some sleep of the work is pending.
    const next = driving() ? timers.shift() : undefined;
    if (next) {
      stalled = next.at > now ? 0 : stalled + 1;
      now = Math.max(now, next.at);
      next.resolve();
    }
    ticking = driving();
    if (ticking) setImmediate(tick);
  };

  const sleep = (ms: number, signal: AbortSignal | undefined, background: boolean) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      // Real time would move on, slowly, while the CPU spins; here it would stand still for ever. A clear
      // failure instead of a test (or a mutant) that runs until its timeout.
      if (stalled >= SPIN_LIMIT) {
        reject(new Error(`virtual clock: ${SPIN_LIMIT} sleeps in a row ended at one instant: a loop that sleeps 0 ms and never lets time pass`));
        return;
      }
      const timer: Timer = {
        // A positive sleep lasts at least 1 ms, as setTimeout's does: one of a rounding error (a moment
        // computed apart, minus now) would end at the same instant, and its caller would sleep forever.
        at: now + (ms > 0 ? Math.max(1, ms) : 0),
        background,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        timers.splice(timers.indexOf(timer), 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      timers.push(timer);
      if (!ticking && !background) {
        ticking = true;
        setImmediate(tick);
      }
    });

  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    sleep: (ms, signal) => sleep(ms, signal, false),
    sleepInBackground: (ms, signal) => sleep(ms, signal, true),
  };
}
