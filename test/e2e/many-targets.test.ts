import { startEmulator, type Emulator } from '../emulator/server.js';
import { emulatorEnv } from '../support/aws-env.js';
import { runAction } from '../support/run-action.js';

// Fifty functions in one step: concurrent, under one request budget, each target to its own end.
const COUNT = 50;
// Measured on the emulator's receive times, on the real clock of a busy runner. The action starts
// control-plane requests 125 ms apart (8 per second; test/flow/many-targets.test.ts pins the pace on the
// virtual clock), but the time from start to receipt varies with load: requests started apart can be
// received closer together, and a one-second window of receipts held 9 in every run on a loaded
// 2-core machine. 12 leaves 375 ms of such jitter, stays clear of Lambda's quota of 15, and still
// catches a lost pace (50 targets at once) or a doubled one.
const CONTROL_PLANE_LIMIT_PER_SECOND = 12;
const names = Array.from({ length: COUNT }, (_, i) => `pr-42-fn-${String(i).padStart(2, '0')}`);

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator();
});
afterEach(() => emu.close());

function addFunctions(failing?: string) {
  names.forEach((name, i) =>
    emu.addFunction({
      name,
      versions: {
        '1': {
          state: 'Deactivated',
          timings: { activateMs: 1000 + ((i * 37) % 3000) },
          ...(name === failing ? { failOnActivate: { code: 'CapacityProviderScalingLimitExceeded', reason: 'The capacity provider is at its vCPU limit.' } } : {}),
        },
      },
    }),
  );
}

/** GetFunction and the capacity-provider reads have quotas of their own. */
const OWN_QUOTA = new Set(['GetFunction', 'GetCapacityProvider', 'ListFunctionVersionsByCapacityProvider']);

function maxPerSecond(counted: (operation: string) => boolean): number {
  const times = emu.requests.filter((r) => counted(r.operation)).map((r) => r.at);
  return Math.max(...times.map((start) => times.filter((t) => t >= start && t < start + 1000).length));
}

const maxControlPlanePerSecond = () => maxPerSecond((operation) => !OWN_QUOTA.has(operation));

const scaleAll = () =>
  runAction({ 'function-name': names.join('\n'), qualifier: '1', 'min-execution-environments': '1', 'max-execution-environments': '3' }, emulatorEnv(emu.url));

it(`scales ${COUNT} functions to their goal, never above ${CONTROL_PLANE_LIMIT_PER_SECOND} control-plane requests in any second`, async () => {
  addFunctions();
  const run = await scaleAll();
  expect(run.errors).toEqual([]);
  expect(run.code).toBe(0);
  for (const name of names) expect(emu.inspect(name, '1')).toMatchObject({ state: 'Active', applied: { min: 1, max: 3 } });
  expect(maxControlPlanePerSecond()).toBeLessThanOrEqual(CONTROL_PLANE_LIMIT_PER_SECOND);
  // Each function has a capacity provider of its own: 50 reads, at 5 per second, well under their quota of 15.
  expect(emu.requests.filter((r) => r.operation === 'GetCapacityProvider')).toHaveLength(COUNT);
  expect(maxPerSecond((operation) => operation === 'GetCapacityProvider')).toBeLessThanOrEqual(CONTROL_PLANE_LIMIT_PER_SECOND);
  const results = JSON.parse(run.outputs.results);
  expect(results).toHaveLength(COUNT);
  expect(results.every((r: { state: string; error: null }) => r.state === 'Active' && r.error === null)).toBe(true);
  expect(run.outputs['function-state']).toBe('Active');
  expect(run.summary.split('\n').filter((line) => line.startsWith('| pr-42-fn-'))).toHaveLength(COUNT);
}, 90_000);

it('lets one failing target fail alone: the other 49 succeed, one annotation names it', async () => {
  addFunctions('pr-42-fn-07');
  const run = await scaleAll();
  expect(run.code).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0].title).toBe('Version Failed: pr-42-fn-07:1');
  expect(run.errors[0].message).toMatch(/CapacityProviderScalingLimitExceeded/);
  for (const name of names.filter((n) => n !== 'pr-42-fn-07')) expect(emu.inspect(name, '1')).toMatchObject({ state: 'Active', applied: { min: 1, max: 3 } });
  expect(run.outputs['function-state']).toBe('Mixed');
  expect(maxControlPlanePerSecond()).toBeLessThanOrEqual(CONTROL_PLANE_LIMIT_PER_SECOND);
}, 90_000);
