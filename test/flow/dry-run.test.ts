import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { emulatorPerTest } from '../support/flow-fixture.js';
import { runFlow } from '../support/flow.js';
import { ROOT } from '../support/run-action.js';

// The operations the README's read-only policy grants: a dry run must need no other.
const policy = /```json\n(\{[^`]*"PreviewLambdaManagedInstancesScaling"[^`]*\})\n```/.exec(readFileSync(join(ROOT, 'README.md'), 'utf8'))![1];
const statements = JSON.parse(policy).Statement as { Action: string[] }[];
const READ_ONLY = new Set<string>(statements.flatMap((s) => s.Action).map((action) => action.replace(/^lambda:/, '')));
const consoleUrl = (version: string) => `https://us-east-1.console.aws.amazon.com/lambda/home?region=us-east-1#/functions/app/versions/${version}?tab=configure`;

const fixture = emulatorPerTest({ publishMs: 120_000, activateMs: 180_000, deactivateMs: 60_000, resizeMs: 30_000 });
const { scale, ops } = fixture;
const preview = (qualifier: string, min: number, max: number, extra: Record<string, string> = {}) => scale(qualifier, min, max, { 'dry-run': 'true', ...extra });

describe('dry run', () => {
  it('reads the config and state, puts nothing, and reports what would change', async () => {
    fixture.emu.addFunction({ name: 'app', versions: { '7': { applied: { min: 3, max: 3 } } } });
    const started = fixture.clock.now();
    const result = await preview('7', 5, 20);
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    expect(ops()).toEqual(['GetFunctionScalingConfig', 'GetFunction', 'GetCapacityProvider']);
    expect(ops().every((op) => READ_ONLY.has(op))).toBe(true);
    expect(fixture.emu.inspect('app', '7')).toMatchObject({ state: 'Active', applied: { min: 3, max: 3 } });
    expect(fixture.emu.inspect('app', '7').requested).toBeUndefined();
    expect(fixture.clock.now() - started).toBeLessThan(1000);
    expect(result.outputs).toMatchObject({
      changed: 'true',
      'function-state': 'Active',
      'function-arn': 'arn:aws:lambda:us-east-1:123456789012:function:app:7',
      version: '7',
      'previous-min-execution-environments': '3',
      'previous-max-execution-environments': '3',
    });
    expect(JSON.parse(result.outputs.results)).toEqual([
      expect.objectContaining({ version: '7', state: 'Active', changed: true, previous: { min: 3, max: 3 }, applied: { min: 3, max: 3 }, requested: { min: 5, max: 20 }, waitedSeconds: null, error: null }),
    ]);
    expect(result.groups).toEqual(['Dry run: read the current config and state; nothing is changed']);
    expect(result.logs).toContain('app:7: would change 3/3 → 5/20');
    expect(result.logs).toContain('Dry run in us-east-1, nothing was changed: 1 of 1 target would change to 5/20.');
    expect(result.summary).toContain('## Lambda Managed Instances scaling: dry run\n\n🔍 Dry run in us-east-1, nothing was changed: 1 of 1 target would change to 5/20.');
    expect(result.summary).toContain(`| app | 7 | [7](${consoleUrl('7')} "Lambda console, account 123456789012") | Active | 3/3 → 5/20 |`);
  });

  it('says so for a version already at the requested config', async () => {
    fixture.emu.addFunction({ name: 'app', versions: { '2': { applied: { min: 4, max: 8 } } } });
    const result = await preview('2', 4, 8);
    expect(result.ok).toBe(true);
    expect(result.outputs).toMatchObject({ changed: 'false', 'function-state': 'Active', 'previous-min-execution-environments': '4' });
    expect(JSON.parse(result.outputs.results)[0]).toMatchObject({ changed: false, previous: { min: 4, max: 8 }, requested: { min: 4, max: 8 } });
    expect(result.logs).toContain('app:2: 4/8: no change');
    expect(result.summary).toMatch(/\| Active \| 4\/8: no change \| min ≥ 4 of 400 vCPU/);
    expect(ops()).toEqual(['GetFunctionScalingConfig', 'GetFunction', 'GetCapacityProvider']);
  });

  it('needs only what the README’s read-only policy grants, and nothing that writes', () => {
    expect(READ_ONLY).toEqual(new Set(['GetFunctionScalingConfig', 'GetFunction', 'GetAlias', 'GetCapacityProvider']));
  });

  it('resolves an alias and plans every version it routes to, with read operations only', async () => {
    fixture.emu.addFunction({ name: 'app', versions: { '1': { applied: { min: 2, max: 5 } }, '2': { state: 'Deactivated' } }, aliases: { live: { version: '2', weights: { '1': 0.1 } } } });
    const result = await preview('live', 2, 5);
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    expect(ops().every((op) => READ_ONLY.has(op))).toBe(true);
    expect(ops().filter((op) => op === 'GetAlias')).toHaveLength(1);
    expect(fixture.emu.inspect('app', '2')).toMatchObject({ state: 'Deactivated', applied: { min: 0, max: 0 } });
    expect(result.outputs).toMatchObject({ changed: 'true', version: '2', 'function-state': 'Mixed' });
    expect(JSON.parse(result.outputs.results).map((r: { version: string; changed: boolean; state: string }) => [r.version, r.changed, r.state])).toEqual([
      ['2', true, 'Deactivated'],
      ['1', false, 'Active'],
    ]);
    expect(result.summary).toContain('| Deactivated | 0/0 → 2/5 (reactivates the version: starting execution environments takes minutes) |');
    expect(result.summary).toContain(`| app | live | [1](${consoleUrl('1')} "Lambda console, account 123456789012") | Active | 2/5: no change |`);
    expect(result.summary).toContain('1 of 2 targets would change to 2/5');
  });

  it('does not wait for a version still being deployed: it reports the state it finds', async () => {
    fixture.emu.addFunction({ name: 'app', versions: { '8': { state: 'Pending', lastUpdateInProgressMs: 45_000 } } });
    const started = fixture.clock.now();
    const result = await preview('8', 3, 6, { wait: 'true' });
    expect(result.ok).toBe(true);
    expect(result.outputs['function-state']).toBe('Pending');
    expect(fixture.clock.now() - started).toBeLessThan(1000);
    expect(ops()).not.toContain('PutFunctionScalingConfig');
  });

  it('fails when a read fails, and the annotation links the version it had found', async () => {
    fixture.emu.addFunction({ name: 'app', versions: { '3': {} } });
    fixture.emu.fault({
      operation: 'GetFunction',
      kind: 'error',
      status: 403,
      errorType: 'AccessDeniedException',
      message: 'User: arn:aws:sts::123456789012:assumed-role/ci/gh is not authorized to perform: lambda:GetFunction on resource: arn:aws:lambda:us-east-1:123456789012:function:app:3',
    });
    const result = await preview('3', 0, 0);
    expect(result.ok).toBe(false);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0].title).toBe('AccessDeniedException: app:3');
    expect(result.errors[0].message).toMatch(/grant lambda:GetFunction/);
    expect(result.errors[0].message).toContain(`\nIn the Lambda console (account 123456789012): ${consoleUrl('3')}`);
    // What was read before the failure is still reported.
    expect(result.outputs).toMatchObject({ changed: 'true', 'previous-min-execution-environments': '3' });
    expect(result.summary).toContain('❌ Dry run in us-east-1, nothing was changed: 0 of 1 target would change; 1 could not be read.');
    expect(ops()).toEqual(['GetFunctionScalingConfig', 'GetFunction']);
  });

  it('notes a deploy still in progress, and does not wait for it', async () => {
    fixture.emu.addFunction({ name: 'app', versions: { '$LATEST.PUBLISHED': { applied: { min: 3, max: 3 }, republish: { durationMs: 60_000 } } } });
    const started = fixture.clock.now();
    const result = await preview('$LATEST.PUBLISHED', 5, 20);
    expect(result.ok).toBe(true);
    expect(ops()).toEqual(['GetFunctionScalingConfig', 'GetFunction', 'GetCapacityProvider']);
    expect(fixture.clock.now() - started).toBeLessThan(1000);
    expect(result.logs).toContain('app:$LATEST.PUBLISHED: would change 3/3 → 5/20 (a deploy is still in progress: a real run puts the config once it ends)');
  });

  it('says a cancelled dry run changed nothing', async () => {
    fixture.emu.addFunction({ name: 'app', versions: { '3': {} } });
    fixture.emu.fault({ operation: 'GetFunction', kind: 'hang' });
    const cancel = new AbortController();
    const inputs = { 'function-name': 'app', qualifier: '3', 'min-execution-environments': '1', 'max-execution-environments': '1', 'dry-run': 'true' };
    const running = runFlow(fixture.emu.url, inputs, { clock: fixture.clock, signal: cancel.signal });
    // Cancelled while the state read hangs, after the config read.
    while (!fixture.ops().includes('GetFunction')) await new Promise((resolve) => setTimeout(resolve, 5));
    cancel.abort();
    const result = await running;
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      { title: 'Cancelled: app:3', message: expect.stringMatching(/^The job was cancelled while reading app:3\. No state had been seen yet\. It was a dry run: nothing was changed\.\nIn the Lambda console/) },
    ]);
  });

  it('refuses a dry-run that is not a boolean, before any request', async () => {
    const result = await preview('3', 1, 1, { 'dry-run': 'yes' });
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([{ title: 'Invalid input: dry-run', message: 'dry-run "yes" is not a boolean. Use true or false.' }]);
    expect(fixture.emu.requests).toEqual([]);
  });
});

describe('links to the console', () => {
  it('links each version of a real run in the summary, and a failure annotation', async () => {
    fixture.emu.addFunction({ name: 'app', versions: { '4': { state: 'Deactivated', failOnActivate: { code: 'InsufficientCapacity', reason: 'Not enough m7g capacity.' } } } });
    const result = await scale('4', 3, 10);
    expect(result.ok).toBe(false);
    expect(result.errors[0].title).toBe('Version Failed: app:4');
    expect(result.errors[0].message).toMatch(new RegExp(`EC2 has no capacity.*\\nIn the Lambda console \\(account 123456789012\\): ${consoleUrl('4').replace(/[?.]/g, '\\$&')}$`));
    expect(result.summary).toContain(`| app | 4 | [4](${consoleUrl('4')} "Lambda console, account 123456789012") | 0/0 | 3/10 |`);
  });

  it('links to the console of the step’s region and partition', async () => {
    for (const region of ['cn-north-1', 'us-iso-east-1']) fixture.emu.addFunction({ name: 'app', versions: { '5': { applied: { min: 3, max: 3 } } } }, region);
    const inputs = { 'function-name': 'app', qualifier: '5', 'min-execution-environments': '3', 'max-execution-environments': '3', 'dry-run': 'true' };
    const china = await runFlow(fixture.emu.url, inputs, { clock: fixture.clock, env: { AWS_REGION: 'cn-north-1' } });
    expect(china.summary).toContain('| [5](https://console.amazonaws.cn/lambda/home?region=cn-north-1#/functions/app/versions/5?tab=configure "Lambda console, account 123456789012") |');
    const iso = await runFlow(fixture.emu.url, inputs, { clock: fixture.clock, env: { AWS_REGION: 'us-iso-east-1' } });
    expect(iso.summary).toContain('| app | 5 | 5 | Active | 3/3: no change |');
  });

  it('gives no link for a version that was not found: it would lead nowhere', async () => {
    fixture.emu.addFunction({ name: 'app', versions: { '1': {} } });
    const result = await scale('9', 1, 1);
    expect(result.errors[0].title).toBe('ResourceNotFoundException: app:9');
    expect(result.errors[0].message).not.toContain('console');
    expect(result.summary).toContain('| app | 9 | 9 | none |');
  });
});
