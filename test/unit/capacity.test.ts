import {
  capacityCell,
  environmentsThatFit,
  failureExplanation,
  formatVCpu,
  maxVCpuCountOf,
  providerName,
  sharedFinding,
  skippedNotice,
  targetFindings,
  vCpuPerEnvironment,
  type TargetNeed,
} from '../../src/capacity.js';

const prodCp = { name: 'prod-cp', maxVCpuCount: 48 };
const target = (label: string, min: number, max: number | null, perEnvironment = 2): TargetNeed => ({ label, goal: { min, max }, perEnvironment });

describe('the estimate', () => {
  it('takes memory over the memory per vCPU, 2 GiB per vCPU when the version does not say', () => {
    expect(vCpuPerEnvironment(4096, undefined)).toBe(2);
    expect(vCpuPerEnvironment(4096, 2)).toBe(2);
    expect(vCpuPerEnvironment(4096, 4)).toBe(1);
    expect(vCpuPerEnvironment(2048, 8)).toBe(0.25);
    expect(vCpuPerEnvironment(3072, 2)).toBe(1.5);
  });

  it('counts the environments that fit, whole ones only', () => {
    expect(environmentsThatFit(prodCp, 2)).toBe(24);
    expect(environmentsThatFit(prodCp, 0.4)).toBe(120);
    expect(environmentsThatFit(prodCp, 5)).toBe(9);
    expect(environmentsThatFit(prodCp, 64)).toBe(0);
  });

  it('names the provider from its ARN, and takes the default MaxVCpuCount when none is given', () => {
    expect(providerName('arn:aws:lambda:us-east-1:123456789012:capacity-provider:prod-cp')).toBe('prod-cp');
    expect(maxVCpuCountOf(undefined)).toBe(400);
    expect(maxVCpuCountOf(48)).toBe(48);
    expect(formatVCpu(1 / 3)).toBe('0.33');
    expect(formatVCpu(80)).toBe('80');
  });
});

describe('targetFindings', () => {
  it('warns before the put when the min alone cannot fit, with the numbers and the two ways out', () => {
    const { warning, notice } = targetFindings(target('app:7', 40, 60), prodCp);
    expect(notice).toBeUndefined();
    expect(warning).toEqual({
      title: 'Capacity: app:7 cannot fit',
      message:
        'app:7: min 40 × 2 vCPU = at least 80 vCPU; capacity provider prod-cp allows 48. The version will fail with CapacityProviderScalingLimitExceeded. ' +
        "Raise the capacity provider's MaxVCpuCount to at least 80, or lower the min (at most 24 execution environments of 2 vCPU fit in 48 vCPU, fewer once the instances' own vCPUs are counted).",
    });
  });

  it('says so when not one environment fits: only the memory size or the limit can change', () => {
    expect(targetFindings(target('app:7', 1, 1, 64), prodCp).warning?.message).toContain("not even one execution environment of 64 vCPU fits in 48 vCPU, so lower the function's memory size instead");
  });

  it('notices, without a warning, a max that cannot fit while the min does', () => {
    const { warning, notice } = targetFindings(target('app:7', 10, 30), prodCp);
    expect(warning).toBeUndefined();
    expect(notice?.title).toBe('Capacity: app:7 cannot reach its max');
    expect(notice?.message).toMatch(/^app:7: max 30 × 2 vCPU = at least 60 vCPU; capacity provider prod-cp allows 48: at most 24 execution environments can run/);
  });

  it('says nothing when min and max fit, exactly at the limit too, nor for no maximum or 0/0', () => {
    expect(targetFindings(target('app:7', 10, 24), prodCp)).toEqual({});
    expect(targetFindings(target('app:7', 24, null), prodCp)).toEqual({});
    expect(targetFindings(target('app:7', 0, 0, 64), prodCp)).toEqual({});
  });
});

describe('sharedFinding', () => {
  it('adds up the mins of the targets on one provider and warns when together they cannot fit', () => {
    const warning = sharedFinding([target('app:1', 12, 20), target('app:2', 10, null, 1), target('api:3', 8, 8)], prodCp);
    expect(warning?.title).toBe('Capacity: 3 targets cannot fit together on prod-cp');
    expect(warning?.message).toBe(
      'app:1, app:2, api:3 run on capacity provider prod-cp; their mins together need at least 50 vCPU ' +
        '(app:1: min 12 × 2 vCPU = at least 24 vCPU; app:2: min 10 × 1 vCPU = at least 10 vCPU; api:3: min 8 × 2 vCPU = at least 16 vCPU); it allows 48. ' +
        "A version will fail with CapacityProviderScalingLimitExceeded. Raise the capacity provider's MaxVCpuCount to at least 50, lower their mins, or give them providers of their own.",
    );
  });

  it('is silent when they fit together, for a single target, and when one cannot fit alone (its own warning says it)', () => {
    expect(sharedFinding([target('app:1', 12, 20), target('app:2', 12, 20)], prodCp)).toBeUndefined();
    expect(sharedFinding([target('app:1', 30, 30)], prodCp)).toBeUndefined();
    expect(sharedFinding([target('app:1', 30, 30), target('app:2', 1, 1)], prodCp)).toBeUndefined();
  });

  it('leaves deactivated targets out of the sum', () => {
    expect(sharedFinding([target('app:1', 20, 20), target('app:2', 0, 0, 64), target('app:3', 0, 0)], prodCp)).toBeUndefined();
  });
});

describe('capacityCell', () => {
  it('shows what the min needs, the limit, and the findings', () => {
    const t = target('app:7', 40, 60);
    expect(capacityCell(t, prodCp, targetFindings(t, prodCp), false)).toBe('min ≥ 80 of 48 vCPU (prod-cp; 2 each, ≤ 24 fit): ⚠️ min cannot fit');
    const fits = target('app:7', 3, 30);
    expect(capacityCell(fits, prodCp, targetFindings(fits, prodCp), true)).toBe('min ≥ 6 of 48 vCPU (prod-cp; 2 each, ≤ 24 fit): ⚠️ mins together cannot fit; max cannot fit');
    const small = target('app:7', 3, 3, 0.5);
    expect(capacityCell(small, prodCp, targetFindings(small, prodCp), false)).toBe('min ≥ 1.5 of 48 vCPU (prod-cp; 0.5 each, ≤ 96 fit)');
  });
});

describe('failureExplanation', () => {
  const facts = { label: 'app:7', limit: prodCp, goal: { min: 10, max: 20 }, perEnvironment: 2 };

  it('gives the limit, this version’s need, the other versions with their configs, and what to change', () => {
    const text = failureExplanation({
      ...facts,
      others: [
        { label: 'app:6', state: 'Active', config: { min: 12, max: null } },
        { label: 'api:2', state: 'Deactivated', config: { min: 0, max: 0 } },
        { label: 'api:3', state: 'Failed' },
      ],
      unread: 2,
    });
    expect(text.split('\n')).toEqual([
      'Capacity provider prod-cp allows 48 vCPU (MaxVCpuCount); app:7 needs min 10 × 2 vCPU = at least 20 vCPU.',
      'Other versions on it (min/max): app:6 (Active): 12/no max; api:2 (Deactivated): 0/0; api:3 (Failed): config not readable, and 2 more not read; together a min of 12 execution environments.',
      "Raise the capacity provider's MaxVCpuCount, lower the min of this version or of the others, or set versions no longer used to 0/0 (or delete them: a Failed version may still hold capacity).",
    ]);
  });

  it('says when no other version runs on it, or they could not be listed, and when the min alone cannot fit', () => {
    expect(failureExplanation({ ...facts, others: [] })).toContain('\nNo other version runs on it.\n');
    const alone = failureExplanation({ ...facts, goal: { min: 30, max: 30 } });
    expect(alone).toContain('\nIts other versions could not be listed.\n');
    expect(alone).toMatch(/This version's min alone cannot fit: raise MaxVCpuCount to at least 60, or lower its min \(at most 24 execution environments/);
  });
});

describe('skippedNotice', () => {
  it('says the check was skipped, why, and which permissions would enable it', () => {
    expect(skippedNotice('GetCapacityProvider', 'AccessDeniedException: not authorized')).toEqual({
      title: 'Capacity check skipped',
      message:
        'The check of the scaling config against its capacity provider was skipped: GetCapacityProvider failed (AccessDeniedException: not authorized). ' +
        'The step goes on without it. To enable it, allow lambda:GetCapacityProvider and lambda:ListFunctionVersionsByCapacityProvider on the capacity provider (both optional).',
    });
  });
});
