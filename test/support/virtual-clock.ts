import type { Clock } from '../../src/clock.js';

/**
 * A clock whose sleeps advance time at once, shared with the emulator so minutes of waiting run in
 * milliseconds. It is exact for one sequence of sleeps at a time (one target); concurrent targets
 * need the real clock.
 */
export function virtualClock(start = 1_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      now += Math.max(0, ms);
      // Let I/O callbacks (the emulator's answers) run between steps.
      await new Promise((resolve) => setImmediate(resolve));
      if (signal?.aborted) throw signal.reason;
    },
  };
}
