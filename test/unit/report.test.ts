import { actionOutputs } from '../../src/outputs.js';
import { runLinks } from '../../src/run-links.js';
import type { TargetProgress } from '../../src/scale-target.js';
import { buildSummary } from '../../src/summary.js';

const fn = { name: 'app', key: 'app' };
/** The step's start: 2026-06-01T23:00:00Z. */
const T0 = Date.UTC(2026, 5, 1, 23, 0, 0);
const progress = (version: string, extra: Partial<TargetProgress> = {}): TargetProgress => ({
  target: { fn, version, region: 'us-east-1', via: ['live'], primary: version === '2', goal: { min: 2, max: 4 } },
  label: `app:${version} (live)`,
  functionArn: `arn:aws:lambda:us-east-1:123456789012:function:app:${version}`,
  previous: { min: 0, max: 0 },
  applied: { min: 2, max: 4 },
  changed: true,
  state: 'Active',
  states: [
    { state: 'Pending', atMs: 300 },
    { state: 'Active', atMs: 4200 },
  ],
  waitedMs: 4300,
  ...extra,
});

/** The same targets, in `region`. */
const inRegion = (region: string, targets: TargetProgress[]) => targets.map((p) => ({ ...p, target: { ...p.target, region } }));

describe('actionOutputs', () => {
  it('describes the primary version and lists every target in results', () => {
    const outputs = actionOutputs([progress('1', { target: { fn, version: '1', region: 'us-east-1', via: ['live'], primary: false, goal: { min: 2, max: 4 } } }), progress('2')]);
    expect(outputs).toMatchObject({
      'function-state': 'Active',
      'function-arn': 'arn:aws:lambda:us-east-1:123456789012:function:app:2',
      version: '2',
      changed: 'true',
      'previous-min-execution-environments': '0',
      'previous-max-execution-environments': '0',
    });
    expect(JSON.parse(outputs.results)[1]).toEqual({
      function: 'app',
      qualifier: 'live',
      region: 'us-east-1',
      via: ['live'],
      version: '2',
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:app:2',
      state: 'Active',
      changed: true,
      previous: { min: 0, max: 0 },
      applied: { min: 2, max: 4 },
      requested: { min: 2, max: 4 },
      waitedSeconds: 4.3,
      lastUpdate: null,
      error: null,
      warning: null,
    });
  });

  it('carries the last update and its warning in results', () => {
    const lastUpdate = { status: 'Failed', reasonCode: 'FunctionError.InitTimeout', reason: 'Init timed out.' };
    const warning = { title: 'Last update failed: app:2 (live)', message: 'The last update failed.' };
    const [result] = JSON.parse(actionOutputs([progress('2', { lastUpdate, warning })]).results);
    expect(result).toMatchObject({ lastUpdate, warning: 'Last update failed: app:2 (live): The last update failed.', error: null });
    const [partial] = JSON.parse(actionOutputs([progress('2', { lastUpdate: { status: 'Successful' } })]).results);
    expect(partial.lastUpdate).toEqual({ status: 'Successful', reasonCode: null, reason: null });
  });

  it('leaves changed and the state empty when no target got as far as reading them', () => {
    const outputs = actionOutputs([progress('2', { changed: undefined, state: undefined, previous: undefined, functionArn: undefined })]);
    expect(outputs).toMatchObject({ changed: '', 'function-state': '', 'function-arn': '', 'previous-min-execution-environments': '', 'previous-max-execution-environments': '' });
  });

  it('says changed false, and false in results, when every target was already in effect', () => {
    const outputs = actionOutputs([progress('2', { changed: false }), progress('1', { changed: false })]);
    expect(outputs.changed).toBe('false');
    expect(JSON.parse(outputs.results).map((r: { changed: unknown }) => r.changed)).toEqual([false, false]);
  });

  it('says changed false when one target was in effect and another failed before reading its config', () => {
    expect(actionOutputs([progress('2', { changed: false }), progress('1', { changed: undefined })]).changed).toBe('false');
  });

  it('says changed true when any target got a put', () => {
    expect(actionOutputs([progress('2', { changed: false }), progress('1', { changed: true })]).changed).toBe('true');
  });

  it('gives a failed target its annotation in results', () => {
    const outputs = actionOutputs([progress('2', { error: { title: 'Version Failed: app:2', message: 'app:2 is Failed.' }, state: 'Failed' })]);
    expect(JSON.parse(outputs.results)[0].error).toBe('Version Failed: app:2: app:2 is Failed.');
  });

  it('says Mixed when the states differ', () => {
    expect(actionOutputs([progress('1', { state: 'Failed' }), progress('2')])['function-state']).toBe('Mixed');
  });
});

describe('buildSummary with targets of their own configs and regions', () => {
  const own = (p: TargetProgress, goal: { min: number; max: number | null }, region = 'us-east-1') => ({ ...p, target: { ...p.target, goal, region } });

  it('names no single config for targets that ask for different ones, and shows each its own', () => {
    const md = buildSummary([own(progress('2'), { min: 2, max: 4 }), own(progress('1', { previous: { min: 3, max: null }, applied: { min: 1, max: null } }), { min: 1, max: null })], { wait: true, startedAtEpochMs: T0 });
    expect(md).toContain('✅ 2 targets in effect each with its own config in us-east-1.');
    expect(md).toMatch(/\| app \| live \| \[1\]\(.*\) \| 3\/no max \| 1\/no max \| Active \| yes \| 4\.3 s \|/);
    expect(md).toMatch(/\| app \| live \| \[2\]\(.*\) \| 0\/0 \| 2\/4 \| Active \| yes \| 4\.3 s \|/);
  });

  it('adds a Region column, and links each version in its own region, when the targets are in several', () => {
    const md = buildSummary([own(progress('2'), { min: 2, max: 4 }), own(progress('1'), { min: 2, max: 4 }, 'eu-west-1')], { wait: true, startedAtEpochMs: T0 });
    expect(md).toContain('✅ 2 targets in effect with 2/4 in 2 regions (us-east-1, eu-west-1).');
    expect(md).toContain('| Function | Region | Qualifier | Version | Previous | New | State | Changed | Waited |\n|---|---|---|---|---|---|---|---|---|\n');
    expect(md).toContain('| app | eu-west-1 | live | [1](https://eu-west-1.console.aws.amazon.com/lambda/home?region=eu-west-1#/functions/app/versions/1?tab=configure');
  });

  it('shows no config for a version asked for with two, and leaves it out of the common config', () => {
    const conflict = { title: 'Conflicting configs: app:1', message: 'm' };
    const conflicted = progress('1', { error: conflict, changed: undefined, state: undefined, states: [], waitedMs: undefined, previous: undefined });
    conflicted.target = { ...conflicted.target, goal: { min: 9, max: 9 }, conflict };
    const md = buildSummary([own(progress('2'), { min: 2, max: 4 }), conflicted], { wait: true, startedAtEpochMs: T0 });
    expect(md).toContain('❌ 1 of 2 targets failed in us-east-1.');
    expect(md).toMatch(/\| app \| live \| \[1\]\(.*\) \| none \| — \| ❌ Conflicting configs: app:1 \| — \| — \|/);
    expect(JSON.parse(actionOutputs([conflicted]).results)[0].requested).toBeNull();
  });
});

describe('buildSummary', () => {
  it('has a row per target, the states seen with times, and a Mermaid timeline', () => {
    const md = buildSummary([progress('2')], { wait: true, startedAtEpochMs: T0, links: ['[Workflow run 9](https://x/9)'] });
    expect(md).toContain('✅ 1 target in effect with 2/4 in us-east-1.');
    expect(md).toContain('[Workflow run 9](https://x/9)');
    expect(md).toContain(
      '| app | live | [2](https://us-east-1.console.aws.amazon.com/lambda/home?region=us-east-1#/functions/app/versions/2?tab=configure "Lambda console, account 123456789012") | 0/0 | 2/4 | Active | yes | 4.3 s |',
    );
    expect(md).toContain('| Function | Qualifier | Version | Previous | New | State | Changed | Waited |\n|---|---|---|---|---|---|---|---|\n');
    expect(md).toContain('\n\n### States seen\n\n- app:2 (live): Pending at 0.3 s → Active at 4.2 s');
    expect(md).toContain('\n- app:2 (live): Pending at 0.3 s → Active at 4.2 s\n\n```mermaid\n---\n');
    // The bars at the real instants: the step's start plus each state's time; the last state on to the chart's end.
    expect(md).toContain(`  section app:2 (live)\n  Pending :${T0 + 300}, ${T0 + 4200}\n  Active :${T0 + 4200}, ${T0 + 5300}\n\`\`\`\n`);
  });

  it('links a version only once an answer showed that it exists, and never where there is no console host', () => {
    const unseen = progress('2', { functionArn: undefined, state: undefined, changed: undefined, previous: undefined, states: [], error: { title: 'ResourceNotFoundException: app:2', message: 'm' } });
    expect(buildSummary([unseen], { wait: true, startedAtEpochMs: T0 })).toContain('| app | live | 2 | none |');
    expect(buildSummary(inRegion('us-iso-east-1', [progress('2')]), { wait: true, startedAtEpochMs: T0 })).toContain('| app | live | 2 | 0/0 |');
  });

  it('shows a dash for what is not known yet', () => {
    const unknown = progress('', { previous: undefined, changed: undefined, state: undefined, waitedMs: undefined, states: [] });
    const md = buildSummary([unknown], { wait: true, startedAtEpochMs: T0 });
    expect(md).toContain('| app | live | — | none | 2/4 | — | — | — |');
  });

  it('says what was applied without waiting, for several targets', () => {
    const md = buildSummary(inRegion('eu-west-1', [progress('2'), progress('1')]), { wait: false, startedAtEpochMs: T0, links: ['[a](x)', '[b](y)'] });
    expect(md.startsWith('## Lambda Managed Instances scaling\n\n✅ 2 targets applied, not waited for, with 2/4 in eu-west-1.\n\n[a](x) · [b](y)\n\n| Function |')).toBe(true);
    expect(md.endsWith('```\n')).toBe(true);
  });

  it('counts the failed targets among all', () => {
    const md = buildSummary([progress('2', { error: { title: 'T', message: 'M' } }), progress('1')], { wait: true, startedAtEpochMs: T0 });
    expect(md).toContain('\n❌ 1 of 2 targets failed in us-east-1.\n');
    expect(md).toContain('\n### Errors\n\n- **T**: M\n');
  });

  it('lists errors and escapes table cells', () => {
    const md = buildSummary([progress('2', { error: { title: 'Version Failed: app:2', message: 'a|b\nc' }, state: 'Failed' })], { wait: true, startedAtEpochMs: T0 });
    expect(md).toContain('❌ 1 of 1 target failed');
    expect(md).toContain('| ❌ Failed |');
    expect(md).toContain('- **Version Failed: app:2**: a\\|b c');
    const html = buildSummary([progress('2', { error: { title: 'T', message: '<b>' }, state: 'Failed' })], { wait: true, startedAtEpochMs: T0 });
    expect(html).toContain('- **T**: &lt;b>');
  });

  it('marks a target with a warning, lists it, and shows a deploy on an Active version in the timeline', () => {
    const warning = { title: 'Last update failed: app:2 (live)', message: 'It failed.\nHint.' };
    const states = [
      { state: 'Active (updating)', atMs: 0 },
      { state: 'Active', atMs: 6100 },
    ];
    const md = buildSummary([progress('2', { warning, states, waitedMs: 6200 })], { wait: true, startedAtEpochMs: T0 });
    expect(md).toContain('✅ 1 target in effect');
    expect(md).toContain('| ⚠️ Active |');
    expect(md).toContain('### Warnings\n\n- **Last update failed: app:2 (live)**: It failed. Hint.');
    expect(md).toContain('- app:2 (live): Active (updating) at 0.0 s → Active at 6.1 s');
    expect(md).toContain(`  Active (updating) :${T0}, ${T0 + 6100}\n  Active :${T0 + 6100}, ${T0 + 7200}`);
    expect(md).not.toContain('### Errors');
  });
});

describe('runLinks', () => {
  it('links the run and, on pull_request events, the PR', () => {
    const context = {
      serverUrl: 'https://github.com',
      repo: { owner: 'o', repo: 'r' },
      runId: 42,
      payload: { pull_request: { number: 7, html_url: 'https://github.com/o/r/pull/7' } },
    };
    expect(runLinks(context)).toEqual(['[Workflow run 42](https://github.com/o/r/actions/runs/42)', '[Pull request #7](https://github.com/o/r/pull/7)']);
  });

  it('gives no run link outside a runner', () => {
    const context = {
      serverUrl: 'https://github.com',
      get repo(): { owner: string; repo: string } {
        throw new Error('context.repo requires a GITHUB_REPOSITORY environment variable');
      },
      runId: NaN,
      payload: {},
    };
    expect(runLinks(context)).toEqual([]);
  });
});
