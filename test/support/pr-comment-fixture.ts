import type { TargetProgress } from '../../src/scale-target.js';

/** A version of `app` asked for 2/6, as a report shows it: `changed` from 1/1, else already in effect. */
export const planTarget = (version: string, changed: boolean, extra: Partial<TargetProgress> = {}): TargetProgress => ({
  target: { fn: { name: 'app', key: 'app' }, version, region: 'us-east-1', via: [version], primary: true, goal: { min: 2, max: 6 } },
  label: `app:${version}`,
  functionArn: `arn:aws:lambda:us-east-1:123456789012:function:app:${version}`,
  previous: changed ? { min: 1, max: 1 } : { min: 2, max: 6 },
  applied: changed ? { min: 1, max: 1 } : { min: 2, max: 6 },
  changed,
  state: 'Active',
  states: [],
  ...extra,
});
