import type { FaultSpec, VersionSpec } from '../emulator/server.js';
import { startEmulator } from '../emulator/server.js';
import { runFlow } from '../support/flow.js';
import { virtualClock } from '../support/virtual-clock.js';

// 200 runs of the action against the emulator with random faults and transition times (seeded, so a
// failure can be replayed). Every run must end in success or one clear annotation, within its budget.
const RUNS = 200;
const SEED = Number(process.env.SOAK_SEED ?? 20261125);
// About 25 s alone on 2 cores, four minutes when other jobs load the machine.
const TIMEOUT_MS = 300_000;

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Op = 'PutFunctionScalingConfig' | 'GetFunctionScalingConfig' | 'GetFunction';
const OPS: Op[] = ['PutFunctionScalingConfig', 'GetFunctionScalingConfig', 'GetFunction'];
const SURVIVABLE: ((op: Op, r: () => number) => FaultSpec)[] = [
  (operation) => ({ operation, kind: 'error', status: 409 }),
  (operation, r) => ({ operation, kind: 'error', status: 429, retryAfterSeconds: Math.floor(r() * 5) }),
  (operation) => ({ operation, kind: 'error', status: 500 }),
  (operation, r) => ({ operation, kind: 'error', status: [502, 503, 504][Math.floor(r() * 3)], html: true }),
  (operation) => ({ operation, kind: 'reset' }),
  (operation) => ({ operation, kind: 'hang' }),
];
const FATAL: FaultSpec[] = [
  { operation: 'GetFunctionScalingConfig', kind: 'error', status: 404, message: 'Function not found' },
  { operation: 'GetFunctionScalingConfig', kind: 'error', status: 403, errorType: 'AccessDeniedException', message: 'is not authorized to perform: lambda:GetFunctionScalingConfig' },
  { operation: 'GetFunctionScalingConfig', kind: 'error', status: 400, message: 'bad parameter' },
  { operation: 'GetFunctionScalingConfig', kind: 'error', status: 418, errorType: 'OddException', message: 'odd' },
];

it(`survives or explains ${RUNS} runs with random faults`, async () => {
  const random = prng(SEED);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const between = (low: number, high: number) => Math.round(low + random() * (high - low));
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const counts: Record<string, number> = {};
  try {
    for (let i = 0; i < RUNS; i++) {
      const clock = virtualClock();
      const timings = { publishMs: between(0, 90_000), activateMs: between(5_000, 240_000), deactivateMs: between(5_000, 120_000), resizeMs: between(1_000, 60_000) };
      const emu = await startEmulator({ now: clock.now, timings });
      try {
        const start = pick<VersionSpec>([{}, { state: 'Deactivated' }, { state: 'Pending', lastUpdateInProgressMs: timings.publishMs }, { applied: { min: 2, max: 4 } }]);
        const failing = random() < 0.1;
        emu.addFunction({ name: 'app', versions: { '2': { state: pick(['Active', 'Deactivated'] as const) }, '1': failing ? { ...start, failOnActivate: { code: 'InsufficientCapacity', reason: 'No capacity.' } } : start }, aliases: { live: { version: '1' }, split: { version: '1', weights: { '2': 0.5 } } } });
        const goal = pick([
          { min: 0, max: 0 },
          { min: 2, max: 4 },
          { min: 1, max: between(1, 50) },
        ]);
        const faults = Array.from({ length: between(0, 4) }, () => pick(SURVIVABLE)(pick(OPS), random));
        const fatal = random() < 0.15 ? pick(FATAL) : undefined;
        for (const fault of fatal ? [...faults, fatal] : faults) emu.fault(fault);
        const tight = random() < 0.15;
        const needMs = timings.publishMs + Math.max(timings.activateMs, timings.deactivateMs, timings.resizeMs);
        const budgetMs = tight ? between(10_000, needMs / 2 + 10_000) : needMs + 120_000;
        const startedAt = clock.now();

        const qualifier = pick(['1', 'live', 'split']);
        // The versions the qualifier reaches, as the emulator's aliases route them.
        const versions = qualifier === 'split' ? ['1', '2'] : ['1'];
        const result = await runFlow(
          emu.url,
          { 'function-name': 'app', qualifier, 'min-execution-environments': String(goal.min), 'max-execution-environments': String(goal.max), 'wait-for-minutes': String(budgetMs / 60_000) },
          // Real time, for the hang faults. A busy runner can take longer than 50 ms to answer a request:
          // cut then, a fatal fault the emulator answered goes unseen and the run wrongly succeeds.
          { clock, requestTimeoutMs: 250 },
        );

        const elapsed = clock.now() - startedAt;
        const context = `run ${i} (seed ${SEED}): ${JSON.stringify({ start, goal, faults, fatal, tight, budgetMs, failing, elapsed, errors: result.errors })}`;
        expect({ context, late: elapsed > budgetMs }).toEqual({ context, late: false });
        if (result.ok) {
          expect({ context, errors: result.errors }).toEqual({ context, errors: [] });
          const reported = JSON.parse(result.outputs.results).map((r: { version: string; applied: unknown; state: string }) => [r.version, r.applied, r.state]);
          const goalState = goal.max === 0 ? 'Deactivated' : 'Active';
          expect({ context, reported }).toEqual({ context, reported: versions.map((v) => [v, goal, goalState]) });
          for (const v of versions) expect({ context, version: v, ...emu.inspect('app', v) }).toMatchObject({ context, version: v, state: goalState, applied: goal });
          counts.succeeded = (counts.succeeded ?? 0) + 1;
        } else {
          // One annotation per failed target: an alias split over two versions can fail twice.
          expect({ context, annotations: result.errors.length >= 1 && result.errors.length <= 2 }).toEqual({ context, annotations: true });
          const [error] = result.errors;
          expect(error.title).toMatch(/^[\w .]+: app:(1|2|live|split)/);
          expect(error.message.length).toBeGreaterThan(20);
          const kind = error.title.split(':')[0];
          counts[`failed: ${kind}`] = (counts[`failed: ${kind}`] ?? 0) + 1;
        }
        if (!fatal && !failing && !tight) expect({ context, ok: result.ok }).toEqual({ context, ok: true });
        if (fatal) expect({ context, ok: result.ok }).toEqual({ context, ok: false });
      } finally {
        await emu.close();
      }
    }
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  expect(unhandled).toEqual([]);
  console.log(`soak: ${RUNS} runs (seed ${SEED}): ${JSON.stringify(counts)}`);
  expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(RUNS);
}, TIMEOUT_MS);
