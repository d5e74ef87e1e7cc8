import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FOREIGN_PAGES, startEmulator, type Emulator } from '../emulator/server.js';
import { emulatorEnv } from '../support/aws-env.js';
import { ROOT, runAction, startAction } from '../support/run-action.js';

// Faults injected in the emulator, survived or explained by the bundled action run as the runner does.
let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator({ timings: { publishMs: 1500, activateMs: 1500, deactivateMs: 800, resizeMs: 800 } });
  emu.addFunction({ name: 'app', versions: { '1': {}, '2': { state: 'Deactivated' } }, aliases: { live: { version: '1' } } });
});
afterEach(() => emu.close());

const scale = (extra: Record<string, string> = {}, env: Record<string, string> = {}) =>
  runAction({ 'function-name': 'app', qualifier: '1', 'min-execution-environments': '2', 'max-execution-environments': '5', ...extra }, { ...emulatorEnv(emu.url), ...env });

const statuses = (operation: string) => emu.requests.filter((r) => r.operation === operation).map((r) => r.status);

describe('faults the action survives', () => {
  it('ResourceConflictException several times in a row on the put', async () => {
    emu.fault({ operation: 'PutFunctionScalingConfig', kind: 'error', status: 409, times: 3 });
    const run = await scale();
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(statuses('PutFunctionScalingConfig')).toEqual([409, 409, 409, 202]);
  });

  it('TooManyRequestsException, waiting out its Retry-After', async () => {
    emu.fault({ operation: 'GetFunctionScalingConfig', kind: 'error', status: 429, retryAfterSeconds: 2 });
    const run = await scale();
    expect(run.code).toBe(0);
    const [throttled, retried] = emu.requests.filter((r) => r.operation === 'GetFunctionScalingConfig');
    expect(throttled.status).toBe(429);
    expect(retried.at - throttled.at).toBeGreaterThanOrEqual(2000);
  });

  it('ServiceException and 502/503/504 answers with HTML bodies', async () => {
    emu.fault({ operation: 'GetFunctionScalingConfig', kind: 'error', status: 500 });
    emu.fault({ operation: 'GetFunctionScalingConfig', kind: 'error', status: 502, html: true });
    emu.fault({ operation: 'PutFunctionScalingConfig', kind: 'error', status: 503, html: true });
    emu.fault({ operation: 'GetFunction', kind: 'error', status: 504, html: true });
    const run = await scale();
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(statuses('GetFunctionScalingConfig').slice(0, 3)).toEqual([500, 502, 200]);
    expect(statuses('PutFunctionScalingConfig')).toEqual([503, 202]);
    expect(statuses('GetFunction')[0]).toBe(504);
  });

  it('a connection reset', async () => {
    emu.fault({ operation: 'PutFunctionScalingConfig', kind: 'reset' });
    const run = await scale();
    expect(run.code).toBe(0);
    expect(statuses('PutFunctionScalingConfig')).toEqual(['reset', 202]);
  });

  it('a request that hangs: cut by its own timeout and retried', async () => {
    emu.fault({ operation: 'GetFunction', kind: 'hang' });
    const started = Date.now();
    const run = await scale();
    expect(run.code).toBe(0);
    expect(statuses('GetFunction')[0]).toBe('hang');
    expect(Date.now() - started).toBeLessThan(12_000);
  }, 20_000);

  it('an alias resolution hit by a 500', async () => {
    emu.fault({ operation: 'GetAlias', kind: 'error', status: 500 });
    const run = await scale({ qualifier: 'live' });
    expect(run.code).toBe(0);
    expect(statuses('GetAlias')).toEqual([500, 200]);
  });
});

describe('the budget', () => {
  // Real-clock bounds are measured from the emulator's receipt of the first request: process start-up,
  // which a busy runner slows most, is left out, and the budget began before that request.

  it('never runs past wait-for-minutes, even while retrying', async () => {
    emu.fault({ operation: 'PutFunctionScalingConfig', kind: 'error', status: 409, times: 1000 });
    const run = await scale({ 'wait-for-minutes': '0.1' });
    const exited = Date.now();
    expect(run.code).toBe(1);
    expect(run.errors).toEqual([{ title: 'ResourceConflictException: app:1', message: expect.stringMatching(/stayed busy with another update until the wait ran out/) }]);
    // No request starts after the 6-s budget: the emulator's own receive times. The exact bound on the
    // step's end is pinned on the virtual clock in test/flow/retries.test.ts.
    const first = emu.requests[0].at;
    expect(emu.requests.every((r) => r.at - first < 6000)).toBe(true);
    // The process ends at the budget, not a backoff (up to 8 s) past it. 2 s is for a busy runner's exit:
    // at most 5.96 s has been seen with 4 CPU hogs.
    expect(exited - first).toBeLessThan(6000 + 2000);
  });

  it('cuts a hanging request at the deadline and reports the timeout', async () => {
    emu.fault({ kind: 'hang', times: 100 });
    const run = await scale({ 'wait-for-minutes': '0.05' });
    const exited = Date.now();
    expect(run.code).toBe(1);
    expect(run.errors).toEqual([{ title: 'Timed out: app:1', message: expect.stringMatching(/within wait-for-minutes \(0\.05\)/) }]);
    // The first request hangs from the start. Its own 5-s timeout would cut it 5 s after it was sent,
    // so an exit sooner than that shows the 3-s deadline cut it. The 2 s between the two are for a busy
    // runner: 3.3 s has been seen with 4 CPU hogs.
    expect(emu.requests[0].status).toBe('hang');
    expect(exited - emu.requests[0].at).toBeLessThan(5000);
  });
});

describe('faults reported at once', () => {
  it('a DNS failure of the endpoint', async () => {
    // A 64-character label cannot be put in a DNS query: the lookup fails on the machine, nothing is sent.
    const run = await scale({}, { AWS_ENDPOINT_URL_LAMBDA: `http://${'x'.repeat(64)}.invalid` });
    expect(run.code).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0].title).toBe('ENOTFOUND: app:1');
    expect(run.errors[0].message).toMatch(/could not be resolved.*AWS_ENDPOINT_URL_LAMBDA/);
  });
});

describe('an endpoint that is not Lambda', () => {
  it('answering every request with an HTML 404 page: reported after the first, naming what answered and what to check', async () => {
    emu.fault({ kind: 'raw', ...FOREIGN_PAGES.html404, times: 100 });
    const run = await scale();
    expect(run.code).toBe(1);
    expect(emu.requests.map((r) => `${r.operation} ${r.status}`)).toEqual(['GetFunctionScalingConfig 404']);
    expect(run.errors).toEqual([
      {
        title: 'Not a Lambda answer (HTTP 404): app:1',
        message: [
          `GetFunctionScalingConfig on app:1 was answered by ${emu.url} with HTTP 404, text/html: "404 Not Found 404 Not Found nginx"`,
          "This is not an answer of the Lambda API (its body is not JSON): the request reached something else, such as a wrong endpoint, a proxy or a firewall's page. Not retried: such a page answers the same the next time.",
          'Check the endpoint variables AWS_ENDPOINT_URL_LAMBDA and AWS_ENDPOINT_URL (set here: AWS_ENDPOINT_URL_LAMBDA) and the region (us-east-1). No proxy variable (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) is set.',
        ].join('\n'),
      },
    ]);
    // Nothing of the SDK's deserialization error anywhere the user looks.
    for (const text of [run.stdout, run.stderr, run.summary]) expect(text).not.toMatch(/Deserialization error|\$response|is not valid JSON|retries ran out/);
  });
});

describe('cancellation', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s stops the step within 2 s, non-zero, with the last state and what stays put', async (signal) => {
    const action = startAction(
      { 'function-name': 'app', qualifier: '2', 'min-execution-environments': '1', 'max-execution-environments': '1' },
      emulatorEnv(emu.url),
    );
    await action.waitForOutput(/::group::Wait until in effect/);
    const sent = Date.now();
    action.child.kill(signal);
    const run = await action.done;
    expect(Date.now() - sent).toBeLessThan(2000);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain(`Received ${signal}: stopping.`);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0].title).toBe('Cancelled: app:2');
    expect(run.errors[0].message).toMatch(/last state seen was Pending\. The config 1\/1 put before the cancel stays put/);
  });
});

describe('security', () => {
  it('logs no secret, with step debug on and through error paths', async () => {
    emu.fault({ operation: 'PutFunctionScalingConfig', kind: 'error', status: 409 });
    emu.fault({ operation: 'GetFunction', kind: 'error', status: 503, html: true });
    const env = emulatorEnv(emu.url);
    const run = await scale({}, { RUNNER_DEBUG: '1', ACTIONS_STEP_DEBUG: 'true' });
    expect(run.code).toBe(0);
    const denied = await scale({ 'function-name': 'missing' }, { RUNNER_DEBUG: '1', ACTIONS_STEP_DEBUG: 'true' });
    expect(denied.code).toBe(1);
    for (const text of [run.stdout, run.stderr, run.summary, denied.stdout, denied.stderr, denied.summary]) {
      expect(text).not.toContain(env.AWS_SECRET_ACCESS_KEY);
      expect(text).not.toContain(env.AWS_SESSION_TOKEN);
      expect(text).not.toMatch(/AWS4-HMAC-SHA256|Signature=|Credential=/);
    }
    expect(run.stdout).toMatch(/::debug::PutFunctionScalingConfig app:1: ResourceConflictException HTTP 409/);
  });

  it('calls only the operations the README’s IAM policy grants, every request signed', async () => {
    await scale({ qualifier: 'live' });
    await scale({ qualifier: '2', 'min-execution-environments': '0', 'max-execution-environments': '0' });
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const policy = JSON.parse(/## IAM policy[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)![1]);
    const granted = new Set(policy.Statement.flatMap((s: { Action: string[] }) => s.Action));
    const used = new Set(emu.requests.map((r) => `lambda:${r.operation}`));
    expect([...used].sort()).toEqual(['lambda:GetAlias', 'lambda:GetCapacityProvider', 'lambda:GetFunction', 'lambda:GetFunctionScalingConfig', 'lambda:PutFunctionScalingConfig']);
    for (const action of used) expect(granted).toContain(action);
    expect(policy.Statement[0].Resource).toEqual([expect.stringMatching(/:function:[\w-]+$/), expect.stringMatching(/:function:[\w-]+:\*$/)]);
    // The capacity check's, optional: on the capacity providers.
    expect(policy.Statement[1]).toMatchObject({ Sid: 'CapacityCheckOptional', Action: ['lambda:GetCapacityProvider', 'lambda:ListFunctionVersionsByCapacityProvider'], Resource: expect.stringMatching(/:capacity-provider:\*$/) });
    expect(emu.requests.every((r) => r.signed)).toBe(true);
  });

  it('never hands anything to a shell: src/ starts no process', () => {
    const files = readdirSync(join(ROOT, 'src')).filter((f) => f.endsWith('.ts'));
    expect(files).toContain('inputs.ts');
    for (const file of files) expect(readFileSync(join(ROOT, 'src', file), 'utf8')).not.toMatch(/child_process|\bshell\s*:/);
  });
});
