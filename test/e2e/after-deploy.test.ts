import { startEmulator, type Emulator } from '../emulator/server.js';
import { emulatorEnv } from '../support/aws-env.js';
import { runAction } from '../support/run-action.js';

// The built bundle right after a deploy, run as the GitHub runner runs it, against the emulator on the real clock.
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:app';
const LATEST = '$LATEST.PUBLISHED';

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator({ timings: { publishMs: 1500, activateMs: 1200, deactivateMs: 800, resizeMs: 800 } });
});
afterEach(() => emu.close());

const scale = (qualifier: string, min: number, max: number, extra: Record<string, string> = {}) =>
  runAction({ 'function-name': 'app', qualifier, 'min-execution-environments': String(min), 'max-execution-environments': String(max), ...extra }, emulatorEnv(emu.url));
const puts = () => emu.requests.filter((r) => r.operation === 'PutFunctionScalingConfig');

describe('the bundled action after a deploy', () => {
  it('with the config already in effect, ends only after the republish', async () => {
    emu.addFunction({ name: 'app', versions: { [LATEST]: { applied: { min: 3, max: 3 } } } });
    emu.republish('app', LATEST, { durationMs: 2500 });
    const publishEnd = Date.now() + 2500;
    const run = await scale(LATEST, 3, 3);
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(Date.now()).toBeGreaterThanOrEqual(publishEnd);
    expect(run.outputs.changed).toBe('false');
    expect(run.stdout.match(/deploy still in progress/g)).toHaveLength(1);
    expect(run.summary).toMatch(/Active \(updating\) at [\d.]+ s → Active at [\d.]+ s/);
    expect(puts()).toEqual([]);
  });

  it('with a config to change, puts once the republish ends: one 409, not a storm', async () => {
    emu.addFunction({ name: 'app', versions: { [LATEST]: { applied: { min: 3, max: 3 } } } });
    emu.republish('app', LATEST, { durationMs: 3000 });
    const publishEnd = Date.now() + 3000;
    const run = await scale(LATEST, 4, 6);
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(puts().map((r) => r.status)).toEqual([409, 202]);
    expect(puts()[1].at).toBeGreaterThanOrEqual(publishEnd);
    expect(emu.inspect('app', LATEST).applied).toEqual({ min: 4, max: 6 });
  });

  it('warns about a failed republish and lets the scaling decide the step', async () => {
    emu.addFunction({ name: 'app', versions: { [LATEST]: { applied: { min: 3, max: 3 } } } });
    emu.republish('app', LATEST, { durationMs: 1500, fail: { code: 'FunctionError.InitTimeout', reason: 'Function initialization timed out.' } });
    const run = await scale(LATEST, 4, 6);
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.warnings).toEqual([{ title: `Last update failed: app:${LATEST}`, message: expect.stringMatching(/FunctionError\.InitTimeout: Function initialization timed out\..*still Active[\s\S]*init code/) }]);
    expect(JSON.parse(run.outputs.results)[0].lastUpdate).toEqual({ status: 'Failed', reasonCode: 'FunctionError.InitTimeout', reason: 'Function initialization timed out.' });
    expect(run.summary).toContain('### Warnings');
  });

  it('fails on a publish that ends in Failed', async () => {
    emu.addFunction({ name: 'app', versions: { '8': { lastUpdateInProgressMs: 1500, failOnActivate: { code: 'FunctionError.InitError', reason: 'Init failed.' } } } });
    const run = await scale('8', 4, 6);
    expect(run.code).toBe(1);
    expect(run.errors).toEqual([{ title: 'Last update failed: app:8', message: expect.stringMatching(/FunctionError\.InitError: Init failed\. The version is Failed/) }]);
    expect(run.warnings).toEqual([]);
    expect(run.outputs['function-state']).toBe('Failed');
  });

  it.each([true, false])('gives the qualified function-arn with wait false (unqualified FunctionArn: %p)', async (unqualifiedScalingArn) => {
    emu.addFunction({ name: 'app', versions: { '7': { unqualifiedScalingArn } } });
    const run = await scale('7', 4, 6, { wait: 'false' });
    expect(run.code).toBe(0);
    expect(run.outputs['function-arn']).toBe(`${ARN}:7`);
  });

  it.each([true, false])('takes a settled Requested equal to Applied as in effect (kept: %p)', async (keepsRequested) => {
    emu.addFunction({ name: 'app', versions: { '7': { keepsRequested } } });
    const run = await scale('7', 4, 6, { 'wait-for-minutes': '0.5' });
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(emu.inspect('app', '7').applied).toEqual({ min: 4, max: 6 });
  });
});
