import { startEmulator, type Emulator } from '../emulator/server.js';
import { runFlow } from '../support/flow.js';
import { virtualClock } from '../support/virtual-clock.js';

const CONTROL_PLANE = new Set(['PutFunctionScalingConfig', 'GetFunctionScalingConfig', 'GetAlias', 'GetFunctionConfiguration']);

let emu: Emulator;
let clock: ReturnType<typeof virtualClock>;

beforeEach(async () => {
  clock = virtualClock();
  emu = await startEmulator({ now: clock.now, timings: { publishMs: 120_000, activateMs: 180_000, deactivateMs: 60_000, resizeMs: 30_000 } });
});
afterEach(() => emu.close());

const scale = (qualifier: string, min: number, max: number, extra: Record<string, string> = {}) =>
  runFlow(emu.url, { 'function-name': 'app', qualifier, 'min-execution-environments': String(min), 'max-execution-environments': String(max), ...extra }, { clock });

const ops = () => emu.requests.map((r) => r.operation);

describe('scaling one version', () => {
  it('resizes an Active version and waits until the applied config converges, not just Active', async () => {
    emu.addFunction({ name: 'app', versions: { '7': { applied: { min: 3, max: 3 } } } });
    const started = clock.now();
    const result = await scale('7', 5, 20);
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.outputs).toMatchObject({
      'function-state': 'Active',
      'function-arn': 'arn:aws:lambda:us-east-1:123456789012:function:app:7',
      version: '7',
      changed: 'true',
      'previous-min-execution-environments': '3',
      'previous-max-execution-environments': '3',
    });
    expect(emu.inspect('app', '7')).toMatchObject({ state: 'Active', applied: { min: 5, max: 20 } });
    expect(emu.inspect('app', '7').requested).toBeUndefined();
    // Done within about a second of the emulator settling, not before it.
    const settledAt = emu.inspect('app', '7').settledAt!;
    const put = emu.requests.find((r) => r.operation === 'PutFunctionScalingConfig')!;
    expect(settledAt - put.at).toBe(30_000);
    expect(put.at - started).toBeLessThan(1000);
    // A change just put cannot have settled: it is read back a poll interval after the put, not at once
    // (and so the read, the put and the read-back never fall within one second).
    const [before, firstAfter] = emu.requests.filter((r) => r.operation === 'GetFunctionScalingConfig');
    expect(before.at).toBeLessThan(put.at);
    expect(firstAfter.at - put.at).toBeGreaterThanOrEqual(1000);
    expect(clock.now()).toBeGreaterThanOrEqual(settledAt);
    expect(clock.now() - settledAt).toBeLessThanOrEqual(1_200);
    expect(ops()).not.toContain('GetAlias');
  });

  it('deactivates with 0/0 and reports Deactivated', async () => {
    emu.addFunction({ name: 'app', versions: { '3': {} } });
    const result = await scale('3', 0, 0);
    expect(result.ok).toBe(true);
    expect(result.outputs['function-state']).toBe('Deactivated');
    expect(result.groups).toEqual(['Apply 0/0', 'Wait until in effect']);
    expect(emu.inspect('app', '3')).toMatchObject({ state: 'Deactivated', applied: { min: 0, max: 0 } });
    expect(result.summary).toMatch(/Deactivating at [\d.]+ s → Deactivated at [\d.]+ s/);
  });

  it('reactivates a Deactivated version through Pending to Active', async () => {
    emu.addFunction({ name: 'app', versions: { '3': { state: 'Deactivated' } } });
    const result = await scale('3', 2, 4);
    expect(result.ok).toBe(true);
    expect(result.outputs).toMatchObject({ 'function-state': 'Active', 'previous-min-execution-environments': '0', 'previous-max-execution-environments': '0' });
    expect(result.summary).toMatch(/Pending at [\d.]+ s → Active at [\d.]+ s/);
    // The log gives each state with the seconds since the step started: activation takes 180 s here.
    expect(result.logs).toContainEqual(expect.stringMatching(/^app:3: Active at 18[01]\.\d s$/));
  });

  it('waits out a deploy still in progress: a 409 on the put is waited out, not failed', async () => {
    emu.addFunction({ name: 'app', versions: { '8': { state: 'Pending', lastUpdateInProgressMs: 45_000 } } });
    const result = await scale('8', 3, 6);
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    const puts = emu.requests.filter((r) => r.operation === 'PutFunctionScalingConfig');
    expect(puts.map((r) => r.status)).toEqual([409, 202]);
    expect(result.logs.some((l) => /deploy still in progress/.test(l))).toBe(true);
    expect(emu.inspect('app', '8')).toMatchObject({ state: 'Active', applied: { min: 3, max: 6 } });
  });

  it('does not put a config that is already in effect, and still reports the state', async () => {
    emu.addFunction({ name: 'app', versions: { '2': { applied: { min: 4, max: 8 } } } });
    const result = await scale('2', 4, 8);
    expect(result.ok).toBe(true);
    expect(result.outputs).toMatchObject({ changed: 'false', 'function-state': 'Active', 'previous-min-execution-environments': '4' });
    expect(JSON.parse(result.outputs.results)).toEqual([expect.objectContaining({ version: '2', changed: false, state: 'Active', applied: { min: 4, max: 8 } })]);
    expect(result.logs).toContain('app:2: 4/8 already in effect');
    // The config read before deciding not to put is not read again.
    expect(ops()).toEqual(['GetFunctionScalingConfig', 'GetFunction']);
  });

  it('with wait false and the config already in effect, still reads the state and reports it', async () => {
    emu.addFunction({ name: 'app', versions: { '2': { state: 'Deactivated' } } });
    const result = await scale('2', 0, 0, { wait: 'false' });
    expect(result.ok).toBe(true);
    expect(result.outputs).toMatchObject({ changed: 'false', 'function-state': 'Deactivated' });
    expect(JSON.parse(result.outputs.results)).toEqual([expect.objectContaining({ changed: false, state: 'Deactivated' })]);
    expect(ops()).toEqual(['GetFunctionScalingConfig', 'GetFunction']);
  });

  it('puts again when the applied config matches but a different one is still pending', async () => {
    emu.addFunction({ name: 'app', versions: { '2': { applied: { min: 4, max: 8 } } } });
    await scale('2', 6, 9, { wait: 'false' });
    emu.requests.length = 0;
    const result = await scale('2', 4, 8);
    expect(result.ok).toBe(true);
    expect(result.outputs.changed).toBe('true');
    // The applied config read before the put is already the goal, but in effect is judged on a read-back after it.
    expect(ops().filter((o) => o === 'GetFunctionScalingConfig')).toHaveLength(2);
    expect(ops().at(-1)).toBe('GetFunctionScalingConfig');
  });

  it('with wait false returns the FunctionState that the put answered, without polling', async () => {
    emu.addFunction({ name: 'app', versions: { '3': {} } });
    const result = await scale('3', 0, 0, { wait: 'false' });
    expect(result.ok).toBe(true);
    expect(result.outputs).toMatchObject({ 'function-state': 'Deactivating', changed: 'true' });
    // The capacity check's reads before the put; none after it.
    expect(ops()).toEqual(['GetFunctionScalingConfig', 'GetFunction', 'GetCapacityProvider', 'PutFunctionScalingConfig']);
  });

  it('configures $LATEST.PUBLISHED', async () => {
    emu.addFunction({ name: 'app', versions: { '$LATEST.PUBLISHED': {} } });
    const result = await scale('$LATEST.PUBLISHED', 3, 12);
    expect(result.ok).toBe(true);
    expect(result.outputs.version).toBe('$LATEST.PUBLISHED');
    expect(emu.inspect('app', '$LATEST.PUBLISHED').applied).toEqual({ min: 3, max: 12 });
  });

  it('polls GetFunction about once a second and the scaling config sparingly', async () => {
    emu.addFunction({ name: 'app', versions: { '3': { state: 'Deactivated' } } });
    const started = clock.now();
    const result = await scale('3', 2, 4);
    expect(result.ok).toBe(true);
    const seconds = (clock.now() - started) / 1000;
    const controlPlane = emu.requests.filter((r) => CONTROL_PLANE.has(r.operation));
    const getFunction = emu.requests.filter((r) => r.operation === 'GetFunction');
    // 180 s of activation: about one GetFunction a second, and the scaling config only at the end.
    expect(getFunction.length).toBeGreaterThan(seconds * 0.9);
    expect(getFunction.length).toBeLessThanOrEqual(seconds + 2);
    expect(controlPlane.length).toBeLessThanOrEqual(4);
    for (const start of emu.requests.map((r) => r.at)) {
      const inWindow = (requests: typeof emu.requests) => requests.filter((r) => r.at >= start && r.at < start + 1000).length;
      expect(inWindow(controlPlane)).toBeLessThanOrEqual(2);
      expect(inWindow(getFunction)).toBeLessThanOrEqual(2);
    }
  });
});

describe('reading a change back while it settles', () => {
  const gaps = (operation: string) => {
    const at = emu.requests.filter((r) => r.operation === operation).map((r) => r.at);
    return at.slice(1).map((t, i) => t - at[i]);
  };

  it('with the config in effect but the version not in the goal state, reads the state only, not the config', async () => {
    emu.addFunction({ name: 'app', versions: { '4': { state: 'Inactive', applied: { min: 3, max: 10 } } } });
    const result = await scale('4', 3, 10, { 'wait-for-minutes': '0.5' });
    expect(result.errors.map((e) => e.title)).toEqual(['Timed out: app:4']);
    expect(result.errors[0].message).toMatch(/Last state: Inactive; .*\nNothing was put: the config was already applied/);
    expect(ops().filter((o) => o === 'GetFunctionScalingConfig')).toHaveLength(1);
    expect(ops().filter((o) => o === 'GetFunction').length).toBeGreaterThanOrEqual(25);
  });

  it('once a throttle has slowed the read-backs, still reads the state once a second, and no more often', async () => {
    emu.addFunction({ name: 'app', versions: { '7': { applied: { min: 3, max: 3 } } } });
    // The first read (before the put) goes through; the first read-back is throttled.
    emu.fault({ operation: 'GetFunctionScalingConfig', kind: 'delay', ms: 0 });
    emu.fault({ operation: 'GetFunctionScalingConfig', kind: 'error', status: 429, retryAfterSeconds: 1 });
    const result = await scale('7', 5, 20);
    expect(result.ok).toBe(true);
    // The cut rate (about 0.6/s, raised again once calm) spaces the read-backs apart from the polls;
    // GetFunction keeps to its poll, without an extra read on each wake for a read-back.
    const reads = emu.requests.filter((r) => r.operation === 'GetFunctionScalingConfig');
    expect(reads.map((r) => r.status).slice(0, 3)).toEqual([200, 429, 200]);
    expect(gaps('GetFunctionScalingConfig')[2]).toBeGreaterThan(1000);
    // The wait's polls: the GetFunction before the put is the capacity check's.
    const put = emu.requests.find((r) => r.operation === 'PutFunctionScalingConfig')!;
    const polls = emu.requests.filter((r) => r.operation === 'GetFunction' && r.at >= put.at);
    const states = polls.slice(1).map((r, i) => r.at - polls[i].at);
    for (const gap of states) expect(gap).toBeGreaterThanOrEqual(1000);
    expect(states.length).toBeGreaterThanOrEqual((polls.at(-1)!.at - polls[0].at) / 1100);
  });
});

describe('aliases', () => {
  it('resolves an alias to every version it routes to and configures each', async () => {
    emu.addFunction({ name: 'app', versions: { '1': { applied: { min: 3, max: 3 } }, '2': { state: 'Deactivated' } }, aliases: { live: { version: '2', weights: { '1': 0.1 } } } });
    const result = await scale('live', 2, 5);
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.outputs).toMatchObject({ version: '2', 'function-arn': 'arn:aws:lambda:us-east-1:123456789012:function:app:2', 'function-state': 'Active' });
    expect(emu.inspect('app', '1').applied).toEqual({ min: 2, max: 5 });
    expect(emu.inspect('app', '2').applied).toEqual({ min: 2, max: 5 });
    expect(result.summary).toContain('| app | live | [2](');
    expect(result.summary).toContain('| app | live | [1](');
    expect(result.logs).toContain('app:live → version 2 (and 1 by weight)');
    expect(JSON.parse(result.outputs.results)).toHaveLength(2);
    expect(emu.requests.filter((r) => r.operation === 'GetAlias')).toHaveLength(1);
  });

  it('refuses an alias that routes to $LATEST', async () => {
    emu.addFunction({ name: 'app', versions: { '1': {} }, aliases: { dev: { version: '$LATEST' } } });
    const result = await scale('dev', 1, 1);
    expect(result.ok).toBe(false);
    expect(result.errors[0].title).toBe('Alias routes to an unpublished version: app:dev');
    expect(ops()).not.toContain('PutFunctionScalingConfig');
  });
});

describe('failures', () => {
  it('refuses a bad input with an annotation naming it, before any request', async () => {
    emu.addFunction({ name: 'app', versions: { '3': {} } });
    const result = await scale('3', 5, 2);
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([{ title: 'Invalid input: max-execution-environments', message: expect.stringMatching(/at least the minimum/) }]);
    expect(result.outputs).toEqual({});
    expect(emu.requests).toEqual([]);
  });

  it('fails at once on State Failed, with the reason code, reason and a capacity hint', async () => {
    emu.addFunction({ name: 'app', versions: { '4': { state: 'Deactivated', failOnActivate: { code: 'InsufficientCapacity', reason: 'Not enough m7g capacity.' } } } });
    const result = await scale('4', 3, 10);
    expect(result.ok).toBe(false);
    expect(result.outputs['function-state']).toBe('Failed');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0].title).toBe('Version Failed: app:4');
    expect(result.errors[0].message).toMatch(/app:4 is Failed: InsufficientCapacity: Not enough m7g capacity\./);
    expect(result.errors[0].message).toMatch(/EC2 has no capacity/);
  });

  it('fails within a poll of the version turning Failed after a put, once another state was seen', async () => {
    // The put answers Pending: a Failed read after it is the new one, not the state from before the put,
    // so the 15-s grace for a stale Failed does not apply.
    const activateMs = 3000;
    emu.addFunction({ name: 'app', versions: { '4': { state: 'Deactivated', timings: { activateMs }, failOnActivate: { code: 'InsufficientCapacity', reason: 'No capacity.' } } } });
    const result = await scale('4', 3, 10);
    expect(result.errors.map((e) => e.title)).toEqual(['Version Failed: app:4']);
    expect(result.logs).toContainEqual(expect.stringMatching(/^app:4: Failed \(InsufficientCapacity: No capacity\.\) at \d+\.\d s$/));
    const put = emu.requests.find((r) => r.operation === 'PutFunctionScalingConfig')!;
    const failedAt = put.at + activateMs;
    expect(clock.now()).toBeGreaterThanOrEqual(failedAt);
    expect(clock.now() - failedAt).toBeLessThanOrEqual(1000);
  });

  it('waits out a Failed state from before the put: the version recovers through Pending to Active', async () => {
    // AWS's reads are eventually consistent: right after the put, the put's answer and GetFunction may still
    // report the Failed state the put found, for a few seconds.
    emu.addFunction({ name: 'app', versions: { '4': { state: 'Failed', staleStateAfterPutMs: 5000, timings: { activateMs: 8000 } } } });
    const result = await scale('4', 3, 10);
    expect(result.errors).toEqual([]);
    expect(result.outputs['function-state']).toBe('Active');
    expect(result.logs.filter((l) => /^app:4: \w+ .*at \d+\.\d s$/.test(l)).map((l) => l.split(' ')[1])).toEqual(['Failed', 'Pending', 'Active']);
  });

  it('ends that grace a poll before the deadline: a Failed state that stays is reported as a failure, not as a timeout', async () => {
    emu.addFunction({ name: 'app', versions: { '4': { state: 'Failed', staleStateAfterPutMs: 600_000 } } });
    const started = clock.now();
    const result = await scale('4', 3, 10, { 'wait-for-minutes': '0.2' });
    expect(result.errors.map((e) => e.title)).toEqual(['Version Failed: app:4']);
    expect(clock.now() - started).toBeGreaterThanOrEqual(11_000);
    expect(clock.now() - started).toBeLessThan(12_000);
  });

  it('fails at once on a Failed version when nothing was put: there is no put for the state to predate', async () => {
    emu.addFunction({ name: 'app', versions: { '4': { state: 'Failed', applied: { min: 3, max: 10 } } } });
    const started = clock.now();
    const result = await scale('4', 3, 10);
    expect(result.outputs.changed).toBe('false');
    expect(result.errors[0].title).toBe('Version Failed: app:4');
    expect(clock.now() - started).toBeLessThan(1000);
  });

  it('gives a FunctionError hint', async () => {
    emu.addFunction({ name: 'app', versions: { '4': { state: 'Deactivated', failOnActivate: { code: 'FunctionError.InitTimeout', reason: 'Init timed out.' } } } });
    const result = await scale('4', 3, 10);
    expect(result.errors[0].message).toMatch(/FunctionError.InitTimeout: Init timed out\.\n.*init code/);
  });

  it('fails past wait-for-minutes, naming the last state, reason, and applied vs requested config', async () => {
    emu.addFunction({ name: 'app', versions: { '5': { state: 'Deactivated' } } });
    const started = clock.now();
    const result = await scale('5', 3, 10, { 'wait-for-minutes': '1.5' });
    expect(result.ok).toBe(false);
    expect(clock.now() - started).toBeLessThanOrEqual(90_000);
    expect(result.errors[0].title).toBe('Timed out: app:5');
    expect(result.errors[0].message).toMatch(/did not reach Active with 3\/10 applied within wait-for-minutes \(1\.5\)\. Last state: Pending \(Creating: .+\); applied 0\/0, requested 3\/10\./);
    expect(result.outputs['function-state']).toBe('Pending');
  });

  it('times out during a resize with the config read back: the change was put, and the reads were not throttled', async () => {
    emu.addFunction({ name: 'app', versions: { '5': {} } });
    const result = await scale('5', 3, 10, { 'wait-for-minutes': '0.25' });
    expect(result.errors.map((e) => e.title)).toEqual(['Timed out: app:5']);
    expect(result.errors[0].message).toBe(
      'app:5 did not reach Active with 3/10 applied within wait-for-minutes (0.25). Last state: Active; applied 3/no max, requested 3/10.\n' +
        'The change was put and Lambda may still finish it: raise wait-for-minutes (starting execution environments takes minutes), or check the version in the Lambda console.\n' +
        'In the Lambda console (account 123456789012): https://us-east-1.console.aws.amazon.com/lambda/home?region=us-east-1#/functions/app/versions/5?tab=configure',
    );
    expect(ops().filter((o) => o === 'GetFunctionScalingConfig').length).toBeGreaterThan(2);
  });

  it.each([
    ['ResourceNotFoundException', { name: 'other', versions: { '1': {} } }, /not found in us-east-1: check function-name, qualifier and region/],
    ['AccessDeniedException', { name: 'app', capacityProvider: false, versions: { '1': {} } }, /not a Lambda Managed Instances function/],
  ])('annotates %s with the service message, request ID and a hint, and does not retry', async (name, spec, hint) => {
    emu.addFunction(spec);
    const result = await scale('1', 1, 2);
    expect(result.ok).toBe(false);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0].title).toBe(`${name}: app:1`);
    expect(result.errors[0].message).toMatch(hint);
    expect(result.errors[0].message).toMatch(/\(HTTP 40\d, request ID [0-9a-f-]{36}\)/);
    expect(emu.requests).toHaveLength(1);
  });

  it('names the IAM action of an AccessDeniedException', async () => {
    emu.addFunction({ name: 'app', versions: { '1': {} } });
    emu.fault({
      operation: 'PutFunctionScalingConfig',
      kind: 'error',
      status: 403,
      errorType: 'AccessDeniedException',
      message: 'User: arn:aws:sts::123456789012:assumed-role/ci/gh is not authorized to perform: lambda:PutFunctionScalingConfig on resource: arn:aws:lambda:us-east-1:123456789012:function:app:1',
    });
    const result = await scale('1', 1, 2);
    expect(result.errors[0].message).toMatch(/grant lambda:PutFunctionScalingConfig/);
    expect(result.errors[0].message).toMatch(/PutFunctionScalingConfig on app:1/);
  });

  it('annotates an InvalidParameterValueException from the service', async () => {
    emu.addFunction({ name: 'app', versions: { '1': {} } });
    emu.fault({ operation: 'PutFunctionScalingConfig', kind: 'error', status: 400, message: 'MaxExecutionEnvironments exceeds the capacity provider limit.' });
    const result = await scale('1', 1, 2);
    expect(result.errors[0].title).toBe('InvalidParameterValueException: app:1');
    expect(result.errors[0].message).toMatch(/exceeds the capacity provider limit.*\n.*Lambda refused a parameter/);
  });

  it('reports ServiceException after retries run out', async () => {
    emu.addFunction({ name: 'app', versions: { '1': {} } });
    emu.fault({ operation: 'GetFunctionScalingConfig', kind: 'error', status: 500, times: 50 });
    const result = await scale('1', 1, 2);
    expect(result.errors[0].title).toBe('ServiceException: app:1');
    expect(result.errors[0].message).toMatch(/internal error on the last of 8 tries \(retries ran out\)/);
    expect(emu.requests.length).toBeGreaterThan(3);
    expect(ops()).not.toContain('PutFunctionScalingConfig');
  });

  it('reports TooManyRequestsException when throttling outlasts the wait', async () => {
    emu.addFunction({ name: 'app', versions: { '1': {} } });
    emu.fault({ kind: 'error', status: 429, retryAfterSeconds: 20, times: 1000 });
    const result = await scale('1', 1, 2, { 'wait-for-minutes': '1' });
    expect(result.errors[0].title).toBe('TooManyRequestsException: app:1');
    expect(result.errors[0].message).toMatch(/quota.*Run fewer jobs at once/);
  });

  it('times out when read-backs stay throttled, saying the config shown is older and the quota is why', async () => {
    emu.addFunction({ name: 'app', versions: { '1': {} } });
    // The first read passes; every read-back after the put is throttled, to the end of the wait.
    emu.fault({ operation: 'GetFunctionScalingConfig', kind: 'error', status: 429, retryAfterSeconds: 1, times: 1000, after: 1 });
    const result = await scale('1', 1, 2, { 'wait-for-minutes': '1' });
    expect(result.errors[0].title).toBe('Timed out: app:1');
    expect(result.errors[0].message).toMatch(/\nThe last read-back of the config was throttled \(Lambda's quota .* is busy\), so the config above may be out of date/);
    // Read back all along, at the slowed pace (at least one every 2 s), not given up on.
    expect(emu.requests.filter((r) => r.operation === 'GetFunctionScalingConfig' && r.status === 429).length).toBeGreaterThanOrEqual(29);
  });

  it('shows an unknown error type with its name, status and request ID', async () => {
    emu.addFunction({ name: 'app', versions: { '1': {} } });
    emu.fault({ kind: 'error', status: 418, errorType: 'TeapotException', message: 'I am a teapot.' });
    const result = await scale('1', 1, 2);
    expect(result.errors[0].title).toBe('TeapotException: app:1');
    expect(result.errors[0].message).toMatch(/I am a teapot\. \(GetFunctionScalingConfig on app:1\)\n.*does not know \(HTTP 418\)/);
    expect(result.errors[0].message).toMatch(/request ID [0-9a-f-]{36}/);
  });
});
