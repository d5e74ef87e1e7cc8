import { LambdaClient, PutFunctionScalingConfigCommand } from '@aws-sdk/client-lambda';
import { startEmulator, type Emulator } from '../emulator/server.js';
import { emulatorEnv } from '../support/aws-env.js';
import { runAction, runPost, startAction } from '../support/run-action.js';

// The main step with restore, then its post step as the runner runs it: the same bundle, with the state
// the main step left in GITHUB_STATE given back as STATE_* variables.
let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator({ timings: { activateMs: 1200, deactivateMs: 800, resizeMs: 800 } });
});
afterEach(() => emu.close());

const inputs = (fn: string, qualifier: string, min: number, max: number) => ({
  'function-name': fn,
  qualifier,
  'min-execution-environments': String(min),
  'max-execution-environments': String(max),
  restore: 'true',
});
const putBodies = () => emu.requests.filter((r) => r.operation === 'PutFunctionScalingConfig').map((r) => `${r.functionName}:${r.qualifier} ${JSON.stringify((r.body as { FunctionScalingConfig: unknown }).FunctionScalingConfig)}`);

describe('restore when the job ends', () => {
  it('after a main step that succeeded: back to the previous config, a Restored summary, exit 0', async () => {
    emu.addFunction({ name: 'app', versions: { '4': { applied: { min: 1, max: 2 } } }, aliases: { live: { version: '4' } } });
    const step = inputs('app', 'live', 5, 10);
    const main = await runAction(step, emulatorEnv(emu.url));
    expect(main.code).toBe(0);
    expect(main.state).toEqual({ isPost: 'true', put1: '{"function":"app","version":"4","region":"us-east-1","previous":{"min":1,"max":2},"put":{"min":5,"max":10}}' });
    emu.requests.length = 0;

    const post = await runPost(step, emulatorEnv(emu.url), main.state);
    expect(post.errors).toEqual([]);
    expect(post.code).toBe(0);
    expect(putBodies()).toEqual(['app:4 {"MinExecutionEnvironments":1,"MaxExecutionEnvironments":2}']);
    expect(emu.inspect('app', '4')).toMatchObject({ state: 'Active', applied: { min: 1, max: 2 } });
    expect(post.stdout).toMatch(/^app:4: restored 5\/10 → 1\/2 \(Active\) in \d+\.\d s$/m);
    expect(post.summary).toContain('## Lambda Managed Instances scaling: restored');
    expect(post.summary).toMatch(/\| app \| \[4\]\([^)]+\) \| 5\/10 \| 1\/2 \| Active \| \d+\.\d s \|/);
    // The post step saves nothing: it is the last run of the bundle in the job.
    expect(post.state).toEqual({});
  });

  it('after a main step that failed: restores what it had put', async () => {
    emu.addFunction({ name: 'app', versions: { '1': { applied: { min: 2, max: 2 } } } });
    const step = { ...inputs('app', '1', 4, 4), 'function-name': 'app\nmissing' };
    const main = await runAction(step, emulatorEnv(emu.url));
    expect(main.code).toBe(1);
    expect(main.errors.map((e) => e.title)).toEqual(['ResourceNotFoundException: missing:1']);
    expect(Object.keys(main.state)).toEqual(['isPost', 'put1']);

    const post = await runPost(step, emulatorEnv(emu.url), main.state);
    expect(post.errors).toEqual([]);
    expect(post.code).toBe(0);
    expect(emu.inspect('app', '1').applied).toEqual({ min: 2, max: 2 });
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('after a main step cancelled (%s) with some puts made: restores those, touches nothing else', async (signal) => {
    for (const name of ['a', 'b', 'c']) emu.addFunction({ name, versions: { '1': { state: 'Deactivated' } } });
    // The third put never gets an answer: the cancel comes after two puts only.
    emu.fault({ operation: 'PutFunctionScalingConfig', kind: 'hang', after: 2 });
    const step = { ...inputs('a, b, c', '1', 2, 3) };
    const action = startAction(step, emulatorEnv(emu.url));
    await action.waitForOutput(/^[abc]:1: 0\/0 → 2\/3 put$[\s\S]*^[abc]:1: 0\/0 → 2\/3 put$/m);
    action.child.kill(signal);
    const main = await action.done;
    expect(main.code).not.toBe(0);
    expect(Object.keys(main.state).sort()).toEqual(['isPost', 'put1', 'put2']);
    const put = ['put1', 'put2'].map((name) => (JSON.parse(main.state[name]) as { function: string }).function).sort();
    const hung = ['a', 'b', 'c'].find((name) => !put.includes(name))!;
    emu.clearFaults();
    emu.requests.length = 0;

    const post = await runPost(step, emulatorEnv(emu.url), main.state);
    expect(post.errors).toEqual([]);
    expect(post.code).toBe(0);
    expect(putBodies().sort()).toEqual(put.map((name) => `${name}:1 {"MinExecutionEnvironments":0,"MaxExecutionEnvironments":0}`));
    expect(emu.requests.some((r) => r.functionName === hung)).toBe(false);
    for (const name of put) expect(emu.inspect(name, '1')).toMatchObject({ state: 'Deactivated', applied: { min: 0, max: 0 } });
    expect(emu.inspect(hung, '1').requested).toBeUndefined();
  });

  it("leaves someone else's change made in between, with a warning naming the config found", async () => {
    emu.addFunction({ name: 'app', versions: { '2': { applied: { min: 1, max: 1 } } } });
    const step = inputs('app', '2', 3, 6);
    const main = await runAction(step, emulatorEnv(emu.url));
    expect(main.code).toBe(0);
    const lambda = new LambdaClient({ region: 'us-east-1', endpoint: emu.url, credentials: { accessKeyId: 'AKIDOTHERPERSON00000', secretAccessKey: 'other' } });
    await lambda.send(new PutFunctionScalingConfigCommand({ FunctionName: 'app', Qualifier: '2', FunctionScalingConfig: { MinExecutionEnvironments: 8, MaxExecutionEnvironments: 9 } }));
    lambda.destroy();
    emu.requests.length = 0;

    const post = await runPost(step, emulatorEnv(emu.url), main.state);
    expect(post.code).toBe(0);
    expect(post.errors).toEqual([]);
    expect(putBodies()).toEqual([]);
    expect(post.warnings).toEqual([{ title: 'Left as it is: app:2', message: expect.stringContaining('its config is now 8/9, not the 3/6 this job\'s scaling step put') }]);
    expect(post.summary).toContain('⚠️ left at 8/9: changed since');
    expect(emu.inspect('app', '2').requested ?? emu.inspect('app', '2').applied).toEqual({ min: 8, max: 9 });
  });

  it('back to the default config: min 3 and no maximum, put without MaxExecutionEnvironments', async () => {
    emu.addFunction({ name: 'app', versions: { '1': {} } });
    const step = inputs('app', '1', 6, 6);
    const main = await runAction(step, emulatorEnv(emu.url));
    expect(main.state.put1).toContain('"previous":{"min":3,"max":null}');
    emu.requests.length = 0;
    const post = await runPost(step, emulatorEnv(emu.url), main.state);
    expect(post.code).toBe(0);
    expect(putBodies()).toEqual(['app:1 {"MinExecutionEnvironments":3}']);
    expect(emu.inspect('app', '1')).toMatchObject({ state: 'Active', applied: { min: 3, max: null } });
    expect(post.summary).toContain('| 6/6 | 3/no max | Active |');
  });

  it('back to 0/0: the version is Deactivated again', async () => {
    emu.addFunction({ name: 'app', versions: { '3': { state: 'Deactivated' } } });
    const step = inputs('app', '3', 1, 2);
    const main = await runAction(step, emulatorEnv(emu.url));
    expect(main.code).toBe(0);
    const post = await runPost(step, emulatorEnv(emu.url), main.state);
    expect(post.code).toBe(0);
    expect(emu.inspect('app', '3')).toMatchObject({ state: 'Deactivated', applied: { min: 0, max: 0 } });
    expect(post.stdout).toMatch(/^app:3: restored 1\/2 → 0\/0 \(Deactivated\) in \d+\.\d s$/m);
  });

  it('a restore that fails: an error naming the target, the config left, why and the command to put it back; exit 1', async () => {
    emu.addFunction({ name: 'app', versions: { '5': { applied: { min: 2, max: 8 } } } });
    const step = inputs('app', '5', 4, 8);
    const main = await runAction(step, emulatorEnv(emu.url));
    expect(main.code).toBe(0);
    emu.fault({ operation: 'PutFunctionScalingConfig', kind: 'error', status: 403, errorType: 'AccessDeniedException', message: 'not authorized to perform: lambda:PutFunctionScalingConfig' });

    const post = await runPost(step, emulatorEnv(emu.url), main.state);
    expect(post.code).toBe(1);
    expect(post.errors).toHaveLength(1);
    expect(post.errors[0].title).toBe('Not restored: app:5');
    expect(post.errors[0].message).toMatch(/^app:5 was not put back to 2\/8, its config before this job's scaling step\. AccessDeniedException: .*not authorized to perform: lambda:PutFunctionScalingConfig/);
    expect(post.errors[0].message).toContain(
      '\nThe config left on it: 4/8. To put it back by hand:\naws lambda put-function-scaling-config --function-name app --qualifier 5 --function-scaling-config MinExecutionEnvironments=2,MaxExecutionEnvironments=8 --region us-east-1',
    );
    expect(post.summary).toContain('❌ 1 of 1 target not restored in us-east-1.');
    expect(post.summary).toContain('| 4/8 | ❌ not restored (4/8 left) |');
    expect(emu.inspect('app', '5').applied).toEqual({ min: 4, max: 8 });
  });

  it('after a dry run: nothing to restore, no request', async () => {
    emu.addFunction({ name: 'app', versions: { '1': {} } });
    const step = { ...inputs('app', '1', 5, 5), 'dry-run': 'true' };
    const main = await runAction(step, emulatorEnv(emu.url));
    expect(main.state).toEqual({ isPost: 'true' });
    emu.requests.length = 0;
    const post = await runPost(step, emulatorEnv(emu.url), main.state);
    expect(post.code).toBe(0);
    expect(emu.requests).toEqual([]);
    expect(post.stdout).toContain('Nothing to restore');
  });

  it('without restore: the post step (which always runs) knows it is one, and makes no request', async () => {
    emu.addFunction({ name: 'app', versions: { '1': {} } });
    const step = { ...inputs('app', '1', 5, 5), restore: 'false' };
    const main = await runAction(step, emulatorEnv(emu.url));
    expect(main.code).toBe(0);
    expect(main.state).toEqual({ isPost: 'true' });
    emu.requests.length = 0;
    const post = await runPost(step, emulatorEnv(emu.url), main.state);
    expect(post.code).toBe(0);
    expect(emu.requests).toEqual([]);
    expect(post.stdout).toBe('');
    expect(post.summary).toBe('');
  });
});
