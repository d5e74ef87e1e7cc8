// The capacity check against the emulator's capacity providers: warnings before the put, the summed mins of a
// step's targets, the numbers behind a CapacityProviderScalingLimitExceeded failure, a check without permission.
import type { Annotation } from '../../src/errors.js';
import { CAPACITY_PROVIDER_PER_SECOND, CONTROL_PLANE_PER_SECOND } from '../../src/request-engine.js';
import type { ActionIO } from '../../src/run.js';
import { emulatorPerTest } from '../support/flow-fixture.js';
import { runFlow } from '../support/flow.js';

const f = emulatorPerTest({ activateMs: 10_000, resizeMs: 10_000 });
const CONTROL_PLANE = new Set(['PutFunctionScalingConfig', 'GetFunctionScalingConfig', 'GetAlias']);

/** prod-cp allows 48 vCPU; app's versions take 2 vCPU per environment (4096 MB at the default 2 GiB per vCPU). */
function prodCp(versions: Parameters<typeof f.emu.addFunction>[0]['versions']): void {
  f.emu.addCapacityProvider({ name: 'prod-cp', maxVCpuCount: 48 });
  f.emu.addFunction({ name: 'app', capacityProvider: 'prod-cp', memorySize: 4096, versions });
}

/** Runs the action and records, for each annotation, the operations the emulator had seen when it came. */
function scale(inputs: Record<string, string>) {
  const seenAt: { annotation: Annotation; ops: string[] }[] = [];
  const watch = (call: (a: Annotation) => void) => (annotation: Annotation) => {
    seenAt.push({ annotation, ops: f.ops() });
    call(annotation);
  };
  const wrapIO = (io: ActionIO): ActionIO => ({ ...io, warning: watch(io.warning), notice: watch(io.notice) });
  return runFlow(f.emu.url, { 'function-name': 'app', ...inputs }, { clock: f.clock, wrapIO }).then((result) => ({ ...result, seenAt }));
}

const config = (qualifier: string, min: number, max: number | null) => ({ qualifier, 'min-execution-environments': String(min), 'max-execution-environments': max === null ? 'none' : String(max) });
const count = (operation: string) => f.ops().filter((o) => o === operation).length;

describe('before the put', () => {
  it('warns when the min alone cannot fit, with the numbers, and still puts: the service is the judge', async () => {
    prodCp({ '7': { applied: { min: 3, max: 3 } } });
    const result = await scale(config('7', 40, 60));
    expect(result.warnings).toEqual([
      {
        title: 'Capacity: app:7 cannot fit',
        message: expect.stringContaining('app:7: min 40 × 2 vCPU = at least 80 vCPU; capacity provider prod-cp allows 48. The version will fail with CapacityProviderScalingLimitExceeded.'),
      },
    ]);
    // Before the put, after the provider's limit was read.
    expect(result.seenAt[0].ops).toContain('GetCapacityProvider');
    expect(result.seenAt[0].ops).not.toContain('PutFunctionScalingConfig');
    expect(f.emu.requests.find((r) => r.operation === 'PutFunctionScalingConfig')?.status).toBe(202);
    expect(result.ok).toBe(false);
    expect(result.errors[0].title).toBe('Version Failed: app:7');
  });

  it('notices a max that cannot fit, and the step succeeds', async () => {
    prodCp({ '7': { applied: { min: 3, max: 3 } } });
    const result = await scale(config('7', 3, 30));
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([]);
    expect(result.notices).toEqual([{ title: 'Capacity: app:7 cannot reach its max', message: expect.stringMatching(/^app:7: max 30 × 2 vCPU = at least 60 vCPU; capacity provider prod-cp allows 48: at most 24 execution environments can run/) }]);
    expect(result.seenAt[0].ops).not.toContain('PutFunctionScalingConfig');
  });

  it('costs one GetFunction per target and one GetCapacityProvider per provider, nothing on the control plane', async () => {
    prodCp({ '1': {} });
    f.emu.addFunction({ name: 'solo', memorySize: 2048, versions: { '1': {} } });
    const result = await runFlow(f.emu.url, { 'function-name': 'app\nsolo', ...config('1', 4, 8) }, { clock: f.clock });
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([]);
    expect(result.notices).toEqual([]);
    // Two providers (prod-cp and solo's own), one read each; the control plane sees what it saw without the check.
    expect(f.emu.requests.filter((r) => r.operation === 'GetCapacityProvider').map((r) => r.capacityProvider).sort()).toEqual([
      'arn:aws:lambda:us-east-1:123456789012:capacity-provider:prod-cp',
      'arn:aws:lambda:us-east-1:123456789012:capacity-provider:solo-capacity-provider',
    ]);
    const puts = f.emu.requests.filter((r) => r.operation === 'PutFunctionScalingConfig');
    const firstPut = Math.min(...puts.map((r) => f.emu.requests.indexOf(r)));
    const beforePuts = f.emu.requests.slice(0, firstPut).map((r) => r.operation);
    expect(beforePuts.filter((o) => o === 'GetFunction')).toHaveLength(2);
    expect(beforePuts.filter((o) => CONTROL_PLANE.has(o))).toEqual(['GetFunctionScalingConfig', 'GetFunctionScalingConfig']);
    expect(count('ListFunctionVersionsByCapacityProvider')).toBe(0);
  });

  it('after a put, the wait reads the state afresh at once: the one read before the put is not taken for it', async () => {
    prodCp({ '3': { state: 'Deactivated' } });
    const result = await scale(config('3', 2, 4));
    expect(result.ok).toBe(true);
    const put = f.emu.requests.find((r) => r.operation === 'PutFunctionScalingConfig')!;
    const firstRead = f.emu.requests.find((r) => r.operation === 'GetFunction' && r.at >= put.at && f.emu.requests.indexOf(r) > f.emu.requests.indexOf(put))!;
    expect(firstRead.at).toBe(put.at);
    expect(result.logs.filter((l) => /^app:3: Deactivated at/.test(l))).toEqual([]);
  });

  it('with the config already in effect reads no provider, and the wait takes the GetFunction read with the config', async () => {
    prodCp({ '7': { applied: { min: 30, max: 30 } } });
    const result = await scale(config('7', 30, 30));
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([]);
    expect([...f.ops()].sort()).toEqual(['GetFunction', 'GetFunctionScalingConfig']);
  });
});

describe('the mins of a step’s targets on one provider', () => {
  it('add up: one warning when together they cannot fit, before any put, with one read of the provider', async () => {
    prodCp({ '1': { applied: { min: 1, max: 1 } }, '2': { applied: { min: 1, max: 1 } }, '3': { applied: { min: 1, max: 1 } } });
    const result = await scale({ ...config('1\n2\n3', 10, 10) });
    expect(result.warnings).toEqual([
      {
        title: 'Capacity: 3 targets cannot fit together on prod-cp',
        message: expect.stringContaining('app:1, app:2, app:3 run on capacity provider prod-cp; their mins together need at least 60 vCPU'),
      },
    ]);
    expect(result.seenAt[0].ops).not.toContain('PutFunctionScalingConfig');
    expect(count('GetCapacityProvider')).toBe(1);
    expect(count('PutFunctionScalingConfig')).toBe(3);
    // The emulator fits two of them (40 of 48 vCPU) and fails the one that ends last.
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0].message).toContain('CapacityProviderScalingLimitExceeded');
  });

  it('hold no put past 2 s after the step started for a target whose read is slow; the warning comes once all are read', async () => {
    prodCp({ '1': { applied: { min: 1, max: 1 } }, '2': { applied: { min: 1, max: 1 } } });
    // Version 2's config read keeps failing for a while (its retries back off over several seconds).
    f.emu.fault({ operation: 'GetFunctionScalingConfig', kind: 'error', status: 503, times: 5, after: 1 });
    const started = f.clock.now();
    const result = await scale(config('1\n2', 15, 15));
    const firstPut = f.emu.requests.find((r) => r.operation === 'PutFunctionScalingConfig')!;
    const secondRead = f.emu.requests.filter((r) => r.operation === 'GetFunctionScalingConfig' && r.status === 200)[1];
    expect(firstPut.at - started).toBeLessThanOrEqual(2500);
    expect(secondRead.at).toBeGreaterThan(firstPut.at);
    expect(result.warnings.map((w) => w.title)).toEqual(['Capacity: 2 targets cannot fit together on prod-cp']);
    expect(result.seenAt[0].ops).toContain('PutFunctionScalingConfig');
  });

  it('fit: no warning when together they do', async () => {
    prodCp({ '1': {}, '2': {} });
    const result = await scale(config('1\n2', 12, 12));
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([]);
  });
});

describe('a version failed with CapacityProviderScalingLimitExceeded', () => {
  it('is explained with the provider, its limit, this version’s need and the other versions with their configs', async () => {
    prodCp({ '6': { applied: { min: 5, max: null } }, '7': { applied: { min: 3, max: 3 } }, '5': { state: 'Deactivated' } });
    f.emu.addFunction({ name: 'other', capacityProvider: 'prod-cp', memorySize: 4096, versions: { '2': { applied: { min: 5, max: 5 } } } });
    // 15 × 2 = 30 vCPU fits alone, so no warning; with app:6's 10 and other:2's 10 it does not.
    const result = await scale(config('7', 15, 20));
    expect(result.warnings).toEqual([]);
    expect(result.ok).toBe(false);
    expect(result.errors).toHaveLength(1);
    const lines = result.errors[0].message.split('\n');
    expect(lines[0]).toBe('app:7 is Failed: CapacityProviderScalingLimitExceeded: The capacity provider has reached its maximum vCPU count (MaxVCpuCount) and cannot start the execution environments.');
    expect(lines).toContain('Capacity provider prod-cp allows 48 vCPU (MaxVCpuCount); app:7 needs min 15 × 2 vCPU = at least 30 vCPU.');
    expect(lines).toContain('Other versions on it (min/max): app:5 (Deactivated): 0/0; app:6 (Active): 5/no max; other:2 (Active): 5/5; together a min of 10 execution environments.');
    expect(lines).toContainEqual(expect.stringMatching(/^Raise the capacity provider's MaxVCpuCount, lower the min of this version or of the others/));
    // Read once, then: the list, and the scaling config of each other version.
    expect(count('ListFunctionVersionsByCapacityProvider')).toBe(1);
    const otherReads = f.emu.requests.filter((r) => r.operation === 'GetFunctionScalingConfig' && !(r.functionName === 'app' && r.qualifier === '7'));
    expect(otherReads.map((r) => `${r.functionName}:${r.qualifier}`)).toEqual([
      'arn:aws:lambda:us-east-1:123456789012:function:app:5',
      'arn:aws:lambda:us-east-1:123456789012:function:app:6',
      'arn:aws:lambda:us-east-1:123456789012:function:other:2',
    ]);
  });

  it('explains a republish that did not fit on the last update’s annotation', async () => {
    prodCp({ '7': { applied: { min: 10, max: null }, republish: { durationMs: 5000, memorySize: 16_384 } } });
    const result = await scale(config('7', 10, null));
    // The old code serves on: the failed last update is a warning, with the numbers.
    const warning = result.warnings.find((w) => w.title.startsWith('Last update failed'))!;
    expect(warning.message).toContain('CapacityProviderScalingLimitExceeded');
    expect(warning.message).toContain('Capacity provider prod-cp allows 48 vCPU (MaxVCpuCount); app:7 needs min 10 × 8 vCPU = at least 80 vCPU.');
    expect(warning.message).toContain('No other version runs on it.');
  });

  it('reads the other versions without reading the provider twice, and under the quotas’ paces', async () => {
    f.emu.setQuota(true);
    f.emu.addCapacityProvider({ name: 'prod-cp', maxVCpuCount: 48 });
    f.emu.addFunction({ name: 'app', capacityProvider: 'prod-cp', memorySize: 4096, versions: { '7': {} } });
    f.emu.addFunction({ name: 'many', capacityProvider: 'prod-cp', memorySize: 1024, versions: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [String(i + 1), { applied: { min: 1, max: 1 } }])) });
    const result = await scale(config('7', 20, 20)); // 40 + the others' 30: too much
    expect(result.errors[0].message).toContain(', and 40 more not read; together a min of 20 execution environments.');
    expect(count('GetCapacityProvider')).toBe(1);
    const lists = f.emu.requests.filter((r) => r.operation === 'ListFunctionVersionsByCapacityProvider');
    expect(lists.map((r) => new URL(r.path, 'http://x').searchParams.get('MaxItems'))).toEqual(['50', '50']);
    const explained = f.emu.requests.filter((r) => r.operation === 'GetFunctionScalingConfig' && r.functionName !== 'app');
    expect(explained).toHaveLength(20);
    // 20 reads at once would break Lambda's 15 per second: paced, none is throttled, and they take over 2 s.
    expect(f.emu.requests.filter((r) => r.status === 429)).toEqual([]);
    expect(explained.at(-1)!.at - explained[0].at).toBeGreaterThanOrEqual((explained.length - 2) * (1000 / CONTROL_PLANE_PER_SECOND));
  });
});

describe('pacing', () => {
  it('reads many providers at once under the capacity-provider quota of their own', async () => {
    f.emu.setQuota(true);
    const names = Array.from({ length: 20 }, (_, i) => `fn${i}`);
    for (const name of names) f.emu.addFunction({ name, versions: { '1': {} } });
    const result = await runFlow(f.emu.url, { 'function-name': names.join('\n'), ...config('1', 4, 4), wait: 'false' }, { clock: f.clock });
    expect(result.ok).toBe(true);
    const reads = f.emu.requests.filter((r) => r.operation === 'GetCapacityProvider');
    expect(reads).toHaveLength(20);
    expect(f.emu.requests.filter((r) => r.status === 429)).toEqual([]);
    expect(reads.at(-1)!.at - reads[0].at).toBeGreaterThanOrEqual((reads.length - 2) * (1000 / CAPACITY_PROVIDER_PER_SECOND));
    expect(result.notices).toEqual([]);
  });
});

describe('never in the way', () => {
  const denied = { kind: 'error', status: 403, errorType: 'AccessDeniedException', message: 'User: arn:aws:sts::123456789012:assumed-role/ci/gha is not authorized to perform: lambda:GetCapacityProvider' } as const;

  it('without permission for GetCapacityProvider: one notice for the step, and the step goes on as without the check', async () => {
    prodCp({ '1': { applied: { min: 3, max: 3 } }, '2': { applied: { min: 3, max: 3 } } });
    f.emu.fault({ operation: 'GetCapacityProvider', ...denied, times: 5 });
    const result = await scale(config('1\n2', 40, 40));
    expect(result.notices).toEqual([
      {
        title: 'Capacity check skipped',
        message:
          'The check of the scaling config against its capacity provider was skipped: GetCapacityProvider failed (AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/ci/gha is not authorized to perform: lambda:GetCapacityProvider). ' +
          'The step goes on without it. To enable it, allow lambda:GetCapacityProvider and lambda:ListFunctionVersionsByCapacityProvider on the capacity provider (both optional).',
      },
    ]);
    expect(result.warnings).toEqual([]);
    // Asked once for both targets, not retried: a refusal is no passing fault.
    expect(count('GetCapacityProvider')).toBe(1);
    expect(count('PutFunctionScalingConfig')).toBe(2);
    // The failure is reported as without the check: the reason code and its general hint.
    expect(result.errors.map((e) => e.title)).toEqual(['Version Failed: app:1', 'Version Failed: app:2']);
    expect(result.errors.every((e) => !e.message.includes('Capacity provider prod-cp allows'))).toBe(true);
  });

  it('says it once for the step, however many providers are refused', async () => {
    for (const name of ['a', 'b', 'c']) f.emu.addFunction({ name, versions: { '1': {} } });
    f.emu.fault({ operation: 'GetCapacityProvider', ...denied, times: 3 });
    const result = await runFlow(f.emu.url, { 'function-name': 'a\nb\nc', ...config('1', 4, 4) }, { clock: f.clock });
    expect(result.ok).toBe(true);
    expect(count('GetCapacityProvider')).toBe(3);
    expect(result.notices.map((n) => n.title)).toEqual(['Capacity check skipped']);
  });

  it('without permission for the list: the explanation says the others could not be listed, and a notice why', async () => {
    prodCp({ '7': { applied: { min: 3, max: 3 } } });
    f.emu.fault({ operation: 'ListFunctionVersionsByCapacityProvider', ...denied, message: 'not authorized to perform: lambda:ListFunctionVersionsByCapacityProvider' });
    const result = await scale(config('7', 30, 30));
    expect(result.errors[0].message).toContain('Capacity provider prod-cp allows 48 vCPU (MaxVCpuCount); app:7 needs min 30 × 2 vCPU = at least 60 vCPU.\nIts other versions could not be listed.');
    expect(result.notices.map((n) => n.message)).toEqual([expect.stringContaining('ListFunctionVersionsByCapacityProvider failed (AccessDeniedException: not authorized')]);
  });

  it('a provider read that keeps failing is retried like any read, then skipped: the put still goes out', async () => {
    prodCp({ '7': { applied: { min: 3, max: 3 } } });
    f.emu.fault({ operation: 'GetCapacityProvider', kind: 'error', status: 500, times: 20 });
    const result = await scale(config('7', 4, 4));
    expect(result.ok).toBe(true);
    expect(count('GetCapacityProvider')).toBeGreaterThan(1);
    expect(result.notices.map((n) => n.title)).toEqual(['Capacity check skipped']);
    expect(f.emu.inspect('app', '7').applied).toEqual({ min: 4, max: 4 });
  });
});

describe('dry run', () => {
  it('shows per target what the min needs and the provider allows, and the warnings, with nothing put', async () => {
    prodCp({ '1': { applied: { min: 1, max: 1 } }, '2': { applied: { min: 30, max: 30 } } });
    const result = await scale({ ...config('1\n2', 30, 30), 'dry-run': 'true' });
    expect(result.ok).toBe(true);
    expect(f.ops()).not.toContain('PutFunctionScalingConfig');
    expect(count('GetCapacityProvider')).toBe(1);
    // app:2 already has its config: a real run would not put it, so only app:1 is warned for.
    expect(result.warnings.map((w) => w.title)).toEqual(['Capacity: app:1 cannot fit']);
    expect(result.summary).toContain('| Capacity |');
    expect(result.summary).toContain('| min ≥ 60 of 48 vCPU (prod-cp; 2 each, ≤ 24 fit): ⚠️ min cannot fit |');
    expect(result.logs).toContain('app:1: capacity: min ≥ 60 of 48 vCPU (prod-cp; 2 each, ≤ 24 fit): ⚠️ min cannot fit');
    // The dry run's state read is the capacity check's: one GetFunction per target.
    expect(count('GetFunction')).toBe(2);
  });

  it('warns once for the summed mins of its targets on one provider', async () => {
    prodCp({ '1': { applied: { min: 1, max: 1 } }, '2': { applied: { min: 1, max: 1 } } });
    const result = await scale({ ...config('1\n2', 20, 20), 'dry-run': 'true' });
    expect(result.warnings.map((w) => w.title)).toEqual(['Capacity: 2 targets cannot fit together on prod-cp']);
    expect(result.summary).toContain('| min ≥ 40 of 48 vCPU (prod-cp; 2 each, ≤ 24 fit): ⚠️ mins together cannot fit |');
  });

  it('without permission shows no capacity column, and says the check was skipped', async () => {
    prodCp({ '1': {} });
    f.emu.fault({ operation: 'GetCapacityProvider', kind: 'error', status: 403, errorType: 'AccessDeniedException', message: 'not authorized' });
    const result = await scale({ ...config('1', 30, 30), 'dry-run': 'true' });
    expect(result.ok).toBe(true);
    expect(result.summary).not.toContain('Capacity');
    expect(result.notices.map((n) => n.title)).toEqual(['Capacity check skipped']);
  });
});
