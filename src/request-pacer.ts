import type { AdaptiveRate } from './adaptive-rate.js';
import type { Clock } from './clock.js';

/** The next free slot is at or past the deadline: starting the request would overrun the budget. */
export class DeadlineReached extends Error {
  constructor() {
    super('wait-for-minutes ran out before the request could start');
    this.name = 'DeadlineReached';
  }
}

interface Waiter {
  rank: number;
  deadline: number;
  start(): void;
  fail(error: unknown): void;
}

/**
 * Spaces requests that share one Lambda quota: starts are at least 1/rate apart, whatever the number of
 * targets, at the rate allowed at the time, and a throttle seen by one target pauses them all. Each free
 * slot goes to the waiting caller of the lowest rank, the earliest among equals (the ranks: lambda-api.ts).
 */
export class RequestPacer {
  private lastStart = -Infinity;
  private pausedUntil = -Infinity;
  /** By rank, then arrival: among equal ranks, first come first served. */
  private readonly waiting: Waiter[] = [];
  private dispatching = false;
  /** Ends the dispatcher's sleep once nobody waits, so that no timer outlives the callers. */
  private wake?: AbortController;

  constructor(
    readonly rate: AdaptiveRate,
    private readonly clock: Clock,
  ) {}

  private get spacingMs(): number {
    return 1000 / this.rate.perSecond();
  }

  private get nextFreeAt(): number {
    return Math.max(this.pausedUntil, this.lastStart + this.spacingMs);
  }

  /** Waits for this caller's turn; throws DeadlineReached rather than start at or after `deadline`. */
  async take(signal?: AbortSignal, deadline = Infinity, rank = 0): Promise<void> {
    signal?.throwIfAborted();
    if (Math.max(this.clock.now(), this.nextFreeAt) >= deadline) throw new DeadlineReached();
    await new Promise<void>((resolve, reject) => {
      const leave = () => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        if (this.waiting.length === 0) this.wake?.abort();
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        rank,
        deadline,
        start: () => {
          signal?.removeEventListener('abort', leave);
          resolve();
        },
        fail: (error) => {
          signal?.removeEventListener('abort', leave);
          reject(error);
        },
      };
      signal?.addEventListener('abort', leave, { once: true });
      const at = this.waiting.findIndex((w) => w.rank > rank);
      this.waiting.splice(at < 0 ? this.waiting.length : at, 0, waiter);
      if (!this.dispatching) void this.dispatch();
    });
  }

  /**
   * Hands out the slots one at a time: a stall (callers whose turns passed wake together), a timer that
   * fires early, or a throttle's pause cannot let two starts through closer than the spacing.
   */
  private async dispatch(): Promise<void> {
    this.dispatching = true;
    try {
      while (this.waiting.length > 0) {
        const now = this.clock.now();
        const freeAt = Math.max(now, this.nextFreeAt);
        for (const late of this.waiting.filter((w) => freeAt >= w.deadline)) {
          this.waiting.splice(this.waiting.indexOf(late), 1);
          late.fail(new DeadlineReached());
        }
        if (this.waiting.length === 0) break;
        if (freeAt > now) {
          this.wake = new AbortController();
          await this.clock.sleep(freeAt - now, this.wake.signal).catch(() => undefined);
          continue;
        }
        const next = this.waiting.shift()!;
        this.lastStart = now;
        this.rate.started(now);
        next.start();
      }
    } finally {
      this.dispatching = false;
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
