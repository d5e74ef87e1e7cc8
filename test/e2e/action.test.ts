import { startEmulator, type Emulator } from '../emulator/server.js';
import { emulatorEnv } from '../support/aws-env.js';
import { runAction } from '../support/run-action.js';

// The built bundle, run as the GitHub runner runs it, against the emulator on the real clock.
let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator({ timings: { publishMs: 1500, activateMs: 1200, deactivateMs: 800, resizeMs: 800 } });
});
afterEach(() => emu.close());

const inputs = (qualifier: string, min: number, max: number, extra: Record<string, string> = {}) => ({
  'function-name': 'app',
  qualifier,
  'min-execution-environments': String(min),
  'max-execution-environments': String(max),
  ...extra,
});

describe('the bundled action', () => {
  it('scales up through an alias: outputs, summary, groups, exit 0', async () => {
    emu.addFunction({ name: 'app', versions: { '1': {}, '2': { state: 'Deactivated' } }, aliases: { live: { version: '2', weights: { '1': 0.2 } } } });
    const run = await runAction(inputs('live', 2, 6), emulatorEnv(emu.url));
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({
      'function-state': 'Active',
      'function-arn': 'arn:aws:lambda:us-east-1:123456789012:function:app:2',
      version: '2',
      changed: 'true',
      'previous-min-execution-environments': '0',
      'previous-max-execution-environments': '0',
    });
    expect(JSON.parse(run.outputs.results)).toEqual([
      expect.objectContaining({ function: 'app', qualifier: 'live', version: '2', state: 'Active', applied: { min: 2, max: 6 }, error: null }),
      expect.objectContaining({ function: 'app', qualifier: 'live', version: '1', state: 'Active', applied: { min: 2, max: 6 }, error: null }),
    ]);
    expect(run.summary).toContain('## Lambda Managed Instances scaling');
    expect(run.summary).toContain(
      '| app | live | [2](https://us-east-1.console.aws.amazon.com/lambda/home?region=us-east-1#/functions/app/versions/2?tab=configure "Lambda console, account 123456789012") | 0/0 | 2/6 | Active | yes |',
    );
    expect(run.summary).toMatch(/app:2 \(live\): Pending at [\d.]+ s → Active at [\d.]+ s/);
    expect(run.stdout).toMatch(/::group::Resolve aliases[\s\S]*::endgroup::[\s\S]*::group::Apply 2\/6 to 2 targets and wait until in effect\n/);
    expect(emu.inspect('app', '2')).toMatchObject({ state: 'Active', applied: { min: 2, max: 6 } });
  });

  it('scales to zero and reports Deactivated', async () => {
    emu.addFunction({ name: 'app', versions: { '2': {} } });
    const run = await runAction(inputs('2', 0, 0), emulatorEnv(emu.url));
    expect(run.code).toBe(0);
    expect(run.outputs['function-state']).toBe('Deactivated');
    expect(run.stdout).toMatch(/::group::Apply 0\/0\n[\s\S]*::endgroup::\n::group::Wait until in effect\n[\s\S]*::endgroup::/);
    expect(run.stdout).not.toContain('Resolve aliases');
  });

  it('shows a heartbeat during a long wait, and keeps it out of the summary', async () => {
    emu.addFunction({ name: 'app', versions: { '4': { state: 'Deactivated', timings: { activateMs: 35_000 } } } });
    const run = await runAction(inputs('4', 2, 5), emulatorEnv(emu.url));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^app:4: still Pending after \d+s \(Creating: The function version is being activated\.\); applied 0\/0, requested 2\/5; 14m \d+s left$/m);
    expect(run.summary).not.toContain('still');
    expect(run.summary).toMatch(/app:4: Pending at [\d.]+ s → Active at 3\d\.\d s/);
  }, 90_000);

  it('previews a change with dry-run: read operations only, outputs and a plan, nothing put', async () => {
    emu.addFunction({ name: 'app', versions: { '1': { applied: { min: 2, max: 6 } }, '2': { state: 'Deactivated' } }, aliases: { live: { version: '2', weights: { '1': 0.2 } } } });
    const run = await runAction(inputs('live', 2, 6, { 'dry-run': 'true' }), emulatorEnv(emu.url));
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(new Set(emu.requests.map((r) => r.operation))).toEqual(new Set(['GetAlias', 'GetFunctionScalingConfig', 'GetFunction', 'GetCapacityProvider']));
    expect(emu.inspect('app', '2')).toMatchObject({ state: 'Deactivated', applied: { min: 0, max: 0 } });
    expect(run.outputs).toMatchObject({ changed: 'true', version: '2', 'function-state': 'Mixed', 'previous-min-execution-environments': '0' });
    expect(JSON.parse(run.outputs.results)).toEqual([
      expect.objectContaining({ version: '2', state: 'Deactivated', changed: true, previous: { min: 0, max: 0 }, requested: { min: 2, max: 6 } }),
      expect.objectContaining({ version: '1', state: 'Active', changed: false, previous: { min: 2, max: 6 }, requested: { min: 2, max: 6 } }),
    ]);
    expect(run.stdout).toMatch(/::group::Dry run: read the current config and state; nothing is changed\n[\s\S]*app:2 \(live\): would change 0\/0 → 2\/6/);
    expect(run.stdout).toContain('Dry run in us-east-1, nothing was changed: 1 of 2 targets would change to 2/6.');
    expect(run.summary).toContain('## Lambda Managed Instances scaling: dry run');
    expect(run.summary).toMatch(/\| Active \| 2\/6: no change \|/);
  });

  it('with wait false and the config already in effect, reads the state once and reports it', async () => {
    emu.addFunction({ name: 'app', versions: { '2': { state: 'Deactivated' } } });
    const run = await runAction(inputs('2', 0, 0, { wait: 'false' }), emulatorEnv(emu.url));
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ 'function-state': 'Deactivated', changed: 'false', version: '2' });
    expect(JSON.parse(run.outputs.results)).toEqual([expect.objectContaining({ state: 'Deactivated', changed: false })]);
    expect(emu.requests.map((r) => r.operation)).toEqual(['GetFunctionScalingConfig', 'GetFunction']);
  });

  it('warns before the put when the min cannot fit its capacity provider, and says so when the check was skipped', async () => {
    emu.addCapacityProvider({ name: 'prod-cp', maxVCpuCount: 48 });
    emu.addFunction({ name: 'app', capacityProvider: 'prod-cp', memorySize: 4096, versions: { '1': {}, '2': {} } });
    const run = await runAction(inputs('1', 30, 30, { wait: 'false' }), emulatorEnv(emu.url));
    expect(run.code).toBe(0);
    expect(run.warnings).toEqual([{ title: 'Capacity: app:1 cannot fit', message: expect.stringContaining('app:1: min 30 × 2 vCPU = at least 60 vCPU; capacity provider prod-cp allows 48.') }]);
    expect(run.stdout.indexOf('::warning')).toBeLessThan(run.stdout.indexOf('app:1: 3/no max → 30/30 put'));
    emu.fault({ operation: 'GetCapacityProvider', kind: 'error', status: 403, errorType: 'AccessDeniedException', message: 'not authorized to perform: lambda:GetCapacityProvider' });
    const denied = await runAction(inputs('2', 4, 4, { wait: 'false' }), emulatorEnv(emu.url));
    expect(denied.code).toBe(0);
    expect(denied.notices).toEqual([{ title: 'Capacity check skipped', message: expect.stringContaining('allow lambda:GetCapacityProvider and lambda:ListFunctionVersionsByCapacityProvider') }]);
  });

  it('refuses a bad input with an annotation and makes no request', async () => {
    const run = await runAction(inputs('live', 0, 5), emulatorEnv(emu.url));
    expect(run.code).toBe(1);
    expect(run.errors).toEqual([{ title: 'Invalid input: min-execution-environments', message: expect.stringMatching(/0 is valid only with max-execution-environments 0/) }]);
    expect(emu.requests).toEqual([]);
  });

  it('fails with an annotation when the version fails, and still writes outputs and summary', async () => {
    emu.addFunction({ name: 'app', versions: { '3': { state: 'Deactivated', failOnActivate: { code: 'VcpuLimitExceeded', reason: 'vCPU limit reached.' } } } });
    const run = await runAction(inputs('3', 1, 1), emulatorEnv(emu.url));
    expect(run.code).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0].title).toBe('Version Failed: app:3');
    expect(run.errors[0].message).toMatch(/VcpuLimitExceeded: vCPU limit reached\.\n.*Service Quotas/);
    expect(run.outputs['function-state']).toBe('Failed');
    expect(run.summary).toContain('❌');
  });

  it('says to configure credentials when there are none, without a stack trace', async () => {
    const env = emulatorEnv(emu.url);
    delete (env as Partial<typeof env>).AWS_ACCESS_KEY_ID;
    delete (env as Partial<typeof env>).AWS_SECRET_ACCESS_KEY;
    delete (env as Partial<typeof env>).AWS_SESSION_TOKEN;
    emu.addFunction({ name: 'app', versions: { '1': {} } });
    const run = await runAction(inputs('1', 1, 1), env);
    expect(run.code).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0].title).toBe('CredentialsProviderError: app:1');
    expect(run.errors[0].message).toMatch(/aws-actions\/configure-aws-credentials/);
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
    expect(emu.requests).toEqual([]);
  });

  it('says to set a region when there is none', async () => {
    const env = emulatorEnv(emu.url);
    delete (env as Partial<typeof env>).AWS_REGION;
    const run = await runAction(inputs('1', 1, 1), env);
    expect(run.code).toBe(1);
    expect(run.errors).toEqual([{ title: 'Invalid input: region', message: expect.stringMatching(/No AWS region.*AWS_REGION/) }]);
  });
});
