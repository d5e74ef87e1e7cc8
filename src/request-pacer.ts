import type { Clock } from './clock.js';

/**
 * Spaces requests that share one Lambda quota: at most `perSecond` start in any second, whatever the
 * number of targets, and a throttle seen by one target pauses them all.
 */
export class RequestPacer {
  private nextSlot = 0;
  private pausedUntil = 0;
  private readonly spacingMs: number;

  constructor(
    perSecond: number,
    private readonly clock: Clock,
  ) {
    this.spacingMs = 1000 / perSecond;
  }

  /** Waits for this caller's turn. */
  async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      const slot = Math.max(now, this.nextSlot, this.pausedUntil);
      this.nextSlot = slot + this.spacingMs;
      if (slot > now) await this.clock.sleep(slot - now, signal);
      // A throttle may have paused everyone while this caller slept.
      if (this.clock.now() >= this.pausedUntil) return;
    }
  }

  /** Holds every caller until `until` (a throttle's Retry-After, or a backoff). */
  pause(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }
}
