// The request engine: every Lambda request of a step goes through it, paced under its quota (one pace
// per quota, shared by all targets), retried within the deadline, cut at the deadline, and logged.
import { AdaptiveRate } from './adaptive-rate.js';
import { backoffMs } from './backoff.js';
import type { Clock } from './clock.js';
import { classifyError, RequestFailure } from './errors.js';
import { ForeignAnswer, mediaType } from './foreign-answer.js';
import { DeadlineReached, RequestPacer } from './request-pacer.js';

export interface Logger {
  info(message: string): void;
  debug(message: string): void;
}

export interface RequestEngineOptions {
  clock: Clock;
  logger: Logger;
  /** Cancellation (the runner's SIGINT/SIGTERM). */
  signal: AbortSignal;
  /** Absolute clock time after which no retry starts and in-flight requests are cut. */
  deadline: number;
  random?: () => number;
}

/**
 * Lambda's control-plane quota is 15/s per account and region; the step keeps well under it, and lower
 * while Lambda throttles (other jobs of a matrix, other pipelines of the account share the quota).
 */
export const CONTROL_PLANE_PER_SECOND = 8;
/** GetFunction has a quota of its own (100/s). */
export const GET_FUNCTION_PER_SECOND = 40;
/** Capacity-provider reads have a quota of their own (15/s per account, not per region): stay well under it. */
export const CAPACITY_PROVIDER_PER_SECOND = 5;
/** 5xx answers and network faults: one request is tried this many times at most, then reported. */
export const MAX_TRANSIENT_ATTEMPTS = 8;

export type Pace = 'controlPlane' | 'getFunction' | 'capacityProvider';

/**
 * The order of requests waiting for the same pace, lower first (RequestPacer). With many targets the
 * control plane is the bottleneck: a put goes first (a change started sooner ends sooner), then the other
 * work that leads to puts (first reads, aliases), then the read-backs that only confirm a change, the one
 * put first read first (the most likely to be done). On the tests' virtual clock, 200 targets with
 * 20-40 s changes end half a second after the last one settles this way, seven in the order asked.
 */
export const RANK = { put: 0, work: 1, readBack: (putAtMs: number) => 2 + putAtMs };

/**
 * Sends each request at its turn in its pace and retries it, within the deadline, on conflicts,
 * throttles, 5xx answers and network faults; anything else is thrown at once (as a RequestFailure).
 */
export class RequestEngine {
  private readonly pacers: Record<Pace, RequestPacer>;
  /** Aborts at the deadline: cuts a request in flight then. */
  private readonly budget: AbortSignal;
  /** Aborts on cancellation or at the deadline: given to every request. */
  readonly stop: AbortSignal;
  /** When a request of this step first succeeded: credentials refused after that have expired during the step. */
  firstSuccessAt?: number;
  /** Each quota being busy is said once per step; each retry goes to the debug log. */
  private readonly quotaBusyLogged = new Set<Pace>();

  constructor(private readonly options: RequestEngineOptions) {
    this.pacers = {
      controlPlane: new RequestPacer(new AdaptiveRate({ ceiling: CONTROL_PLANE_PER_SECOND }), options.clock),
      getFunction: new RequestPacer(new AdaptiveRate({ ceiling: GET_FUNCTION_PER_SECOND }), options.clock),
      capacityProvider: new RequestPacer(new AdaptiveRate({ ceiling: CAPACITY_PROVIDER_PER_SECOND }), options.clock),
    };
    this.budget = AbortSignal.timeout(Math.max(1, options.deadline - options.clock.now()));
    this.stop = AbortSignal.any([options.signal, this.budget]);
  }

  /**
   * How often a target waiting for its config may read it back: every poll while the control-plane rate
   * allows one a second, less often while throttles have slowed it.
   */
  confirmationIntervalMs(pollIntervalMs: number): number {
    return Math.max(pollIntervalMs, 1000 / this.pacers.controlPlane.rate.perSecond());
  }

  /**
   * `target` (function:qualifier) only labels the log lines. A conflict (`throwConflicts`) or a throttle
   * (`throwThrottles`) is thrown at once instead of retried; a throttle still slows and pauses the pace.
   * `rank` orders the request in its pace (see RANK).
   */
  async call<T extends { $metadata: { requestId?: string; httpStatusCode?: number } }>(
    operation: string,
    target: string,
    pace: Pace,
    send: (abortSignal: AbortSignal) => Promise<T>,
    { throwConflicts = false, throwThrottles = false, rank = RANK.work } = {},
  ): Promise<T> {
    const { clock, logger, signal, deadline } = this.options;
    const random = this.options.random ?? Math.random;
    let transientFailures = 0;
    let lastError: unknown;
    let tries = 0;
    const giveUp = (error: unknown) => new RequestFailure(operation, error, tries);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.pacers[pace].take(signal, deadline, rank);
      } catch (error) {
        if (error instanceof DeadlineReached && lastError !== undefined) throw giveUp(lastError);
        throw error;
      }
      const started = clock.now();
      tries++;
      try {
        const out = await send(this.stop);
        this.firstSuccessAt ??= started;
        this.pacers[pace].rate.succeeded(clock.now());
        const id = out.$metadata.requestId ? `request ID ${out.$metadata.requestId}` : 'no request ID';
        logger.debug(`${operation} ${target}: HTTP ${out.$metadata.httpStatusCode}, ${id}, ${clock.now() - started} ms`);
        return out;
      } catch (error) {
        lastError = error;
        const failure = classifyError(error);
        logger.debug(`${operation} ${target}: ${describe(error)} after ${clock.now() - started} ms`);
        if (signal.aborted) throw signal.reason;
        if (this.budget.aborted) throw new DeadlineReached();
        if (failure.kind === 'fatal' || failure.kind === 'aborted' || (failure.kind === 'conflict' && throwConflicts)) throw giveUp(error);
        if (failure.kind === 'transient' && ++transientFailures >= MAX_TRANSIENT_ATTEMPTS) throw giveUp(error);
        const now = clock.now();
        const { rate } = this.pacers[pace];
        // A throttle slows this pace for every target of the step, and holds them all past the Retry-After.
        const resumeAt =
          failure.kind === 'throttle'
            ? rate.throttled(now, started, failure.retryAfterMs, random)
            : now + (failure.kind === 'conflict' ? backoffMs(attempt, 1000, 8000, random) : backoffMs(attempt, 500, 8000, random));
        if (failure.kind === 'throttle') {
          if (!this.quotaBusyLogged.has(pace)) logger.info(QUOTA_BUSY[pace]);
          this.quotaBusyLogged.add(pace);
          // Also when this request gives up: the other targets' requests would meet the same throttle.
          // Not retried, the caller's next turn at the slowed pace spreads it: the pause holds only the Retry-After.
          this.pacers[pace].pause(throwThrottles ? rate.retryAt(now, failure.retryAfterMs) : resumeAt);
        }
        if (failure.kind === 'throttle' && throwThrottles) {
          logger.debug(`${operation} ${target}: ${retryReason(failure.kind, error)}; not retried, read again at the next turn`);
          throw giveUp(error);
        }
        if (resumeAt >= deadline) throw giveUp(error);
        const delay = resumeAt - now;
        const retrying = `${operation} ${target}: ${retryReason(failure.kind, error)}; retrying in ${(delay / 1000).toFixed(1)} s`;
        if (failure.kind === 'throttle') logger.debug(retrying);
        else logger.info(retrying);
        await clock.sleep(delay, signal);
      }
    }
  }
}

const QUOTA_BUSY: Record<Pace, string> = {
  controlPlane:
    "Lambda's request quota for this account and region is busy (15 control-plane requests per second, shared by every job and pipeline of the account): " +
    'this step slows its requests down and keeps trying until wait-for-minutes runs out. To avoid it, scale many targets in one step, or cap a matrix with max-parallel.',
  getFunction:
    "Lambda's GetFunction quota for this account and region is busy (100 requests per second, shared by every job and pipeline of the account): " +
    'this step slows its state reads down and keeps trying until wait-for-minutes runs out. Other pipelines of the account may be polling GetFunction hard.',
  capacityProvider:
    "Lambda's quota for capacity-provider reads is busy (15 requests per second, shared by every job and pipeline of the account): " +
    "this step slows its capacity-provider reads down and keeps trying until wait-for-minutes runs out. Other pipelines of the account may be reading capacity providers hard.",
};

function retryReason(kind: 'conflict' | 'throttle' | 'transient', error: unknown): string {
  if (kind === 'conflict') return 'the version is busy with another update';
  if (kind === 'throttle') return "throttled by Lambda's API quota";
  return `a passing failure (${describe(error)})`;
}

function describe(error: unknown): string {
  if (error instanceof ForeignAnswer) {
    const { status, contentType, endpoint } = error.facts;
    return `not a Lambda answer: HTTP ${status}${contentType ? ` ${mediaType(contentType)}` : ''} from ${endpoint}`;
  }
  const err = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number; requestId?: string } };
  const status = err.$metadata?.httpStatusCode ? ` HTTP ${err.$metadata.httpStatusCode}` : '';
  const id = err.$metadata?.requestId ? `, request ID ${err.$metadata.requestId}` : '';
  return `${err.code ?? err.name ?? 'Error'}${status}${id}`;
}

