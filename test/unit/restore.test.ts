import { encodePut, putStateName, readSavedPuts, StateError, type SavedPut } from '../../src/action-state.js';
import { configLeft, putCommand, restoreFailure, restoreGuard, restoreTargets, unknownPreviousFailure } from '../../src/restore.js';
import { buildRestoreSummary, restoreLogLine } from '../../src/restore-summary.js';
import type { TargetProgress } from '../../src/scale-target.js';

const put = (extra: Partial<SavedPut> = {}): SavedPut => ({ function: 'app', version: '3', region: 'us-east-1', previous: { min: 1, max: 2 }, put: { min: 5, max: 10 }, ...extra });

describe('the saved state', () => {
  it('reads every put back in the order saved, up to the first name not saved', () => {
    const saved = [put(), put({ function: 'arn:aws:lambda:eu-west-1:123456789012:function:b', version: '$LATEST.PUBLISHED', region: 'eu-west-1', previous: { min: 3, max: null } }), put({ previous: null })];
    const state: Record<string, string> = Object.fromEntries(saved.map((p, i) => [putStateName(i), encodePut(p)]));
    state.put5 = encodePut(put({ version: '9' }));
    expect(readSavedPuts((name) => state[name] ?? '')).toEqual(saved);
    expect(Object.keys(state)).toEqual(['put1', 'put2', 'put3', 'put5']);
  });

  it.each([
    ['not JSON', '{"function":', /put1 is not JSON/],
    ['a config that is not one', encodePut(put()).replace('"max":10', '"max":"10"'), /put1 is not a put this action saved/],
    ['a missing member', JSON.stringify({ function: 'app', version: '3', previous: null, put: { min: 1, max: 1 } }), /put1 is not a put this action saved/],
    ['null', 'null', /put1 is not a put this action saved/],
  ])('refuses %s', (_, text, message) => {
    expect(() => readSavedPuts((name) => (name === 'put1' ? text : ''))).toThrow(StateError);
    expect(() => readSavedPuts((name) => (name === 'put1' ? text : ''))).toThrow(message);
  });
});

describe('restoreTargets', () => {
  it('makes each put a target back to its previous config over the config put; an unknown previous is not a target', () => {
    const arn = put({ function: '123456789012:function:orders', version: '7', previous: { min: 0, max: 0 } });
    const { targets, unknown } = restoreTargets([put(), put({ previous: null, version: '4' }), arn]);
    expect(targets).toEqual([
      { fn: { name: 'app', key: 'app' }, qualifier: '3', goal: { min: 1, max: 2 }, region: 'us-east-1', expected: { min: 5, max: 10 } },
      { fn: { name: '123456789012:function:orders', key: 'orders', account: '123456789012' }, qualifier: '7', goal: { min: 0, max: 0 }, region: 'us-east-1', expected: { min: 5, max: 10 } },
    ]);
    expect(unknown).toEqual([put({ previous: null, version: '4' })]);
  });
});

describe('restoreGuard', () => {
  const ours = { min: 5, max: 10 };
  it.each([
    ['applied and settled', { applied: ours }, { kind: 'put' }],
    ['still being applied (requested), over the config from before', { applied: { min: 1, max: 2 }, requested: ours }, { kind: 'put' }],
    ['applied, and reported as requested too', { applied: ours, requested: ours }, { kind: 'put' }],
    ['changed and settled since', { applied: { min: 7, max: 7 } }, { kind: 'leave', found: { min: 7, max: 7 } }],
    ['being changed since, over ours', { applied: ours, requested: { min: 5, max: null } }, { kind: 'leave', found: { min: 5, max: null } }],
    ['no config at all', {}, { kind: 'leave', found: undefined }],
  ])('ours %s: %j', (_, current, decision) => {
    expect(restoreGuard(ours, current)).toEqual(decision);
  });
});

describe('putCommand', () => {
  it('gives the AWS CLI command, with MaxExecutionEnvironments left out for no maximum and $ quoted', () => {
    expect(putCommand('app', '3', { min: 2, max: 8 }, 'us-east-1')).toBe(
      'aws lambda put-function-scaling-config --function-name app --qualifier 3 --function-scaling-config MinExecutionEnvironments=2,MaxExecutionEnvironments=8 --region us-east-1',
    );
    expect(putCommand('arn:aws:lambda:eu-west-1:123456789012:function:app', '$LATEST.PUBLISHED', { min: 3, max: null }, 'eu-west-1')).toBe(
      "aws lambda put-function-scaling-config --function-name arn:aws:lambda:eu-west-1:123456789012:function:app --qualifier '$LATEST.PUBLISHED' --function-scaling-config MinExecutionEnvironments=3 --region eu-west-1",
    );
    expect(putCommand('app', '1', { min: 0, max: 0 }, 'us-east-1')).toContain('MinExecutionEnvironments=0,MaxExecutionEnvironments=0 ');
  });
});

const fn = { name: 'app', key: 'app' };
const progress = (extra: Partial<TargetProgress> = {}): TargetProgress => ({
  target: { fn, version: '3', region: 'us-east-1', via: ['3'], primary: true, goal: { min: 1, max: 2 }, expected: { min: 5, max: 10 } },
  label: 'app:3',
  functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:app:3',
  previous: { min: 5, max: 10 },
  applied: { min: 1, max: 2 },
  changed: true,
  state: 'Active',
  states: [{ state: 'Active', atMs: 300 }],
  waitedMs: 4300,
  ...extra,
});

describe('what a restore reports', () => {
  it('names the config left: the applied one, and the requested one while pending', () => {
    expect(configLeft({ applied: { min: 5, max: 10 } })).toBe('5/10');
    expect(configLeft({ applied: { min: 5, max: 10 }, requested: { min: 5, max: 10 } })).toBe('5/10');
    expect(configLeft({ applied: { min: 5, max: 10 }, requested: { min: 1, max: 2 } })).toBe('5/10 applied, 1/2 requested');
    expect(configLeft({})).toBe('none');
  });

  it('a failure: the target, the config left, why, and the command', () => {
    const failed = progress({ applied: { min: 5, max: 10 }, requested: { min: 1, max: 2 }, error: { title: 'Timed out', message: 'late' } });
    expect(restoreFailure(failed, 'It timed out.')).toEqual({
      title: 'Not restored: app:3',
      message:
        "app:3 was not put back to 1/2, its config before this job's scaling step. It timed out.\nThe config left on it: 5/10 applied, 1/2 requested. To put it back by hand:\n" +
        'aws lambda put-function-scaling-config --function-name app --qualifier 3 --function-scaling-config MinExecutionEnvironments=1,MaxExecutionEnvironments=2 --region us-east-1',
    });
    expect(unknownPreviousFailure(put({ previous: null }))).toEqual({
      title: 'Not restored: app:3',
      message: expect.stringMatching(/^app:3 was left at 5\/10, .*none to put back.*\naws lambda put-function-scaling-config --function-name app --qualifier 3 --function-scaling-config MinExecutionEnvironments=MIN,MaxExecutionEnvironments=MAX --region us-east-1$/),
    });
  });

  it('one log line per target, by how it ended', () => {
    expect(restoreLogLine(progress())).toBe('app:3: restored 5/10 → 1/2 (Active) in 4.3 s');
    expect(restoreLogLine(progress({ changed: false, previous: { min: 1, max: 2 } }))).toBe('app:3: already at 1/2 (Active): nothing to put back');
    expect(restoreLogLine(progress({ changed: false, leftAlone: { found: { min: 7, max: 7 } } }))).toBe('app:3: left as it is: 7/7 found, not the 5/10 put by the step');
    expect(restoreLogLine(progress({ applied: { min: 5, max: 10 }, error: { title: 'Timed out: app:3', message: '' } }))).toBe('app:3: not restored (Timed out): 5/10 left on it');
    expect(restoreLogLine(progress({ applied: { min: 5, max: 10 }, error: { title: 'Cancelled: app:30', message: '' } }))).toBe('app:3: not restored (Cancelled: app:30): 5/10 left on it');
  });

  it('the Restored summary: a row per target, a region column for several regions, the errors and warnings', () => {
    const rows = [
      progress(),
      progress({ target: { ...progress().target, region: 'eu-west-1' }, applied: { min: 5, max: 10 }, error: { title: 'Timed out', message: '' } }),
      progress({ changed: false, leftAlone: { found: { min: 7, max: 7 } } }),
    ];
    const summary = buildRestoreSummary(rows, [put({ previous: null, version: '9' })], {
      errors: [{ title: 'Not restored: app:3', message: 'why' }],
      warnings: [{ title: 'Left as it is: app:3', message: 'changed' }],
      links: ['[Workflow run 1](https://github.com/o/r/actions/runs/1)'],
    });
    expect(summary).toBe(
      [
        '## Lambda Managed Instances scaling: restored',
        '',
        '❌ 2 of 4 targets not restored, 1 left as someone changed it since in 2 regions (us-east-1, eu-west-1).',
        '',
        '[Workflow run 1](https://github.com/o/r/actions/runs/1)',
        '',
        '| Function | Region | Version | Put by the step | Restored to | State | Time |',
        '|---|---|---|---|---|---|---|',
        '| app | us-east-1 | [3](https://us-east-1.console.aws.amazon.com/lambda/home?region=us-east-1#/functions/app/versions/3?tab=configure "Lambda console, account 123456789012") | 5/10 | 1/2 | Active | 4.3 s |',
        '| app | eu-west-1 | [3](https://eu-west-1.console.aws.amazon.com/lambda/home?region=eu-west-1#/functions/app/versions/3?tab=configure "Lambda console, account 123456789012") | 5/10 | ❌ not restored (5/10 left) | Active | 4.3 s |',
        '| app | us-east-1 | [3](https://us-east-1.console.aws.amazon.com/lambda/home?region=us-east-1#/functions/app/versions/3?tab=configure "Lambda console, account 123456789012") | 5/10 | ⚠️ left at 7/7: changed since | Active | 4.3 s |',
        '| app | us-east-1 | 9 | 5/10 | ❌ not restored (no previous config known) | — | — |',
        '',
        '### Errors',
        '',
        '- **Not restored: app:3**: why',
        '',
        '### Warnings',
        '',
        '- **Left as it is: app:3**: changed',
        '',
      ].join('\n'),
    );
    expect(buildRestoreSummary([progress(), progress()], [], { errors: [], warnings: [] })).toContain('\n✅ 2 targets back to their config from before the job in us-east-1.\n\n| Function | Version |');
    expect(buildRestoreSummary([progress(), progress({ changed: false, leftAlone: { found: undefined } })], [], { errors: [], warnings: [] })).toContain(
      '\n⚠️ 1 of 2 targets left as someone changed it since, 1 back to the config from before the job in us-east-1.\n',
    );
  });
});
