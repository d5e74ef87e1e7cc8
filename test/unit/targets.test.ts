import { ActionError } from '../../src/errors.js';
import type { FunctionRef } from '../../src/input-values.js';
import type { ScalingConfig } from '../../src/scaling-config.js';
import { aliasVersions, isAlias, pairTargets, qualifiedArn, uniqueVersions } from '../../src/targets.js';

const a = { name: 'a', key: 'a' };
const b = { name: 'arn:aws:lambda:us-east-1:123456789012:function:b', key: 'b', region: 'us-east-1' };

const asked = (fn: FunctionRef, qualifier: string, goal: ScalingConfig = { min: 2, max: 4 }, source?: string) => ({ fn, qualifier, goal, region: 'us-east-1', source });

describe('targets', () => {
  it('pairs every function with every qualifier', () => {
    expect(pairTargets([a, b], ['1', 'live']).map((t) => `${t.fn.key}:${t.qualifier}`)).toEqual(['a:1', 'a:live', 'b:1', 'b:live']);
  });

  it('treats everything but a number and $LATEST.PUBLISHED as an alias', () => {
    expect(isAlias('7')).toBe(false);
    expect(isAlias('$LATEST.PUBLISHED')).toBe(false);
    expect(isAlias('live')).toBe(true);
    expect(isAlias('v2')).toBe(true);
    // An alias may start with digits; a number of several digits is a version.
    expect(isAlias('1blue')).toBe(true);
    expect(isAlias('12')).toBe(false);
  });

  it('lists an alias’s primary version first, then the weighted ones in order', () => {
    expect(aliasVersions(a, 'live', { version: '5', additionalVersions: ['10', '4'] })).toEqual(['5', '4', '10']);
    expect(aliasVersions(a, 'live', { version: '5', additionalVersions: [] })).toEqual(['5']);
    expect(aliasVersions(a, 'live', { version: '5', additionalVersions: ['5', '4'] })).toEqual(['5', '4']);
  });

  it('refuses an alias that routes to $LATEST', () => {
    expect(() => aliasVersions(a, 'dev', { version: '$LATEST', additionalVersions: [] })).toThrow(ActionError);
    expect(() => aliasVersions(a, 'dev', { version: '2', additionalVersions: ['$LATEST'] })).toThrow(/routes to \$LATEST/);
    expect(() => aliasVersions(a, 'dev', { version: '', additionalVersions: [] })).toThrow(/^Alias dev of a routes to no version, which has no scaling config/);
  });

  it('configures a version reached twice once, remembering both qualifiers', () => {
    const unique = uniqueVersions([
      { target: asked(a, 'live'), versions: ['2', '1'] },
      { target: asked(a, 'prod'), versions: ['2'] },
      { target: asked(a, '1'), versions: ['1'] },
      { target: asked(b, 'prod'), versions: ['2'] },
    ]);
    expect(unique.map((t) => [t.fn.key, t.version, t.via, t.primary])).toEqual([
      ['a', '2', ['live', 'prod'], true],
      ['a', '1', ['live', '1'], true],
      ['b', '2', ['prod'], true],
    ]);
  });

  it('keeps a version that aliases reach by weight only from being primary, and names each qualifier once', () => {
    const unique = uniqueVersions([
      { target: asked(a, 'live'), versions: ['2', '1'] },
      { target: asked(a, 'canary'), versions: ['3', '1'] },
      { target: asked(a, 'canary'), versions: ['3', '1'] },
    ]);
    expect(unique.map((t) => [t.version, t.via, t.primary])).toEqual([
      ['2', ['live'], true],
      ['1', ['live', 'canary'], false],
      ['3', ['canary'], true],
    ]);
  });
});

describe('qualifiedArn', () => {
  const fnArn = 'arn:aws:lambda:us-east-1:123456789012:function:app';
  it('adds the version to an unqualified function ARN and keeps a qualified one', () => {
    expect(qualifiedArn(fnArn, '7')).toBe(`${fnArn}:7`);
    expect(qualifiedArn(fnArn, '$LATEST.PUBLISHED')).toBe(`${fnArn}:$LATEST.PUBLISHED`);
    expect(qualifiedArn(`${fnArn}:7`, '7')).toBe(`${fnArn}:7`);
    expect(qualifiedArn('arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:app', '3')).toBe('arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:app:3');
  });

  it('keeps an ARN that ends in :$LATEST.PUBLISHED: it is qualified already', () => {
    expect(qualifiedArn(`${fnArn}:$LATEST.PUBLISHED`, '$LATEST.PUBLISHED')).toBe(`${fnArn}:$LATEST.PUBLISHED`);
    expect(qualifiedArn('arn:aws-cn:lambda:cn-north-1:123456789012:function:app:$LATEST.PUBLISHED', '$LATEST.PUBLISHED')).toBe('arn:aws-cn:lambda:cn-north-1:123456789012:function:app:$LATEST.PUBLISHED');
  });

  it('configures a version reached twice with the same config once, and one reached with two configs not at all, naming both entries', () => {
    const unique = uniqueVersions([
      { target: asked(a, 'live', { min: 3, max: 30 }, 'entry 1 (line 1)'), versions: ['2'] },
      { target: asked(a, '2', { min: 3, max: 30 }, 'entry 2 (line 5)'), versions: ['2'] },
      { target: asked(b, 'live', { min: 1, max: 10 }, 'entry 3 (line 9)'), versions: ['4', '3'] },
      { target: asked(b, '3', { min: 0, max: 0 }, 'entry 4 (line 12)'), versions: ['3'] },
      { target: asked(b, 'canary', { min: 5, max: null }, 'entry 5 (line 15)'), versions: ['3'] },
    ]);
    expect(unique.map((t) => [t.fn.key, t.version, t.goal, t.conflict?.title])).toEqual([
      ['a', '2', { min: 3, max: 30 }, undefined],
      ['b', '4', { min: 1, max: 10 }, undefined],
      ['b', '3', { min: 1, max: 10 }, 'Conflicting configs: b:3'],
    ]);
    expect(unique[2].conflict!.message).toBe(
      'b:3 is reached twice with different configs: entry 3 (line 9) asks for 1/10 through live (version 3), entry 4 (line 12) asks for 0/0 through version 3. ' +
        'Nothing was put on it. Give the version one config: fix one of the entries, or point the alias elsewhere.',
    );
  });

  it('keeps the same function and version in two regions apart', () => {
    const unique = uniqueVersions([
      { target: asked(a, '1'), versions: ['1'] },
      { target: { ...asked(a, '1', { min: 1, max: 1 }), region: 'eu-west-1' }, versions: ['1'] },
    ]);
    expect(unique.map((t) => [t.region, t.conflict])).toEqual([
      ['us-east-1', undefined],
      ['eu-west-1', undefined],
    ]);
  });
});
