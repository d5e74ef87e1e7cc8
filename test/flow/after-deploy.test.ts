// The step right after a deploy: it waits for the deploy itself, puts as soon as the version is free,
// and reports a deploy that failed. Real SDK over HTTP against the emulator, on a virtual clock.
import { startEmulator, type Emulator, type FunctionSpec } from '../emulator/server.js';
import { runFlow } from '../support/flow.js';
import { virtualClock } from '../support/virtual-clock.js';

const CONTROL_PLANE = new Set(['PutFunctionScalingConfig', 'GetFunctionScalingConfig', 'GetAlias', 'GetFunctionConfiguration']);
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:app';
const LATEST = '$LATEST.PUBLISHED';

let emu: Emulator;
let clock: ReturnType<typeof virtualClock>;
let started: number;

beforeEach(async () => {
  clock = virtualClock();
  started = clock.now();
  emu = await startEmulator({ now: clock.now, timings: { publishMs: 20_000, activateMs: 60_000, deactivateMs: 30_000, resizeMs: 10_000 } });
});
afterEach(() => emu.close());

const scale = (qualifier: string, min: number, max: number, extra: Record<string, string> = {}) =>
  runFlow(emu.url, { 'function-name': 'app', qualifier, 'min-execution-environments': String(min), 'max-execution-environments': String(max), ...extra }, { clock });

const requests = (operation: string) => emu.requests.filter((r) => r.operation === operation);
const controlPlaneBefore = (until: number) => emu.requests.filter((r) => CONTROL_PLANE.has(r.operation) && r.at < until).length;
const add = (versions: FunctionSpec['versions']) => emu.addFunction({ name: 'app', versions });

describe('a republish of $LATEST.PUBLISHED (State stays Active)', () => {
  it('with the config already in effect, the step ends only after the update, and says so once', async () => {
    add({ [LATEST]: { applied: { min: 3, max: 12 }, republish: { durationMs: 6000 } } });
    const result = await scale(LATEST, 3, 12);
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.outputs).toMatchObject({ changed: 'false', 'function-state': 'Active' });
    const publishEnd = started + 6000;
    expect(clock.now()).toBeGreaterThanOrEqual(publishEnd);
    expect(clock.now() - publishEnd).toBeLessThanOrEqual(1200);
    expect(result.logs.filter((l) => l.includes('deploy still in progress'))).toEqual([
      `app:${LATEST}: deploy still in progress (LastUpdateStatus InProgress, State Active); waiting for it to end`,
    ]);
    expect(result.summary).toMatch(/app:\$LATEST\.PUBLISHED: Active \(updating\) at 0\.0 s → Active at [67]\.\d s/);
    // The timeline's bar at the real instant: the step's start, on the clock's epoch milliseconds.
    expect(result.summary).toContain(`  Active (updating) :${started}, `);
    expect(requests('PutFunctionScalingConfig')).toHaveLength(0);
    // The scaling config is not read while the deploy runs; once after it, to judge "in effect" then.
    expect(requests('GetFunctionScalingConfig').map((r) => r.at >= publishEnd)).toEqual([false, true]);
    expect(JSON.parse(result.outputs.results)[0].lastUpdate).toEqual({ status: 'Successful', reasonCode: null, reason: null });
  });

  it('with a config to change, puts once the update ends: one 409, then the accepted put within a second', async () => {
    add({ [LATEST]: { applied: { min: 3, max: 3 }, republish: { durationMs: 20_000 } } });
    const result = await scale(LATEST, 5, 20);
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    const puts = requests('PutFunctionScalingConfig');
    expect(puts.map((r) => r.status)).toEqual([409, 202]);
    const publishEnd = started + 20_000;
    expect(puts[1].at).toBeGreaterThanOrEqual(publishEnd);
    expect(puts[1].at - publishEnd).toBeLessThanOrEqual(1000);
    // While the deploy runs: the first read and the refused put on the control plane, GetFunction once a second.
    expect(controlPlaneBefore(publishEnd)).toBe(2);
    const watching = requests('GetFunction').filter((r) => r.at < publishEnd);
    expect(watching.length).toBeGreaterThanOrEqual(19);
    expect(watching.length).toBeLessThanOrEqual(21);
    expect(result.logs.filter((l) => l.includes('deploy still in progress'))).toEqual([
      `app:${LATEST}: deploy still in progress (LastUpdateStatus InProgress, State Active); putting 5/20 as soon as it ends`,
    ]);
    expect(emu.inspect('app', LATEST)).toMatchObject({ state: 'Active', applied: { min: 5, max: 20 } });
    expect(result.outputs['function-arn']).toBe(`${ARN}:${LATEST}`);
  });

  it('a failed republish is a warning with the reason and hint; the scaling result decides the step', async () => {
    const fail = { code: 'FunctionError.InitTimeout', reason: 'Function initialization timed out.' };
    add({ [LATEST]: { applied: { min: 3, max: 3 }, republish: { durationMs: 5000, fail } } });
    const result = await scale(LATEST, 4, 8);
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      {
        title: `Last update failed: app:${LATEST}`,
        message: expect.stringMatching(/FunctionError\.InitTimeout: Function initialization timed out\. The version is still Active and serves the code from before that update.*\n.*init code/),
      },
    ]);
    expect(emu.inspect('app', LATEST).applied).toEqual({ min: 4, max: 8 });
    const [target] = JSON.parse(result.outputs.results);
    expect(target.lastUpdate).toEqual({ status: 'Failed', reasonCode: fail.code, reason: fail.reason });
    expect(target.warning).toMatch(/^Last update failed: app:\$LATEST\.PUBLISHED: /);
    expect(target.error).toBeNull();
    expect(result.summary).toContain('| ⚠️ Active |');
    expect(result.summary).toMatch(/### Warnings\n\n- \*\*Last update failed: app:\$LATEST\.PUBLISHED\*\*: /);
  });

  it('a failed republish still fails the step when the scaling does: both are reported', async () => {
    const fail = { code: 'InsufficientCapacity', reason: 'Not enough capacity.' };
    add({ [LATEST]: { applied: { min: 3, max: 3 }, republish: { durationMs: 5000, fail }, failOnActivate: { code: 'VcpuLimitExceeded', reason: 'vCPU limit.' } } });
    const result = await scale(LATEST, 4, 8);
    expect(result.ok).toBe(false);
    expect(result.errors.map((e) => e.title)).toEqual([`Version Failed: app:${LATEST}`]);
    expect(result.warnings.map((w) => w.title)).toEqual([`Last update failed: app:${LATEST}`]);
    // The deploy left the version Active (the old code served); it was the scaling that failed it.
    expect(result.warnings[0].message).toMatch(/The version is still Active and serves the code from before that update/);
  });

  it('a deploy that outlasts wait-for-minutes, with the config already in effect, is a timeout that names the deploy', async () => {
    add({ [LATEST]: { applied: { min: 3, max: 12 }, republish: { durationMs: 600_000 } } });
    const result = await scale(LATEST, 3, 12, { 'wait-for-minutes': '1' });
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      {
        title: `Timed out: app:${LATEST}`,
        message: expect.stringMatching(/a deploy was still in progress \(LastUpdateStatus InProgress\) when wait-for-minutes \(1\) ran out[^\n]*\nNothing was put\./),
      },
    ]);
    expect(requests('PutFunctionScalingConfig')).toEqual([]);
  });
});

describe('a new version still being published (State Pending)', () => {
  it('puts once the publish ends, without a storm of 409s', async () => {
    add({ '8': { state: 'Pending', lastUpdateInProgressMs: 45_000 } });
    const result = await scale('8', 3, 6);
    expect(result.ok).toBe(true);
    const puts = requests('PutFunctionScalingConfig');
    expect(puts.map((r) => r.status)).toEqual([409, 202]);
    expect(puts[1].at - (started + 45_000)).toBeLessThanOrEqual(1000);
    expect(result.summary).toMatch(/app:8: Pending at 0\.\d s → Active at 4[56]\.\d s/);
  });

  it('a publish that ends in Failed is the failure, with the reason and hint, and nothing is put', async () => {
    add({ '8': { lastUpdateInProgressMs: 10_000, failOnActivate: { code: 'FunctionError.InitError', reason: 'Init failed.' } } });
    const result = await scale('8', 3, 6);
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      { title: 'Last update failed: app:8', message: expect.stringMatching(/^The last update of app:8 \(a deploy\) failed: FunctionError\.InitError: Init failed\. The version is Failed: it serves no code\.\n.*init code/) },
    ]);
    expect(result.warnings).toEqual([]);
    expect(result.outputs['function-state']).toBe('Failed');
    expect(requests('PutFunctionScalingConfig').map((r) => r.status)).toEqual([409]);
    expect(clock.now() - (started + 10_000)).toBeLessThanOrEqual(1200);
  });

  it('a publish that ends in Failed with the config already in effect is the failure too', async () => {
    add({ '8': { applied: { min: 3, max: 6 }, lastUpdateInProgressMs: 10_000, failOnActivate: { code: 'FunctionError.InitError', reason: 'Init failed.' } } });
    const result = await scale('8', 3, 6);
    expect(result.ok).toBe(false);
    expect(result.errors.map((e) => e.title)).toEqual(['Last update failed: app:8']);
    expect(result.logs.filter((l) => l.includes('deploy still in progress'))).toHaveLength(1);
  });

  it('a deploy that outlasts wait-for-minutes is reported as the conflict it is', async () => {
    add({ '8': { state: 'Pending', lastUpdateInProgressMs: 600_000 } });
    const result = await scale('8', 3, 6, { 'wait-for-minutes': '1' });
    expect(result.ok).toBe(false);
    expect(result.errors.map((e) => e.title)).toEqual(['ResourceConflictException: app:8']);
    expect(result.errors[0].message).toMatch(/stayed busy with another update until the wait ran out/);
    expect(clock.now() - started).toBeLessThanOrEqual(60_000);
    expect(requests('PutFunctionScalingConfig')).toHaveLength(1);
  });

  it('an error while watching the deploy is that error, not the conflict that started the watch', async () => {
    add({ '9': { state: 'Pending', lastUpdateInProgressMs: 60_000 } });
    const message = 'User: arn:aws:sts::123456789012:assumed-role/ci/gh is not authorized to perform: lambda:GetFunction on resource: arn:aws:lambda:us-east-1:123456789012:function:app:9';
    emu.fault({ operation: 'GetFunction', kind: 'error', status: 403, errorType: 'AccessDeniedException', message, after: 2 });
    const result = await scale('9', 5, 20);
    expect(result.errors.map((e) => e.title)).toEqual(['AccessDeniedException: app:9']);
    expect(result.errors[0].message).toMatch(/grant lambda:GetFunction/);
    expect(requests('GetFunction').map((r) => r.status)).toEqual([200, 200, 403]);
  });

  it('with wait false, a put that must wait for the deploy still waits for it, and not for the change', async () => {
    add({ '8': { state: 'Pending', lastUpdateInProgressMs: 30_000 } });
    const result = await scale('8', 3, 6, { wait: 'false' });
    expect(result.ok).toBe(true);
    expect(requests('PutFunctionScalingConfig').map((r) => r.status)).toEqual([409, 202]);
    expect(result.outputs).toMatchObject({ changed: 'true', 'function-state': 'Active' });
    expect(emu.inspect('app', '8').requested).toEqual({ min: 3, max: 6 });
    // The time spent behind the deploy is reported, though nothing waited for the change.
    expect(JSON.parse(result.outputs.results)[0].waitedSeconds).toBeGreaterThanOrEqual(30);
  });

  it('with wait false and the config already in effect, a publish that left the version Failed is the failure', async () => {
    add({ '8': { applied: { min: 3, max: 6 }, lastUpdateInProgressMs: 10_000, failOnActivate: { code: 'FunctionError.InitError', reason: 'Init failed.' } } });
    clock.advance(11_000);
    const result = await scale('8', 3, 6, { wait: 'false' });
    expect(result.ok).toBe(false);
    expect(result.errors.map((e) => e.title)).toEqual(['Last update failed: app:8']);
    expect(result.warnings).toEqual([]);
    expect(result.outputs['function-state']).toBe('Failed');
  });
});

describe('cancelled while waiting for a deploy to end', () => {
  it('says the config was most likely not put', async () => {
    add({ '8': { state: 'Pending', lastUpdateInProgressMs: 600_000 } });
    const cancel = new AbortController();
    const inputs = { 'function-name': 'app', qualifier: '8', 'min-execution-environments': '3', 'max-execution-environments': '6' };
    const running = runFlow(emu.url, inputs, { clock, signal: cancel.signal });
    // Cancelled during the watch, once the answer to a GetFunction has been read: a second one is sent
    // only after that (the emulator logs a request when it arrives, before the action reads the answer).
    // The first of all is the capacity check's, before the put.
    while (requests('GetFunction').length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    cancel.abort();
    const result = await running;
    expect(result.ok).toBe(false);
    expect(result.errors.map((e) => e.message.split('\n')[0])).toEqual([
      'The job was cancelled while scaling app:8. The last state seen was Pending. The step was waiting for a deploy to end before putting 3/6, so it was most likely not put: check the version with aws lambda get-function-scaling-config.',
    ]);
  });
});

describe('a 409 that GetFunction does not explain', () => {
  it('backs off, doubling, instead of putting at once again', async () => {
    add({ '7': {} });
    emu.fault({ operation: 'PutFunctionScalingConfig', kind: 'error', status: 409, errorType: 'ResourceConflictException', message: 'An update is in progress.', times: 4 });
    const result = await scale('7', 4, 4);
    expect(result.ok).toBe(true);
    const puts = requests('PutFunctionScalingConfig');
    expect(puts.map((r) => r.status)).toEqual([409, 409, 409, 409, 202]);
    // With jitter at its middle: at once after the first read, then 0.75 s, 1.5 s and 3 s later.
    const gaps = puts.slice(1).map((p, i) => p.at - puts[i].at);
    expect(gaps[0]).toBeLessThan(500);
    expect(gaps[1]).toBeGreaterThanOrEqual(750);
    expect(gaps[2]).toBeGreaterThanOrEqual(1500);
    expect(gaps[3]).toBeGreaterThanOrEqual(3000);
    // The middle of the jitter: 0.5–1 s, 1–2 s, 2–4 s.
    expect(result.logs.filter((l) => /though GetFunction shows no update in progress; retrying in/.test(l)).map((l) => l.split('retrying in ')[1])).toEqual(['0.8 s', '1.5 s', '3.0 s']);
  });
});

describe('what GetFunctionScalingConfig returns', () => {
  it.each([true, false])('function-arn is the qualified ARN with wait false (unqualified FunctionArn: %p)', async (unqualifiedScalingArn) => {
    add({ '7': { unqualifiedScalingArn } });
    const result = await scale('7', 4, 4, { wait: 'false' });
    expect(result.ok).toBe(true);
    expect(result.outputs['function-arn']).toBe(`${ARN}:7`);
    expect(JSON.parse(result.outputs.results)[0].functionArn).toBe(`${ARN}:7`);
    // Only the capacity check's, which comes after the config read has set function-arn.
    expect(requests('GetFunction')).toHaveLength(1);
  });

  it('without FunctionArn, function-arn comes from GetFunction', async () => {
    add({ '7': { noScalingArn: true } });
    const result = await scale('7', 4, 4);
    expect(result.errors).toEqual([]);
    expect(result.outputs['function-arn']).toBe(`${ARN}:7`);
  });

  it.each([true, false])('a settled Requested equal to Applied is in effect (kept: %p)', async (keepsRequested) => {
    add({ '7': { keepsRequested }, '9': { keepsRequested, applied: { min: 4, max: 4 } } });
    const resized = await scale('7', 5, 9);
    expect(resized.ok).toBe(true);
    expect(clock.now() - requests('PutFunctionScalingConfig')[0].at).toBeLessThanOrEqual(11_200);
    const unchanged = await scale('9', 4, 4);
    expect(unchanged.ok).toBe(true);
    expect(unchanged.outputs.changed).toBe('false');
  });
});

describe('what GetFunction returns', () => {
  // The service model makes LastUpdateStatus optional: without it, no deploy is known to be running or failed.
  it('without LastUpdateStatus, the wait goes on the state alone, with or without a wait', async () => {
    add({ '4': { state: 'Deactivated', noLastUpdateStatus: true }, '5': { applied: { min: 3, max: 3 }, noLastUpdateStatus: true } });
    const reactivated = await scale('4', 2, 5);
    expect(reactivated.errors).toEqual([]);
    expect(reactivated.outputs['function-state']).toBe('Active');
    const unchanged = await scale('5', 3, 3, { wait: 'false' });
    expect(unchanged.errors).toEqual([]);
    expect(unchanged.outputs).toMatchObject({ changed: 'false', 'function-state': 'Active' });
    expect(JSON.parse(unchanged.outputs.results)[0].lastUpdate).toBeNull();
  });

  it('without LastUpdateStatus, a Pending version that refuses the put is watched as a deploy whose status is unknown', async () => {
    add({ '6': { state: 'Pending', noLastUpdateStatus: true } });
    const result = await scale('6', 2, 5);
    expect(result.errors).toEqual([]);
    expect(result.logs).toContain('app:6: deploy still in progress (LastUpdateStatus unknown, State Pending); putting 2/5 as soon as it ends');
  });
});

describe('error annotations', () => {
  it('names the input behind a ValidationException', async () => {
    add({ '7': {} });
    emu.fault({
      operation: 'PutFunctionScalingConfig',
      kind: 'error',
      status: 400,
      errorType: 'ValidationException',
      message: "1 validation error detected: Value '20000' at 'functionScalingConfig.maxExecutionEnvironments' failed to satisfy constraint: Member must have value less than or equal to 15000",
    });
    const result = await scale('7', 4, 4);
    expect(result.errors).toEqual([
      {
        title: 'ValidationException: app:7',
        message: expect.stringMatching(/\n.*refused '20000' for functionScalingConfig\.maxExecutionEnvironments \(Member must have value less than or equal to 15000\): fix the input max-execution-environments\./),
      },
    ]);
  });

  const expired = { kind: 'error', status: 403, errorType: 'ExpiredTokenException', message: 'The security token included in the request is expired' } as const;

  it('names role-duration-seconds when the credentials expire during the step', async () => {
    add({ '7': { state: 'Deactivated' } });
    const result = await scale('7', 4, 4);
    expect(result.ok).toBe(true);
    emu.requests.length = 0;
    emu.addFunction({ name: 'app', versions: { '9': { state: 'Deactivated' } } });
    // Past the capacity check's GetFunction before the put: the wait's first state read is refused.
    emu.fault({ ...expired, operation: 'GetFunction', after: 1 });
    const late = await scale('9', 4, 4);
    expect(late.errors[0].title).toBe('ExpiredTokenException: app:9');
    expect(late.errors[0].message).toMatch(/expired during the step.*role-duration-seconds above wait-for-minutes/);
  });

  it('does not blame the session length when the first request is refused', async () => {
    add({ '7': {} });
    emu.fault(expired);
    const result = await scale('7', 4, 4);
    expect(result.errors[0].title).toBe('ExpiredTokenException: app:7');
    expect(result.errors[0].message).not.toMatch(/role-duration-seconds/);
    expect(result.errors[0].message).toMatch(/credentials were refused/);
  });
});
