import { Cancelled } from '../../src/cancellation.js';
import { startEmulator, type Emulator } from '../emulator/server.js';
import { runFlow, runPostFlow } from '../support/flow.js';
import { virtualClock } from '../support/virtual-clock.js';

// The main step with restore, then its post step with the state it saved: the same flow, back to the previous configs.
let emu: Emulator;
let clock: ReturnType<typeof virtualClock>;
beforeEach(async () => {
  clock = virtualClock();
  emu = await startEmulator({ now: clock.now, timings: { activateMs: 60_000, deactivateMs: 20_000, resizeMs: 10_000 } });
});
afterEach(() => emu.close());

const scale = (qualifier: string, min: number, max: number, extra: Record<string, string> = {}) => ({
  'function-name': 'app',
  qualifier,
  'min-execution-environments': String(min),
  'max-execution-environments': String(max),
  restore: 'true',
  ...extra,
});
const puts = () => emu.requests.filter((r) => r.operation === 'PutFunctionScalingConfig').map((r) => `${r.functionName}:${r.qualifier} ${JSON.stringify((r.body as { FunctionScalingConfig: unknown }).FunctionScalingConfig)}`);

describe('restore', () => {
  it('puts the previous config back on the version the alias resolved to, even once the alias points elsewhere', async () => {
    emu.addFunction({ name: 'app', versions: { '1': {}, '2': { applied: { min: 2, max: 4 } } }, aliases: { live: { version: '2' } } });
    const inputs = scale('live', 6, 12);
    const main = await runFlow(emu.url, inputs, { clock });
    expect(main.ok).toBe(true);
    expect(main.state).toEqual({ put1: JSON.stringify({ function: 'app', version: '2', region: 'us-east-1', previous: { min: 2, max: 4 }, put: { min: 6, max: 12 } }) });
    emu.addFunction({ name: 'app', versions: {}, aliases: { live: { version: '1' } } });
    emu.requests.length = 0;

    const post = await runPostFlow(emu.url, inputs, main.state, { clock });
    expect(post.errors).toEqual([]);
    expect(post.warnings).toEqual([]);
    expect(post.ok).toBe(true);
    expect(puts()).toEqual(['app:2 {"MinExecutionEnvironments":2,"MaxExecutionEnvironments":4}']);
    expect(emu.requests.map((r) => r.operation)).not.toContain('GetAlias');
    expect(emu.inspect('app', '2')).toMatchObject({ state: 'Active', applied: { min: 2, max: 4 } });
    expect(emu.inspect('app', '2').requested).toBeUndefined();
    expect(post.logs).toContainEqual(expect.stringMatching(/^app:2: restored 6\/12 → 2\/4 \(Active\) in 1\d\.\d s$/));
    expect(post.summary).toContain('## Lambda Managed Instances scaling: restored');
    expect(post.summary).toContain('✅ 1 target back to its config from before the job in us-east-1.');
    expect(post.summary).toMatch(/\| app \| \[2\]\([^)]*\) \| 6\/12 \| 2\/4 \| Active \| 1\d\.\d s \|/);
    expect(post.outputs).toEqual({});
  });

  it('puts each target of a spec back to its own previous config: the default (no maximum) and 0/0', async () => {
    emu.addFunction({ name: 'a', versions: { '1': {} } });
    emu.addFunction({ name: 'b', versions: { '1': { state: 'Deactivated' } } });
    const inputs = { scaling: '- a:1 5/10\n- b:1 2/2', restore: 'true' };
    const main = await runFlow(emu.url, inputs, { clock });
    expect(main.ok).toBe(true);
    expect(Object.keys(main.state).sort()).toEqual(['put1', 'put2']);
    emu.requests.length = 0;

    const post = await runPostFlow(emu.url, inputs, main.state, { clock });
    expect(post.errors).toEqual([]);
    expect(post.ok).toBe(true);
    expect(puts().sort()).toEqual(['a:1 {"MinExecutionEnvironments":3}', 'b:1 {"MinExecutionEnvironments":0,"MaxExecutionEnvironments":0}']);
    expect(emu.inspect('a', '1')).toMatchObject({ state: 'Active', applied: { min: 3, max: null } });
    expect(emu.inspect('b', '1')).toMatchObject({ state: 'Deactivated', applied: { min: 0, max: 0 } });
    expect(post.groups).toEqual(["Apply each target's config to 2 targets and wait until in effect"]);
  });

  it("leaves a version someone else changed since, with a warning naming the config found, and puts nothing on it", async () => {
    emu.addFunction({ name: 'app', versions: { '3': { applied: { min: 1, max: 2 } } } });
    const inputs = scale('3', 4, 8);
    const main = await runFlow(emu.url, inputs, { clock });
    // Another step of the job changes it again.
    const other = await runFlow(emu.url, scale('3', 7, 7, { restore: 'false' }), { clock });
    expect(other.state).toEqual({});
    emu.requests.length = 0;

    const post = await runPostFlow(emu.url, inputs, main.state, { clock });
    expect(post.ok).toBe(true);
    expect(puts()).toEqual([]);
    expect(emu.requests.map((r) => r.operation)).toEqual(['GetFunctionScalingConfig']);
    expect(post.warnings).toEqual([
      {
        title: 'Left as it is: app:3',
        message: expect.stringMatching(/^app:3 was not put back to 1\/2: its config is now 7\/7, not the 4\/8 this job's scaling step put, so someone \(another step or person\) changed it since\. It was left as it is\./),
      },
    ]);
    expect(post.summary).toContain('⚠️ 1 of 1 target left as someone changed it since in us-east-1.');
    expect(emu.inspect('app', '3').applied).toEqual({ min: 7, max: 7 });
  });

  it('does not touch a version the main step found already in effect, and saves nothing for a dry run', async () => {
    emu.addFunction({ name: 'app', versions: { '1': { applied: { min: 4, max: 8 } }, '2': {} } });
    const inEffect = await runFlow(emu.url, scale('1', 4, 8), { clock });
    const dryRun = await runFlow(emu.url, scale('2', 5, 5, { 'dry-run': 'true' }), { clock });
    expect(inEffect.state).toEqual({});
    expect(dryRun.state).toEqual({});
    emu.requests.length = 0;
    const post = await runPostFlow(emu.url, scale('1', 4, 8), {}, { clock });
    expect(post.ok).toBe(true);
    expect(emu.requests).toEqual([]);
    expect(post.logs).toEqual([expect.stringMatching(/^Nothing to restore: the scaling step put no config/)]);
    expect(post.summary).toBe('');
  });

  it('saves each put as soon as it is accepted: a main step cancelled while waiting still gets it restored', async () => {
    emu.addFunction({ name: 'app', versions: { '5': { state: 'Deactivated' } } });
    const inputs = scale('5', 2, 4);
    const controller = new AbortController();
    const running = runFlow(emu.url, inputs, { clock, signal: controller.signal });
    // Once the wait reads the state, the put's answer was read: the second GetFunction (the capacity check reads the first).
    while (emu.requests.filter((r) => r.operation === 'GetFunction').length < 2) await new Promise((resolve) => setTimeout(resolve, 2));
    controller.abort(new Cancelled('SIGINT'));
    const main = await running;
    expect(main.ok).toBe(false);
    expect(emu.inspect('app', '5').requested).toEqual({ min: 2, max: 4 });

    const post = await runPostFlow(emu.url, inputs, main.state, { clock });
    expect(post.errors).toEqual([]);
    expect(post.ok).toBe(true);
    expect(emu.inspect('app', '5')).toMatchObject({ state: 'Deactivated', applied: { min: 0, max: 0 } });
  });

  it('runs nothing without restore: true', async () => {
    emu.addFunction({ name: 'app', versions: { '1': {} } });
    const post = await runPostFlow(emu.url, scale('1', 2, 2, { restore: 'false' }), { put1: JSON.stringify({ function: 'app', version: '1', region: 'us-east-1', previous: { min: 3, max: null }, put: { min: 2, max: 2 } }) }, { clock });
    expect(post.ok).toBe(true);
    expect(emu.requests).toEqual([]);
    expect(post.logs).toEqual([]);
  });

  it('fails without a request when the config from before the put was never known, and on a state it did not save', async () => {
    emu.addFunction({ name: 'app', versions: { '1': {} } });
    const unknown = await runPostFlow(emu.url, scale('1', 2, 2), { put1: JSON.stringify({ function: 'app', version: '1', region: 'us-east-1', previous: null, put: { min: 2, max: 2 } }) }, { clock });
    expect(unknown.ok).toBe(false);
    expect(unknown.errors).toEqual([{ title: 'Not restored: app:1', message: expect.stringMatching(/^app:1 was left at 2\/2, the config this job's scaling step put: no config was applied when the step read it/) }]);
    expect(unknown.summary).toContain('| app | 1 | 2/2 | ❌ not restored (no previous config known) | — | — |');
    const garbled = await runPostFlow(emu.url, scale('1', 2, 2), { put1: '{"function"' }, { clock });
    expect(garbled.ok).toBe(false);
    expect(garbled.errors).toEqual([{ title: 'Restore: unreadable state', message: expect.stringMatching(/^Nothing was restored: the saved state put1 is not JSON/) }]);
    expect(emu.requests).toEqual([]);
  });

  it('logs the heartbeat during a long restore, within a wait-for-minutes of its own', async () => {
    emu.addFunction({ name: 'app', versions: { '6': { applied: { min: 1, max: 2 }, timings: { resizeMs: 50_000 } } } });
    const inputs = scale('6', 3, 3, { 'wait-for-minutes': '1' });
    const main = await runFlow(emu.url, inputs, { clock });
    expect(main.ok).toBe(true);
    const post = await runPostFlow(emu.url, inputs, main.state, { clock });
    expect(post.errors).toEqual([]);
    expect(post.ok).toBe(true);
    // Started from the post step's own start: the main step's 50 s do not count against it.
    expect(post.logs).toContainEqual(expect.stringMatching(/^app:6: still Active, applying 1\/2 after 30s; applied 3\/3; 30s left$/));
    expect(emu.inspect('app', '6').applied).toEqual({ min: 1, max: 2 });
  });

  it('fails, naming the config left and the command, when the restore times out', async () => {
    emu.addFunction({ name: 'app', versions: { '8': { applied: { min: 1, max: 2 }, timings: { resizeMs: 20_000 } } } });
    const main = await runFlow(emu.url, scale('8', 3, 3), { clock });
    expect(main.ok).toBe(true);
    emu.addFunction({ name: 'app', versions: { '8': { applied: { min: 3, max: 3 }, timings: { resizeMs: 120_000 } } } });
    const post = await runPostFlow(emu.url, scale('8', 3, 3, { 'wait-for-minutes': '0.5' }), main.state, { clock });
    expect(post.ok).toBe(false);
    expect(post.errors).toEqual([
      {
        title: 'Not restored: app:8',
        message: expect.stringMatching(
          /^app:8 was not put back to 1\/2, its config before this job's scaling step\. Timed out: app:8 did not reach Active with 1\/2 applied within wait-for-minutes \(0\.5\)\. [^]*\nThe config left on it: 3\/3 applied, 1\/2 requested\. To put it back by hand:\naws lambda put-function-scaling-config --function-name app --qualifier 8 --function-scaling-config MinExecutionEnvironments=1,MaxExecutionEnvironments=2 --region us-east-1\nIn the Lambda console/,
        ),
      },
    ]);
    expect(post.logs.filter((l) => l.includes('not restored'))).toEqual(['app:8: not restored (Timed out): 3/3 applied, 1/2 requested left on it']);
  });

  it('restores the same function in two regions, each in its own region', async () => {
    emu.addFunction({ name: 'api', versions: { '1': { applied: { min: 1, max: 1 } } } });
    emu.addFunction({ name: 'api', versions: { '1': { applied: { min: 2, max: 2 } } } }, 'eu-west-1');
    const inputs = { scaling: '- { function: api, qualifier: "1", min: 4, max: 4 }\n- { function: api, qualifier: "1", min: 5, max: 5, region: eu-west-1 }', restore: 'true' };
    const main = await runFlow(emu.url, inputs, { clock });
    expect(main.ok).toBe(true);
    emu.requests.length = 0;
    const post = await runPostFlow(emu.url, inputs, main.state, { clock });
    expect(post.errors).toEqual([]);
    expect(emu.requests.filter((r) => r.operation === 'PutFunctionScalingConfig').map((r) => `${r.region} ${JSON.stringify(r.body)}`).sort()).toEqual([
      'eu-west-1 {"FunctionScalingConfig":{"MinExecutionEnvironments":2,"MaxExecutionEnvironments":2}}',
      'us-east-1 {"FunctionScalingConfig":{"MinExecutionEnvironments":1,"MaxExecutionEnvironments":1}}',
    ]);
    expect(emu.inspect('api', '1', 'eu-west-1').applied).toEqual({ min: 2, max: 2 });
    expect(emu.inspect('api', '1').applied).toEqual({ min: 1, max: 1 });
    expect(post.summary).toContain('✅ 2 targets back to their config from before the job in 2 regions (us-east-1, eu-west-1).');
    expect(post.summary).toMatch(/\| api \| eu-west-1 \| \[1\]\([^)]*\) \| 5\/5 \| 2\/2 \| Active \|/);
  });

  it('a post step cancelled while it waits: fails, saying so, with the command to finish the restore', async () => {
    emu.addFunction({ name: 'app', versions: { '2': { applied: { min: 1, max: 2 } } } });
    const inputs = scale('2', 3, 3);
    const main = await runFlow(emu.url, inputs, { clock });
    emu.requests.length = 0;
    const controller = new AbortController();
    const running = runPostFlow(emu.url, inputs, main.state, { clock, signal: controller.signal });
    // Once the wait reads the state, the put's answer was read: the second GetFunction (the capacity check reads the first).
    while (emu.requests.filter((r) => r.operation === 'GetFunction').length < 2) await new Promise((resolve) => setTimeout(resolve, 2));
    controller.abort(new Cancelled('SIGTERM'));
    const post = await running;
    expect(post.ok).toBe(false);
    expect(post.errors).toEqual([
      {
        title: 'Not restored: app:2',
        message: expect.stringMatching(
          /^app:2 was not put back to 1\/2, its config before this job's scaling step\. The post step was cancelled before the restore was in effect\.\nThe config left on it: 3\/3 applied, 1\/2 requested\. To put it back by hand:\naws lambda put-function-scaling-config --function-name app --qualifier 2 --function-scaling-config MinExecutionEnvironments=1,MaxExecutionEnvironments=2 --region us-east-1\n/,
        ),
      },
    ]);
  });
});
