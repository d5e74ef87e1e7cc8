import type { AdaptiveRate } from './adaptive-rate.js';
import type { Clock } from './clock.js';

/** The next free slot is at or past the deadline: starting the request would overrun the budget. */
export class DeadlineReached extends Error {
  constructor() {
    super('wait-for-minutes ran out before the request could start');
    this.name = 'DeadlineReached';
  }
}

/**
 * Spaces requests that share one Lambda quota: starts are at least 1/rate apart, whatever the number of
 * targets, at the rate allowed at the time, and a throttle seen by one target pauses them all.
 */
export class RequestPacer {
  private nextSlot = -Infinity;
  private lastStart = -Infinity;
  private pausedUntil = -Infinity;

  constructor(
    readonly rate: AdaptiveRate,
    private readonly clock: Clock,
  ) {}

  private get spacingMs(): number {
    return 1000 / this.rate.perSecond();
  }

  /** Waits for this caller's turn; throws DeadlineReached rather than start at or after `deadline`. */
  async take(signal?: AbortSignal, deadline = Infinity): Promise<void> {
    signal?.throwIfAborted();
    const slot = Math.max(this.clock.now(), this.nextSlot, this.pausedUntil, this.lastStart + this.spacingMs);
    if (slot >= deadline) throw new DeadlineReached();
    this.nextSlot = slot + this.spacingMs;
    // A booked slot is a place in the queue, not a licence: after a stall (callers whose slots passed
    // wake together), a timer that fires a little early, or a throttle's pause, wait out in place what
    // is left of the spacing since the last real start.
    for (let wakeAt = slot; ; ) {
      const now = this.clock.now();
      if (wakeAt > now) await this.clock.sleep(wakeAt - now, signal);
      const woke = this.clock.now();
      const earliest = Math.max(this.pausedUntil, this.lastStart + this.spacingMs);
      if (woke >= earliest) {
        this.lastStart = woke;
        this.rate.started(woke);
        return;
      }
      if (earliest >= deadline) throw new DeadlineReached();
      wakeAt = earliest;
    }
  }

  /**
   * Holds every caller until `until` (a throttle's Retry-After and jitter). The throttled request used no
   * quota: the pause, not the spacing since it, sets when the next one starts.
   */
  pause(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
    this.lastStart = -Infinity;
  }
}
