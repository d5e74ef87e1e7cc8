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
export function virtualClock(start = 1_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  const timers: Timer[] = [];
  let ticking = false;
  const driving = () => timers.some((t) => !t.background);

  const tick = () => {
    timers.sort((a, b) => a.at - b.at);
    // The earliest timer ends, background or not, but only while some sleep of the work is pending.
    const next = driving() ? timers.shift() : undefined;
    if (next) {
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
      const timer: Timer = {
        at: now + Math.max(0, ms),
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
