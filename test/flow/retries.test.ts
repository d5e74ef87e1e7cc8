import { startEmulator, type Emulator } from '../emulator/server.js';
import { runFlow } from '../support/flow.js';
import { virtualClock } from '../support/virtual-clock.js';

// How often and how late a failed request is tried again, as the emulator records it.
let emu: Emulator;
let clock: ReturnType<typeof virtualClock>;
beforeEach(async () => {
  clock = virtualClock();
  emu = await startEmulator({ now: clock.now, timings: { resizeMs: 2000 } });
  emu.addFunction({ name: 'app', versions: { '1': { applied: { min: 1, max: 1 } } } });
});
afterEach(() => emu.close());

const scale = (extra: Record<string, string> = {}, options: { requestTimeoutMs?: number; signal?: AbortSignal } = {}) =>
  runFlow(emu.url, { 'function-name': 'app', qualifier: '1', 'min-execution-environments': '2', 'max-execution-environments': '4', ...extra }, { clock, ...options });

/** The README promises 8 tries for 5xx answers and network faults, then an annotation. */
const TRIES = 8;

describe('a request that keeps failing', () => {
  it(`is tried ${TRIES} times on a 5xx answer, then reported`, async () => {
    emu.fault({ operation: 'GetFunctionScalingConfig', kind: 'error', status: 503, errorType: 'ServiceException', times: 50 });
    const result = await scale();
    expect(result.errors.map((e) => e.title)).toEqual(['ServiceException: app:1']);
    expect(emu.requests.map((r) => `${r.operation} ${r.status}`)).toEqual(Array(TRIES).fill('GetFunctionScalingConfig 503'));
    // Exponential backoff: each wait at least as long as the one before, up to several seconds.
    const gaps = emu.requests.slice(1).map((r, i) => r.at - emu.requests[i].at);
    gaps.slice(1).forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(gaps[i]));
    expect(gaps.at(-1)).toBeGreaterThanOrEqual(4000);
  });

  it(`is tried ${TRIES} times on a reset connection, then reported`, async () => {
    emu.fault({ operation: 'PutFunctionScalingConfig', kind: 'reset', times: 50 });
    const result = await scale();
    expect(result.ok).toBe(false);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0].message).toMatch(/connection to Lambda failed on the last of 8 tries \(retries ran out\)/);
    expect(emu.requests.filter((r) => r.operation === 'PutFunctionScalingConfig').map((r) => r.status)).toEqual(Array(TRIES).fill('reset'));
    // No answer, so no status or request ID to show: the debug line names the error and the time alone.
    expect(result.logs).toContainEqual(expect.stringMatching(/^::debug::PutFunctionScalingConfig app:1: \w+ after \d+ ms$/));
  });

  it(`succeeds when the ${TRIES}th try does`, async () => {
    emu.fault({ operation: 'PutFunctionScalingConfig', kind: 'error', status: 500, times: TRIES - 1 });
    const result = await scale();
    expect(result.errors).toEqual([]);
    expect(emu.requests.filter((r) => r.operation === 'PutFunctionScalingConfig').map((r) => r.status)).toEqual([...Array(TRIES - 1).fill(500), 202]);
  });
});

describe('the log', () => {
  it('says what each target went through, and on debug what each request got', async () => {
    emu.addFunction({ name: 'web', versions: { '7': { applied: { min: 3, max: 3 } }, '8': { state: 'Deactivated' } }, aliases: { live: { version: '7', weights: { '8': 0.1 } } } });
    emu.fault({ operation: 'GetFunctionScalingConfig', kind: 'error', status: 503, errorType: 'ServiceException' });
    const result = await runFlow(emu.url, { 'function-name': 'web', qualifier: 'live', 'min-execution-environments': '5', 'max-execution-environments': '20' }, { clock });
    expect(result.errors).toEqual([]);
    const id = /[0-9a-f]{8}-[0-9a-f-]{27}/g;
    const info = result.logs.filter((l) => !l.startsWith('::debug::')).map((l) => l.replace(id, 'ID'));
    // The two targets run side by side: their lines interleave.
    expect(info).toHaveLength(7);
    expect(info).toEqual(expect.arrayContaining([
      'web:live → version 7 (and 8 by weight)',
      'GetFunctionScalingConfig web:7: a passing failure (ServiceException HTTP 503, request ID ID); retrying in 0.4 s',
      'web:7 (live): 3/3 → 5/20 put',
      expect.stringMatching(/^web:7 \(live\): Active at \d+\.\d s$/),
      'web:8 (live): 0/0 → 5/20 put',
      expect.stringMatching(/^web:8 \(live\): Pending at \d+\.\d s$/),
      expect.stringMatching(/^web:8 \(live\): Active at \d+\.\d s$/),
    ]));
    const debug = result.logs.filter((l) => l.startsWith('::debug::'));
    expect(debug).toContainEqual(expect.stringMatching(/^::debug::GetFunctionScalingConfig web:7: ServiceException HTTP 503, request ID [0-9a-f-]{36} after \d+ ms$/));
    expect(debug).toContainEqual(expect.stringMatching(/^::debug::PutFunctionScalingConfig web:8: HTTP 202, request ID [0-9a-f-]{36}, \d+ ms$/));
    expect(debug.every((l) => /^::debug::((GetAlias|GetFunction|GetFunctionScalingConfig|PutFunctionScalingConfig) web:(live|7|8)|GetCapacityProvider arn:aws:lambda:us-east-1:123456789012:capacity-provider:web-capacity-provider): /.test(l))).toBe(true);
    // Each request's duration on the step's clock: here no more than a few seconds.
    for (const line of debug) expect(Number(/(\d+) ms$/.exec(line)![1])).toBeLessThan(10_000);
  });
});

describe('the budget', () => {
  it('reports a request still hanging at the deadline as a timeout', async () => {
    emu.fault({ kind: 'hang', times: 100 });
    // Real time: the deadline cuts the request on its socket, 1.2 s after the start.
    const result = await scale({ 'wait-for-minutes': '0.02' });
    expect(result.errors).toEqual([{ title: 'Timed out: app:1', message: expect.stringMatching(/within wait-for-minutes \(0\.02\)/) }]);
  });

  it('never runs past wait-for-minutes while retrying a conflict, and starts no request after it', async () => {
    emu.fault({ operation: 'PutFunctionScalingConfig', kind: 'error', status: 409, times: 1000 });
    const started = clock.now();
    const result = await scale({ 'wait-for-minutes': '0.5' });
    expect(result.errors.map((e) => e.title)).toEqual(['ResourceConflictException: app:1']);
    expect(clock.now() - started).toBeLessThanOrEqual(30_000);
    expect(emu.requests.every((r) => r.at < started + 30_000)).toBe(true);
    // Backoff is capped at 8 s: the last try comes within that of the deadline, not long before it.
    expect(emu.requests.at(-1)!.at).toBeGreaterThan(started + 30_000 - 8000);
  });
});

describe('a read that fails', () => {
  it('with a conflict is retried after the conflict backoff, and the log says why', async () => {
    emu.fault({ operation: 'GetFunctionScalingConfig', kind: 'error', status: 409 });
    const result = await scale();
    expect(result.errors).toEqual([]);
    const [conflict, retry] = emu.requests.filter((r) => r.operation === 'GetFunctionScalingConfig');
    expect([conflict.status, retry.status]).toEqual([409, 200]);
    // The first conflict backoff is 0.5 to 1 s (0.75 s with this run's random 0.5); a 5xx's is half that.
    expect(retry.at - conflict.at).toBe(750);
    expect(result.logs).toContain('GetFunctionScalingConfig app:1: the version is busy with another update; retrying in 0.8 s');
  });

  it('with a 5xx while reading back is retried, not given up', async () => {
    emu.fault({ operation: 'GetFunctionScalingConfig', kind: 'error', status: 500, after: 1 });
    const result = await scale();
    expect(result.errors).toEqual([]);
    expect(emu.requests.filter((r) => r.operation === 'GetFunctionScalingConfig').map((r) => r.status).slice(0, 3)).toEqual([200, 500, 200]);
    expect(emu.inspect('app', '1').applied).toEqual({ min: 2, max: 4 });
  });

  it('with an error that no retry helps, while reading back, fails the target with it', async () => {
    // Not a ResourceNotFoundException: just after the put, that is a read lagging it (reads-after-put.test.ts).
    const denied = 'User: arn:aws:sts::123456789012:assumed-role/ci/x is not authorized to perform: lambda:GetFunctionScalingConfig on resource: app';
    emu.fault({ operation: 'GetFunctionScalingConfig', kind: 'error', status: 403, message: denied, after: 1 });
    const result = await scale();
    expect(result.errors.map((e) => e.title)).toEqual(['AccessDeniedException: app:1']);
    expect(result.errors[0].message).toMatch(/^User: .* \(GetFunctionScalingConfig on app:1\)/);
  });

  it(`when throttled more than ${TRIES} times, is still retried: throttles never count against the cap`, async () => {
    emu.fault({ operation: 'GetFunctionScalingConfig', kind: 'error', status: 429, retryAfterSeconds: 1, times: TRIES + 2 });
    const result = await scale();
    expect(result.errors).toEqual([]);
    expect(emu.requests.filter((r) => r.operation === 'GetFunctionScalingConfig' && r.status === 429)).toHaveLength(TRIES + 2);
  });

  it('with 5xx answers until the deadline ends the step at the deadline, with the 5xx, not after its next backoff', async () => {
    emu.fault({ operation: 'GetFunctionScalingConfig', kind: 'error', status: 500, times: 1000 });
    const started = clock.now();
    // 3 s: the backoffs (0.375, 0.75, 1.5, 3 s with this run's random) cross the deadline at the 4th.
    const result = await scale({ 'wait-for-minutes': '0.05' });
    expect(result.errors.map((e) => e.title)).toEqual(['ServiceException: app:1']);
    expect(clock.now() - started).toBeLessThanOrEqual(3000);
  });
});

describe('a throttle', () => {
  it('that gives up at the deadline still holds the other targets of the step', async () => {
    emu.addFunction({ name: 'other', versions: { '1': { applied: { min: 1, max: 1 } } } });
    // One of the two first reads is throttled with a Retry-After that outlasts the 30-s budget: that target
    // gives up at once, and the other, whose requests would meet the same throttle, waits to the deadline.
    emu.fault({ operation: 'GetFunctionScalingConfig', kind: 'error', status: 429, retryAfterSeconds: 40 });
    const result = await scale({ 'function-name': 'app\nother', 'wait-for-minutes': '0.5' });
    expect(result.errors.map((e) => e.title.split(':')[0]).sort()).toEqual(['Timed out', 'TooManyRequestsException']);
    const throttledAt = emu.requests.find((r) => r.status === 429)!.at;
    expect(emu.requests.filter((r) => r.operation !== 'GetFunction' && r.at > throttledAt)).toEqual([]);
  });

  it('that has slowed the pace past the deadline ends a retry with the error it retries, not a timeout', async () => {
    // The throttle cuts the rate to 0.5/s and the read resumes at 3 s; its 5xx backs off to 3.75 s, but the
    // 2-s spacing puts the next start at 5 s, past the 4.2-s deadline.
    emu.fault({ operation: 'GetFunctionScalingConfig', kind: 'error', status: 429, retryAfterSeconds: 1 });
    emu.fault({ operation: 'GetFunctionScalingConfig', kind: 'error', status: 500 });
    const result = await scale({ 'wait-for-minutes': '0.07' });
    expect(result.errors.map((e) => e.title)).toEqual(['ServiceException: app:1']);
    expect(emu.requests.map((r) => r.status)).toEqual([429, 500]);
  });

  it('is retried no sooner than the Retry-After header says, when the error carries no retryAfterSeconds', async () => {
    // Lambda's model maps Retry-After into TooManyRequestsException only: a throttle of another type
    // (a ThrottlingException, as other AWS front ends answer) has the header and nothing else.
    emu.fault({ operation: 'PutFunctionScalingConfig', kind: 'error', status: 429, errorType: 'ThrottlingException', retryAfterSeconds: 7 });
    const result = await scale();
    expect(result.errors).toEqual([]);
    const [throttled, accepted] = emu.requests.filter((r) => r.operation === 'PutFunctionScalingConfig');
    expect([throttled.status, accepted.status]).toEqual([429, 202]);
    expect(result.logs).toContainEqual(expect.stringMatching(/^::debug::PutFunctionScalingConfig app:1: throttled by Lambda's API quota/));
    // Without Retry-After the first retry would come after about a second; after it, at most the adaptive
    // resume jitter follows: two spacings at the slowest rate (0.5/s).
    expect(accepted.at - throttled.at).toBeGreaterThanOrEqual(7000);
    expect(accepted.at - throttled.at).toBeLessThan(7000 + 2 * 2000);
  });

  it('of a read-back is not retried: the wait reads back at its next turn and watches the state meanwhile', async () => {
    // The first read (before the put) passes; the first read-back, a second after the put, is throttled.
    emu.fault({ operation: 'GetFunctionScalingConfig', kind: 'error', status: 429, retryAfterSeconds: 1, after: 1 });
    // The largest random part: a retry would wait the Retry-After and almost two spacings of spread more.
    const result = await runFlow(emu.url, { 'function-name': 'app', qualifier: '1', 'min-execution-environments': '2', 'max-execution-environments': '4' }, { clock, random: () => 0.99 });
    expect(result.errors).toEqual([]);
    const reads = emu.requests.filter((r) => r.operation === 'GetFunctionScalingConfig');
    expect(reads.map((r) => r.status).slice(0, 3)).toEqual([200, 429, 200]);
    const [, throttled, next] = reads;
    expect(result.logs).toContainEqual(expect.stringMatching(/^::debug::GetFunctionScalingConfig app:1: throttled by Lambda's API quota; not retried, read again at the next turn$/));
    // The throttle cut the rate from the 1.5/s sent (a read, the put, a read-back) to 1.12/s: the next turn
    // is a poll later, no sooner than the Retry-After. A retry would have come 2.8 s after the throttle.
    expect(next.at - throttled.at).toBeGreaterThanOrEqual(1000);
    expect(next.at - throttled.at).toBeLessThan(1500);
    // The state was read in between: the loop went on, rather than waiting inside a retry.
    expect(emu.requests.filter((r) => r.operation === 'GetFunction' && r.at > throttled.at && r.at <= next.at).length).toBeGreaterThanOrEqual(1);
  });
});

describe('a request that hangs', () => {
  it('is cut by the per-request timeout and tried again', async () => {
    emu.fault({ operation: 'GetFunction', kind: 'hang' });
    // Real time: the per-request timeout is the HTTP handler's. Cut after 300 ms, the run ends in well
    // under a second; 4 s is headroom for a busy machine, below the 5-s default that a lost setting
    // would fall back to, and far below the 15 minutes the hang would otherwise last.
    const stop = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const notCut = new Promise<'not cut'>((resolve) => {
      timer = setTimeout(() => resolve('not cut'), 4000);
    });
    try {
      const outcome = await Promise.race([scale({}, { requestTimeoutMs: 300, signal: stop.signal }), notCut]);
      if (outcome === 'not cut') throw new Error('The hung GetFunction request was not cut by its 300-ms per-request timeout within 4 s.');
      expect(outcome.errors).toEqual([]);
      expect(emu.requests.filter((r) => r.operation === 'GetFunction').map((r) => r.status).slice(0, 2)).toEqual(['hang', 200]);
    } finally {
      clearTimeout(timer);
      stop.abort();
    }
  }, 20_000);
});
