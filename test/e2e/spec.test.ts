import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../emulator/server.js';
import { emulatorEnv } from '../support/aws-env.js';
import { runAction } from '../support/run-action.js';

// A whole environment from a spec file in the workspace, through the built bundle, as the runner runs it.
let emu: Emulator;
let workspace: string;
beforeEach(async () => {
  emu = await startEmulator({ timings: { activateMs: 1200, deactivateMs: 800, resizeMs: 800 } });
  workspace = mkdtempSync(join(tmpdir(), 'workspace-'));
  mkdirSync(join(workspace, 'scaling'));
});
afterEach(async () => {
  rmSync(workspace, { recursive: true, force: true });
  await emu.close();
});

const env = () => ({ ...emulatorEnv(emu.url), GITHUB_WORKSPACE: workspace });

describe('the bundled action with a spec', () => {
  it('applies a spec file: each target its own config, in effect, reported per target', async () => {
    emu.addFunction({ name: 'orders', versions: { '7': {} }, aliases: { live: { version: '7' } } });
    emu.addFunction({ name: 'worker', versions: { '3': { applied: { min: 2, max: 2 } } } });
    emu.addFunction({ name: 'reports', versions: { '1': {} } });
    writeFileSync(
      join(workspace, 'scaling/production.yml'),
      ['# production', '- function: orders', '  qualifier: live', '  min: 3', '  max: 30', '- worker:3 1/none', '- reports:1 0/0', ''].join('\n'),
    );
    const run = await runAction({ 'scaling-file': 'scaling/production.yml' }, env());
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(emu.inspect('orders', '7')).toMatchObject({ state: 'Active', applied: { min: 3, max: 30 } });
    expect(emu.inspect('worker', '3')).toMatchObject({ state: 'Active', applied: { min: 1, max: null } });
    expect(emu.inspect('reports', '1')).toMatchObject({ state: 'Deactivated', applied: { min: 0, max: 0 } });
    expect(JSON.parse(run.outputs.results).map((r: { function: string; requested: unknown; previous: unknown }) => [r.function, r.previous, r.requested])).toEqual([
      ['orders', { min: 3, max: null }, { min: 3, max: 30 }],
      ['worker', { min: 2, max: 2 }, { min: 1, max: null }],
      ['reports', { min: 3, max: null }, { min: 0, max: 0 }],
    ]);
    expect(run.outputs).toMatchObject({ 'function-state': 'Mixed', changed: 'true', 'previous-min-execution-environments': '3', 'previous-max-execution-environments': '' });
    expect(run.stdout).toContain("::group::Apply each target's config to 3 targets and wait until in effect");
    expect(run.summary).toContain('✅ 3 targets in effect each with its own config in us-east-1.');
  });

  it('annotates every problem of a bad spec on its file and line, and makes no request', async () => {
    writeFileSync(join(workspace, 'scaling/production.yml'), '- orders:live 5/4\n- { function: worker, qualifier: $LATEST, min: 1, max: 1 }\n');
    const run = await runAction({ 'scaling-file': 'scaling/production.yml' }, env());
    expect(run.code).toBe(1);
    expect(emu.requests).toEqual([]);
    expect(run.stdout).toMatch(/^::error title=Invalid input%3A scaling-file,file=scaling\/production\.yml,line=1,col=3::entry 1: max \(4\) is less than min \(5\)\./m);
    expect(run.stdout).toMatch(/^::error title=Invalid input%3A scaling-file,file=scaling\/production\.yml,line=2,col=34::entry 2: qualifier "\$LATEST" is the unpublished version/m);
  });

  it('takes an inline spec, and refuses it beside function-name', async () => {
    emu.addFunction({ name: 'a', versions: { '1': {} } });
    const ok = await runAction({ scaling: '- a:1 2/4' }, env());
    expect(ok.code).toBe(0);
    expect(emu.inspect('a', '1').applied).toEqual({ min: 2, max: 4 });
    const refused = await runAction({ scaling: '- a:1 2/4', 'function-name': 'a' }, env());
    expect(refused.code).toBe(1);
    expect(refused.errors).toEqual([{ title: 'Invalid input: scaling', message: expect.stringMatching(/^scaling gives every target its own config, so function-name must be empty\./) }]);
  });
});
