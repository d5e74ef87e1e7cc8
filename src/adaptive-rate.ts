/**
 * How fast one process may send requests that share a quota with processes it knows nothing of (a matrix of
 * jobs, other pipelines of the account), after the AWS SDKs' adaptive retry mode: a throttle cuts the rate
 * to a random 50–75 % of what was actually being sent, and calm raises it again slowly (5 % a second once
 * 2 s have passed without a throttle), up to the ceiling.
 * Nothing is shared between processes: they converge because each one backs off, and the random cut and
 * resume keep them from moving in step. Pure: time comes in as arguments.
 */
export interface AdaptiveRateOptions {
  /** Requests per second when nothing is throttled: the step's own budget. */
  ceiling: number;
  /** Never slower than this, so a long throttle storm still confirms now and then. */
  floor?: number;
}

/** The cut keeps this share of the sending rate, plus a random part of CUT_JITTER. */
const CUT_KEEP = 0.5;
const CUT_JITTER = 0.25;
/** Calm raises the rate by this share per second, once HOLD_MS have passed since the last cut. */
const RAISE_PER_SECOND = 0.05;
const HOLD_MS = 2000;
/** The sending rate is measured over this window. */
const MEASURE_MS = 2000;
/** Lambda's Retry-After is in whole seconds; without one, wait as long. */
const DEFAULT_RETRY_AFTER_MS = 1000;
const DEFAULT_FLOOR = 0.5;
/** After a throttle's Retry-After, a random part of this many spacings more: wide enough that a crowd throttled together spreads out. */
const RESUME_JITTER = 2;

export class AdaptiveRate {
  private rate: number;
  private readonly floor: number;
  private starts: number[] = [];
  private lastCutAt = -Infinity;
  /** Set by each cut. Before the first, the rate is at the ceiling, which no raise goes past. */
  private raisedAt = 0;

  constructor(private readonly options: AdaptiveRateOptions) {
    this.rate = options.ceiling;
    this.floor = Math.min(options.floor ?? DEFAULT_FLOOR, options.ceiling);
  }

  /** Requests per second allowed now. */
  perSecond(): number {
    return this.rate;
  }

  /** A request started: what is actually sent, not the allowance, is what a throttle cuts. */
  started(now: number): void {
    this.startsWithin(now).push(now);
  }

  /** The starts of the last MEASURE_MS up to `now`; older ones are forgotten. */
  private startsWithin(now: number): number[] {
    this.starts = this.starts.filter((t) => t > now - MEASURE_MS);
    return this.starts;
  }

  /**
   * A request that started at `startedAt` was throttled. Cuts the rate once per congestion: answers to
   * requests sent before the last cut were sent too fast already. Returns when to send again: after the
   * Retry-After, plus a random part of two new spacings, so that the processes throttled together do not
   * come back together.
   */
  throttled(now: number, startedAt: number, retryAfterMs: number | undefined, random: () => number): number {
    if (startedAt >= this.lastCutAt) {
      const sending = this.startsWithin(now).length / (MEASURE_MS / 1000);
      this.rate = Math.max(this.floor, Math.min(this.rate, sending) * (CUT_KEEP + random() * CUT_JITTER));
      this.lastCutAt = now;
      this.raisedAt = now;
    }
    return this.retryAt(now, retryAfterMs) + random() * RESUME_JITTER * (1000 / this.rate);
  }

  /** The earliest a throttled request may be sent again: the Retry-After, with no spread. */
  retryAt(now: number, retryAfterMs: number | undefined): number {
    return now + (retryAfterMs ?? DEFAULT_RETRY_AFTER_MS);
  }

  /** An answer that was not a throttle: after a calm hold, the rate creeps back up. */
  succeeded(now: number): void {
    // Calm counts from the last raise, and not before the hold after the last cut has passed.
    const from = Math.max(this.raisedAt, this.lastCutAt + HOLD_MS);
    if (now <= from) return;
    this.rate = Math.min(this.options.ceiling, this.rate * (1 + RAISE_PER_SECOND) ** ((now - from) / 1000));
    this.raisedAt = now;
  }
}
