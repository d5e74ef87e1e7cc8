import type { Clock } from './clock.js';

/** The next free slot is at or past the deadline: starting the request would overrun the budget. */
export class DeadlineReached extends Error {
  constructor() {
    super('wait-for-minutes ran out before the request could start');
    this.name = 'DeadlineReached';
  }
}

/**
 * Spaces requests that share one Lambda quota: starts are at least 1/perSecond apart, whatever the
 * number of targets, and a throttle seen by one target pauses them all.
 */
export class RequestPacer {
  private nextSlot = -Infinity;
  private lastStart = -Infinity;
  private pausedUntil = -Infinity;
  private readonly spacingMs: number;

  constructor(
    perSecond: number,
    private readonly clock: Clock,
  ) {
    this.spacingMs = 1000 / perSecond;
  }

  /** Waits for this caller's turn; throws DeadlineReached rather than start at or after `deadline`. */
  async take(signal?: AbortSignal, deadline = Infinity): Promise<void> {
    signal?.throwIfAborted();
    for (;;) {
      const now = this.clock.now();
      const slot = Math.max(now, this.nextSlot, this.pausedUntil, this.lastStart + this.spacingMs);
      if (slot >= deadline) throw new DeadlineReached();
      this.nextSlot = slot + this.spacingMs;
      if (slot > now) await this.clock.sleep(slot - now, signal);
      // Booked slots are only a queue: after a stall (or a throttle's pause) several callers wake at
      // once, and each must still find the spacing since the last real start, or take a new slot.
      const woke = this.clock.now();
      if (woke >= this.pausedUntil && woke >= this.lastStart + this.spacingMs) {
        this.lastStart = woke;
        return;
      }
    }
  }

  /** Holds every caller until `until` (a throttle's Retry-After, or a backoff). */
  pause(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }
}
