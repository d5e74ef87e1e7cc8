import { describePlan, planFor } from '../../src/plan.js';
import { buildPlanSummary, planHeadline } from '../../src/plan-summary.js';
import type { TargetProgress } from '../../src/scale-target.js';

const goal = { min: 2, max: 5 };

/** The same targets, in `region`. */
const inRegion = (region: string, targets: TargetProgress[]) => targets.map((p) => ({ ...p, target: { ...p.target, region } }));

describe('planFor', () => {
  it('plans a change when another config is applied', () => {
    expect(planFor(goal, { applied: { min: 3, max: 3 } }, { state: 'Active', wait: true })).toEqual({ change: true, notes: [] });
  });

  it('plans no change when the config is applied and nothing else is pending', () => {
    expect(planFor(goal, { applied: { min: 2, max: 5 } }, { state: 'Active', wait: true })).toEqual({ change: false, notes: [] });
    expect(planFor(goal, { applied: { min: 2, max: 5 }, requested: { min: 2, max: 5 } }, { state: 'Active', wait: true })).toEqual({ change: false, notes: [] });
  });

  it('plans a put, as a real run makes one, when the config is applied but another is still pending', () => {
    expect(planFor(goal, { applied: { min: 2, max: 5 }, requested: { min: 4, max: 8 } }, { state: 'Active', wait: true })).toEqual({ change: true, notes: ['4/8 is still being applied'] });
  });

  it('plans a change for a version with no applied config yet', () => {
    expect(planFor(goal, {}, { state: 'Active', wait: true }).change).toBe(true);
  });

  it('says when a deploy is still updating the version, or its last update failed', () => {
    expect(planFor(goal, { applied: { min: 2, max: 5 } }, { state: 'Active', lastUpdateStatus: 'InProgress', wait: true }).notes).toEqual(['a deploy is still in progress: a real run waits for it to end']);
    expect(planFor(goal, { applied: { min: 3, max: 3 } }, { state: 'Active', lastUpdateStatus: 'InProgress', wait: true }).notes).toEqual(['a deploy is still in progress: a real run puts the config once it ends']);
    expect(planFor(goal, { applied: { min: 2, max: 5 } }, { state: 'Active', lastUpdateStatus: 'InProgress', wait: false }).notes).toEqual(['a deploy is still in progress']);
    expect(planFor(goal, { applied: { min: 3, max: 3 } }, { state: 'Active', lastUpdateStatus: 'Failed', wait: true }).notes).toEqual(['its last update failed']);
    expect(planFor(goal, { applied: { min: 3, max: 3 } }, { state: 'Active', lastUpdateStatus: 'Successful', wait: true }).notes).toEqual([]);
  });

  it('says what deactivating and reactivating do', () => {
    expect(planFor({ min: 0, max: 0 }, { applied: { min: 3, max: 3 } }, { state: 'Active', wait: true }).notes).toEqual(['deactivates the version: its execution environments stop']);
    expect(planFor(goal, { applied: { min: 0, max: 0 } }, { state: 'Deactivated', wait: true }).notes).toEqual(['reactivates the version: starting execution environments takes minutes']);
    expect(planFor({ min: 0, max: 0 }, { applied: { min: 0, max: 0 } }, { state: 'Deactivated', wait: true })).toEqual({ change: false, notes: [] });
  });

  it('flags a Failed or Deleting version', () => {
    expect(planFor(goal, { applied: { min: 2, max: 5 } }, { state: 'Failed', wait: true })).toEqual({ change: false, notes: ['the version is Failed'] });
    expect(planFor(goal, { applied: { min: 1, max: 1 } }, { state: 'Deleting', wait: true }).notes).toEqual(['the version is Deleting']);
  });
});

describe('describePlan', () => {
  it('shows current → requested, or no change, with the notes', () => {
    expect(describePlan(goal, { applied: { min: 3, max: 3 } }, { change: true, notes: [] })).toBe('3/3 → 2/5');
    expect(describePlan(goal, {}, { change: true, notes: ['a', 'b'] })).toBe('none → 2/5 (a; b)');
    expect(describePlan(goal, { applied: goal }, { change: false, notes: [] })).toBe('2/5: no change');
  });
});

const fn = { name: 'app', key: 'app' };
const progress = (version: string, extra: Partial<TargetProgress> = {}): TargetProgress => ({
  target: { fn, version, region: 'us-east-1', via: ['live'], primary: version === '2', goal },
  label: `app:${version} (live)`,
  functionArn: `arn:aws:lambda:eu-west-1:123456789012:function:app:${version}`,
  state: 'Active',
  states: [{ state: 'Active', atMs: 100 }],
  ...extra,
});

describe('the dry run’s report', () => {
  it('says plainly that it is a dry run, and how many targets would change', () => {
    const targets = [progress('2', { applied: { min: 3, max: 3 }, changed: true }), progress('1', { applied: goal, changed: false })];
    expect(planHeadline(inRegion('eu-west-1', targets))).toBe('Dry run in eu-west-1, nothing was changed: 1 of 2 targets would change to 2/5.');
    expect(planHeadline(inRegion('eu-west-1', [progress('2', { changed: undefined, error: { title: 't', message: 'm' } })]))).toBe(
      'Dry run in eu-west-1, nothing was changed: 0 of 1 target would change; 1 could not be read.',
    );
  });

  it('has a plan table: each version linked, its state, current → requested or no change', () => {
    const md = buildPlanSummary(
      inRegion('eu-west-1', [
        progress('2', { applied: { min: 0, max: 0 }, changed: true, state: 'Deactivated' }),
        progress('1', { applied: goal, changed: false }),
        progress('', { functionArn: undefined, state: undefined, target: { fn, version: '', region: 'us-east-1', via: ['gone'], primary: true, goal }, error: { title: 'ResourceNotFoundException: app:gone', message: 'Alias not found.' } }),
      ]),
      { wait: true, links: ['[Workflow run 9](https://x/9)'] },
    );
    expect(md).toContain('## Lambda Managed Instances scaling: dry run\n\n❌ Dry run in eu-west-1, nothing was changed: 1 of 3 targets would change to 2/5; 1 could not be read.');
    expect(md).toContain('1 could not be read.\n\n[Workflow run 9](https://x/9)\n\n| Function | Qualifier | Version | State | Current → requested |\n|---|---|---|---|---|\n');
    expect(md.endsWith('Alias not found.\n')).toBe(true);
    const link = (v: string) => `[${v}](https://eu-west-1.console.aws.amazon.com/lambda/home?region=eu-west-1#/functions/app/versions/${v}?tab=configure "Lambda console, account 123456789012")`;
    expect(md).toContain(`| app | live | ${link('2')} | Deactivated | 0/0 → 2/5 (reactivates the version: starting execution environments takes minutes) |`);
    expect(md).toContain(`| app | live | ${link('1')} | Active | 2/5: no change |`);
    expect(md).toContain('| app | gone | — | ❌ ResourceNotFoundException: app:gone | — |');
    expect(md).toContain('### Errors\n\n- **ResourceNotFoundException: app:gone**: Alias not found.');
    expect(md).not.toContain('mermaid');
  });

  it('shows a dry run without failures with a magnifier, not a cross', () => {
    expect(buildPlanSummary(inRegion('eu-west-1', [progress('1', { applied: goal, changed: false })]), { wait: true })).toContain('🔍 Dry run in eu-west-1');
  });
});

describe('planFor with values the model does not list', () => {
  it('notes nothing for an unknown State or LastUpdateStatus, and plans from the config alone', () => {
    expect(planFor(goal, { applied: { min: 3, max: 3 } }, { state: 'Updating', lastUpdateStatus: 'Updating', wait: true })).toEqual({ change: true, notes: [] });
    expect(planFor(goal, { applied: goal }, { state: 'Creating', lastUpdateStatus: 'Creating', wait: true })).toEqual({ change: false, notes: [] });
  });
});
