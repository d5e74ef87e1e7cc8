import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../emulator/server.js';
import { runFlow } from '../support/flow.js';
import { virtualClock } from '../support/virtual-clock.js';

let emu: Emulator;
let clock: ReturnType<typeof virtualClock>;
beforeEach(async () => {
  clock = virtualClock();
  emu = await startEmulator({ now: clock.now, timings: { activateMs: 20_000, resizeMs: 10_000, deactivateMs: 5_000 } });
});
afterEach(() => emu.close());

const noSingleConfig = { 'function-name': '', qualifier: '', 'min-execution-environments': '', 'max-execution-environments': '' };
const runSpec = (scaling: string, extra: Record<string, string> = {}, env?: Record<string, string>) => runFlow(emu.url, { ...noSingleConfig, scaling, ...extra }, { clock, env });
const puts = () => emu.requests.filter((r) => r.operation === 'PutFunctionScalingConfig').map((r) => [`${r.functionName}:${r.qualifier}`, (r.body as { FunctionScalingConfig: unknown }).FunctionScalingConfig]);
type Result = { function: string; version: string; region: string; previous: unknown; requested: unknown; changed: boolean | null; state: string | null };

describe('a spec: every target its own config', () => {
  it('puts each target its own config, waits for all, and reports each one with its own', async () => {
    emu.addFunction({ name: 'orders', versions: { '7': { applied: { min: 1, max: 4 } } }, aliases: { live: { version: '7' } } });
    emu.addFunction({ name: 'worker', versions: { '3': {} } });
    emu.addFunction({ name: 'reports', versions: { '2': {} } });
    emu.addFunction({ name: 'cron', versions: { '1': { applied: { min: 1, max: 2 } } } });
    const result = await runSpec(['- orders:live 3/30', '- { function: worker, qualifier: "3", min: 1, max: none }', '- reports:2 0/0', '- cron:1 1/2'].join('\n'));
    expect(result.errors).toEqual([]);
    expect(puts().sort()).toEqual([
      ['orders:7', { MinExecutionEnvironments: 3, MaxExecutionEnvironments: 30 }],
      ['reports:2', { MinExecutionEnvironments: 0, MaxExecutionEnvironments: 0 }],
      ['worker:3', { MinExecutionEnvironments: 1 }],
    ]);
    expect(emu.inspect('worker', '3').applied).toEqual({ min: 1, max: null });
    expect(emu.inspect('reports', '2').state).toBe('Deactivated');
    const results: Result[] = JSON.parse(result.outputs.results);
    expect(results.map((r) => [r.function, r.version, r.previous, r.requested, r.changed, r.state])).toEqual([
      ['orders', '7', { min: 1, max: 4 }, { min: 3, max: 30 }, true, 'Active'],
      ['worker', '3', { min: 3, max: null }, { min: 1, max: null }, true, 'Active'],
      ['reports', '2', { min: 3, max: null }, { min: 0, max: 0 }, true, 'Deactivated'],
      ['cron', '1', { min: 1, max: 2 }, { min: 1, max: 2 }, false, 'Active'],
    ]);
    expect(result.outputs).toMatchObject({ changed: 'true', 'function-state': 'Mixed', version: '7', 'previous-min-execution-environments': '1', 'previous-max-execution-environments': '4' });
    expect(result.logs).toEqual(expect.arrayContaining(['orders:7 (live): 1/4 → 3/30 put', 'worker:3: 3/no max → 1/no max put', 'reports:2: 3/no max → 0/0 put', 'cron:1: 1/2 already in effect']));
    expect(result.groups).toEqual(['Resolve aliases', "Apply each target's config to 4 targets and wait until in effect"]);
    expect(result.summary).toContain("✅ 4 targets in effect each with its own config in us-east-1.");
    expect(result.summary).toMatch(/\| orders \| live \| \[7\]\(.*\) \| 1\/4 \| 3\/30 \| Active \| yes \|/);
    expect(result.summary).toMatch(/\| worker \| 3 \| \[3\]\(.*\) \| 3\/no max \| 1\/no max \| Active \| yes \|/);
    expect(result.summary).toMatch(/\| reports \| 2 \| \[2\]\(.*\) \| 3\/no max \| 0\/0 \| Deactivated \| yes \|/);
    expect(result.summary).toMatch(/\| cron \| 1 \| \[1\]\(.*\) \| 1\/2 \| 1\/2 \| Active \| no \|/);
  });

  it('names the config when every target asks for the same one', async () => {
    emu.addFunction({ name: 'a', versions: { '1': {} } });
    emu.addFunction({ name: 'b', versions: { '1': {} } });
    const result = await runSpec('- a:1 2/6\n- b:1 2/6');
    expect(result.groups).toEqual(['Apply 2/6 to 2 targets and wait until in effect']);
    expect(result.summary).toContain('✅ 2 targets in effect with 2/6 in us-east-1.');
  });

  it('configures a version reached twice with one config once; one asked for two configs gets nothing, and the others go on', async () => {
    emu.addFunction({ name: 'a', versions: { '1': {}, '2': {} }, aliases: { live: { version: '2' }, canary: { version: '2', weights: { '1': 0.1 } } } });
    emu.addFunction({ name: 'b', versions: { '4': {} } });
    const result = await runSpec(['- a:live 2/6', '- a:2 2/6', '- a:1 5/10', '- a:canary 2/6', '- b:4 1/1'].join('\n'));
    expect(puts().map(([target]) => target)).toEqual(['a:2', 'b:4']);
    expect(emu.inspect('a', '1').applied).toEqual({ min: 3, max: null });
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      {
        title: 'Conflicting configs: a:1',
        message:
          'a:1 is reached twice with different configs: entry 3 (line 3) asks for 5/10 through version 1, entry 4 (line 4) asks for 2/6 through canary (version 1). ' +
          'Nothing was put on it. Give the version one config: fix one of the entries, or point the alias elsewhere.',
      },
    ]);
    const results: Result[] = JSON.parse(result.outputs.results);
    expect(results.map((r) => [r.version, r.requested, r.state])).toEqual([
      ['2', { min: 2, max: 6 }, 'Active'],
      ['1', null, null],
      ['4', { min: 1, max: 1 }, 'Active'],
    ]);
    expect(result.summary).toContain('| a | 1, canary | 1 | none | — | ❌ Conflicting configs: a:1 | — | — |');
  });

  it('previews each target against its own config in a dry run', async () => {
    emu.addFunction({ name: 'a', versions: { '1': {} } });
    emu.addFunction({ name: 'b', versions: { '1': { applied: { min: 2, max: 2 } } } });
    emu.addFunction({ name: 'c', versions: { '1': { state: 'Deactivated' } } });
    const result = await runSpec('- a:1 3/none\n- b:1 1/4\n- c:1 1/2', { 'dry-run': 'true' });
    expect(puts()).toEqual([]);
    expect(result.logs).toEqual(expect.arrayContaining(['a:1: 3/no max: no change', 'b:1: would change 2/2 → 1/4', 'c:1: would change 0/0 → 1/2 (reactivates the version: starting execution environments takes minutes)']));
    expect(result.summary).toContain('🔍 Dry run in us-east-1, nothing was changed: 2 of 3 targets would change, each to its own config.');
    expect(result.summary).toContain('| Active | 2/2 → 1/4 |');
  });

  it('scales the targets of two regions, each in its own region and with its own pace, and names the region everywhere', async () => {
    emu.addFunction({ name: 'api', versions: { '1': {} } });
    emu.addFunction({ name: 'api', versions: { '1': {} } }, 'eu-west-1');
    const names = Array.from({ length: 8 }, (_, i) => `f${i}`);
    for (const name of names) {
      emu.addFunction({ name, versions: { '1': { state: 'Deactivated' } } });
      emu.addFunction({ name, versions: { '1': { state: 'Deactivated' } } }, 'eu-west-1');
    }
    const spec = [
      '- api:1 2/4',
      '- { function: api, qualifier: "1", min: 1, max: 1, region: eu-west-1 }',
      `- { function: [${names.join(', ')}], qualifier: "1", min: 1, max: 2 }`,
      `- { function: [${names.join(', ')}], qualifier: "1", min: 1, max: 2, region: eu-west-1 }`,
    ].join('\n');
    const result = await runSpec(spec);
    expect(result.errors).toEqual([]);
    expect(emu.inspect('api', '1').applied).toEqual({ min: 2, max: 4 });
    expect(emu.inspect('api', '1', 'eu-west-1').applied).toEqual({ min: 1, max: 1 });
    const results: Result[] = JSON.parse(result.outputs.results);
    expect(results.slice(0, 2).map((r) => [r.function, r.region, r.requested])).toEqual([
      ['api', 'us-east-1', { min: 2, max: 4 }],
      ['api', 'eu-west-1', { min: 1, max: 1 }],
    ]);
    expect(result.logs).toContain('api:1 in eu-west-1: 3/no max → 1/1 put');
    expect(result.summary).toContain('✅ 18 targets in effect each with its own config in 2 regions (us-east-1, eu-west-1).');
    expect(result.summary).toContain('| Function | Region | Qualifier | Version | Previous | New | State | Changed | Waited |');
    expect(result.summary).toMatch(/\| api \| eu-west-1 \| 1 \| \[1\]\(https:\/\/eu-west-1\.console\.aws\.amazon\.com\/lambda\/home\?region=eu-west-1#\/functions\/api\/versions\/1\?tab=configure .*\) \| 3\/no max \| 1\/1 \|/);
    // Each region has a quota of its own, so each gets its own pace: the first read and the put of 9 targets
    // in each region, 18 control-plane requests per region, go at 8 per second in each region at once
    // (17 spacings of 125 ms, less a little: on the virtual clock requests started apart can arrive together),
    // where one pace for both would take 35 spacings for the 36.
    const controlPlane = (region: string) => emu.requests.filter((r) => r.region === region && /FunctionScalingConfig$/.test(r.operation)).map((r) => r.at);
    for (const region of ['us-east-1', 'eu-west-1']) {
      const times = controlPlane(region);
      expect(times.length).toBeGreaterThanOrEqual(18);
      expect(times[17] - times[0]).toBeGreaterThanOrEqual(15 * 125);
    }
    const both = [...controlPlane('us-east-1').slice(0, 18), ...controlPlane('eu-west-1').slice(0, 18)].sort((a, b) => a - b);
    expect(both[35] - both[0]).toBeLessThan(25 * 125);
  });

  it('reads a spec file from the workspace, and reports every problem of a bad one on its line, making no request', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'workspace-'));
    try {
      mkdirSync(join(workspace, 'scaling'));
      writeFileSync(join(workspace, 'scaling/production.yml'), '- a:1 2/6\n');
      writeFileSync(join(workspace, 'scaling/broken.yml'), '- a:1 0/6\n- function: b\n  qualifier: $LATEST\n  min: 1\n  max: 1\n');
      emu.addFunction({ name: 'a', versions: { '1': {} } });
      const good = await runFlow(emu.url, { ...noSingleConfig, 'scaling-file': 'scaling/production.yml' }, { clock, env: { GITHUB_WORKSPACE: workspace } });
      expect(good.errors).toEqual([]);
      expect(emu.inspect('a', '1').applied).toEqual({ min: 2, max: 6 });
      const before = emu.requests.length;
      const bad = await runFlow(emu.url, { ...noSingleConfig, 'scaling-file': 'scaling/broken.yml' }, { clock, env: { GITHUB_WORKSPACE: workspace } });
      expect(bad.ok).toBe(false);
      expect(emu.requests.length).toBe(before);
      expect(bad.errors).toEqual([
        {
          title: 'Invalid input: scaling-file',
          message: 'entry 1: min 0 is valid only with max 0 (0/0 deactivates the version); the max is 6. Use a minimum of at least 1, or 0/0 to deactivate.',
          file: 'scaling/broken.yml',
          line: 1,
          column: 3,
        },
        expect.objectContaining({ title: 'Invalid input: scaling-file', file: 'scaling/broken.yml', line: 3, column: 14, message: expect.stringMatching(/^entry 2: qualifier "\$LATEST" is the unpublished version/) }),
      ]);
      const missing = await runFlow(emu.url, { ...noSingleConfig, 'scaling-file': 'scaling/staging.yml' }, { clock, env: { GITHUB_WORKSPACE: workspace } });
      expect(missing.errors).toEqual([{ title: 'Invalid input: scaling-file', message: expect.stringMatching(/^scaling-file .*scaling\/staging\.yml does not exist\. The path is relative to the repository's root/) }]);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});

describe('the service default config: min 3 and no maximum', () => {
  it('reads, reports and compares a fresh version as 3/no max, not as no config', async () => {
    emu.addFunction({ name: 'app', versions: { '5': {} } });
    const result = await runFlow(emu.url, { 'function-name': 'app', qualifier: '5', 'min-execution-environments': '2', 'max-execution-environments': '6' }, { clock });
    expect(result.errors).toEqual([]);
    expect(result.logs).toContain('app:5: 3/no max → 2/6 put');
    expect(result.outputs).toMatchObject({ 'previous-min-execution-environments': '3', 'previous-max-execution-environments': '' });
    expect(JSON.parse(result.outputs.results)[0].previous).toEqual({ min: 3, max: null });
    expect(result.summary).toContain('| 3/no max | 2/6 | Active | yes |');
  });

  it('finds the default already in effect when asked for 3/none, and puts nothing', async () => {
    emu.addFunction({ name: 'app', versions: { '5': {} } });
    const result = await runFlow(emu.url, { 'function-name': 'app', qualifier: '5', 'min-execution-environments': '3', 'max-execution-environments': 'none' }, { clock });
    expect(result.errors).toEqual([]);
    expect(result.outputs.changed).toBe('false');
    expect(puts()).toEqual([]);
    expect(result.logs).toContain('app:5: 3/no max already in effect');
  });

  it('puts no maximum back on a version that has one, and waits while Applied is absent', async () => {
    emu.addFunction({ name: 'app', versions: { '5': { applied: { min: 2, max: 8 }, noAppliedWhileSettling: true } } });
    const result = await runFlow(emu.url, { 'function-name': 'app', qualifier: '5', 'min-execution-environments': '3', 'max-execution-environments': 'none' }, { clock });
    expect(result.errors).toEqual([]);
    expect(puts()).toEqual([['app:5', { MinExecutionEnvironments: 3 }]]);
    expect(emu.inspect('app', '5')).toMatchObject({ state: 'Active', applied: { min: 3, max: null } });
    // Read back while Applied was absent, then once it was there.
    const readBacks = emu.requests.filter((r) => r.operation === 'GetFunctionScalingConfig');
    expect(readBacks.length).toBeGreaterThanOrEqual(3);
    expect(JSON.parse(result.outputs.results)[0]).toMatchObject({ applied: { min: 3, max: null }, requested: { min: 3, max: null }, changed: true });
  });
});
