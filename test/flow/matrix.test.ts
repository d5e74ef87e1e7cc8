// A matrix of jobs against one account: in-process runs, each with its own LambdaApi as separate processes
// would have, share the emulator's account-wide quota on the virtual clock.
import { startEmulator, type Emulator } from '../emulator/server.js';
import { runFlows, seededRandom } from '../support/flow.js';
import { virtualClock } from '../support/virtual-clock.js';

const SETTLE_MS = 6000;
const QUOTA_BUSY = /request quota for this account and region is busy/;

let emu: Emulator;
let clock: ReturnType<typeof virtualClock>;
beforeEach(async () => {
  clock = virtualClock();
  emu = await startEmulator({ now: clock.now, quota: true });
});
afterEach(() => emu.close());

/** `jobs` jobs started within about a second, each resizing the Active version behind one alias of its own function. */
async function matrix(jobs: number) {
  const names = Array.from({ length: jobs }, (_, i) => `job-${i}`);
  for (const name of names) emu.addFunction({ name, versions: { '1': { applied: { min: 3, max: 3 }, timings: { resizeMs: SETTLE_MS } } }, aliases: { live: { version: '1' } } });
  const startedAt = clock.now();
  const results = await runFlows(
    emu.url,
    names.map((name, i) => ({
      inputs: { 'function-name': name, qualifier: 'live', 'min-execution-environments': '2', 'max-execution-environments': '20' },
      options: { clock, random: seededRandom(i + 1) },
      startAfterMs: Math.round((i * 1000) / jobs),
    })),
  );
  const afterSettle = results.map((r, i) => r.endedAt - emu.inspect(names[i], '1').settledAt!);
  const sorted = [...afterSettle].sort((a, b) => a - b);
  const throttled = emu.requests.filter((r) => r.status === 429);
  return { results, startedAt, median: sorted[sorted.length >> 1], slowest: sorted[sorted.length - 1], throttled, share: throttled.length / emu.requests.length };
}

describe('a matrix of jobs sharing the account quota', () => {
  it('20 jobs all succeed with few throttles, each ending soon after its own version settled', async () => {
    const m = await matrix(20);
    expect(m.results.map((r) => r.errors)).toEqual(Array(20).fill([]));
    expect(m.results.every((r) => r.ok)).toBe(true);
    for (let i = 0; i < 20; i++) expect(emu.inspect(`job-${i}`, '1')).toMatchObject({ applied: { min: 2, max: 20 }, requested: undefined });
    // The benchmark holds real processes to the targets (at most 8 % throttles, median 1 s, slowest
    // 3 s). Here the virtual clock runs on while requests are on the wire, so a loaded machine bunches them
    // up (8.9 % throttles seen under CI load): looser bounds that still catch a regression (without the
    // adaptation, 29 % of the answers are throttles).
    expect(m.share).toBeLessThanOrEqual(0.15);
    expect(m.median).toBeLessThanOrEqual(1500);
    expect(m.slowest).toBeLessThanOrEqual(6000);
    // Throttles do happen here, and each job says so once, not once per retry.
    expect(m.throttled.length).toBeGreaterThan(0);
    const told = m.results.map((r) => r.logs.filter((l) => QUOTA_BUSY.test(l)).length);
    expect(Math.max(...told)).toBe(1);
  });

  it('5 jobs fit in the quota: no throttle after the first two seconds', async () => {
    const m = await matrix(5);
    expect(m.results.every((r) => r.ok)).toBe(true);
    // As above, a loaded machine can bunch the requests of the virtual clock: one late throttle is
    // tolerated here; the benchmark holds real processes to none.
    expect(m.throttled.filter((r) => r.at > m.startedAt + 2000).length).toBeLessThanOrEqual(1);
    expect(m.slowest).toBeLessThanOrEqual(4000);
  });

  it('says once that the quota is busy, however many retries, and waits through throttles', async () => {
    emu.setQuota(false);
    emu.addFunction({ name: 'fn', versions: { '1': { applied: { min: 3, max: 3 } } } });
    emu.fault({ operation: 'GetFunctionScalingConfig', kind: 'error', status: 429, retryAfterSeconds: 1, times: 5 });
    emu.fault({ operation: 'PutFunctionScalingConfig', kind: 'error', status: 429, retryAfterSeconds: 1, times: 3 });
    const [result] = await runFlows(emu.url, [{ inputs: { 'function-name': 'fn', qualifier: '1', 'min-execution-environments': '2', 'max-execution-environments': '6' }, options: { clock } }]);
    expect(result.ok).toBe(true);
    expect(result.logs.filter((l) => QUOTA_BUSY.test(l))).toEqual([expect.stringMatching(/keeps trying until wait-for-minutes runs out\. To avoid it, scale many targets in one step, or cap a matrix with max-parallel\.$/)]);
    expect(result.logs.filter((l) => /^::debug::.*throttled by Lambda's API quota; retrying in/.test(l))).toHaveLength(8);
    expect(emu.inspect('fn', '1').applied).toEqual({ min: 2, max: 6 });
  });

  it('names the quota that is busy: GetFunction has one of its own', async () => {
    emu.setQuota(false);
    emu.addFunction({ name: 'fn', versions: { '1': { applied: { min: 3, max: 3 } } } });
    emu.fault({ operation: 'GetFunction', kind: 'error', status: 429, retryAfterSeconds: 1, times: 3 });
    const [result] = await runFlows(emu.url, [{ inputs: { 'function-name': 'fn', qualifier: '1', 'min-execution-environments': '2', 'max-execution-environments': '6' }, options: { clock } }]);
    expect(result.ok).toBe(true);
    expect(result.logs.filter((l) => /quota for this account and region is busy/.test(l))).toEqual([
      "Lambda's GetFunction quota for this account and region is busy (100 requests per second, shared by every job and pipeline of the account): " +
        'this step slows its state reads down and keeps trying until wait-for-minutes runs out. Other pipelines of the account may be polling GetFunction hard.',
    ]);
  });
});
