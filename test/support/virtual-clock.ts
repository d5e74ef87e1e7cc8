import type { Clock } from '../../src/clock.js';

interface Timer {
  at: number;
  resolve: () => void;
}

/**
 * A clock whose sleeps end at once in real time, shared with the emulator so minutes of waiting run
 * in milliseconds. Pending sleeps end in time order: after I/O callbacks have run (setImmediate), the
 * clock jumps to the earliest one. A target busy with a request while another's sleep ends sees that
 * time pass during its request, as it would on a slow network.
 */
export function virtualClock(start = 1_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  const timers: Timer[] = [];
  let ticking = false;

  const tick = () => {
    timers.sort((a, b) => a.at - b.at);
    const next = timers.shift();
    if (next) {
      now = Math.max(now, next.at);
      next.resolve();
    }
    ticking = timers.length > 0;
    if (ticking) setImmediate(tick);
  };

  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const timer: Timer = {
          at: now + Math.max(0, ms),
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
        if (!ticking) {
          ticking = true;
          setImmediate(tick);
        }
      }),
  };
}
