import { realClock } from '../../src/clock.js';
import { startEmulator, type Emulator } from '../emulator/server.js';
import { runFlow } from '../support/flow.js';
import { virtualClock } from '../support/virtual-clock.js';

let emu: Emulator;
let clock: ReturnType<typeof virtualClock>;
beforeEach(async () => {
  clock = virtualClock();
  emu = await startEmulator({ now: clock.now, timings: { activateMs: 20_000, resizeMs: 10_000 } });
});
afterEach(() => emu.close());

describe('several targets', () => {
  it('pairs every function with every qualifier and configures a version reached twice once', async () => {
    for (const name of ['a', 'b']) {
      emu.addFunction({ name, versions: { '1': {}, '2': {} }, aliases: { blue: { version: '2' }, green: { version: '2', weights: { '1': 0.5 } } } });
    }
    const result = await runFlow(emu.url, { 'function-name': 'a, b', qualifier: 'blue\ngreen', 'min-execution-environments': '2', 'max-execution-environments': '6' }, { clock });
    expect(result.errors).toEqual([]);
    const results = JSON.parse(result.outputs.results);
    expect(results.map((r: { function: string; version: string; via: string[] }) => `${r.function}:${r.version} via ${r.via.join('+')}`)).toEqual([
      'a:2 via blue+green',
      'a:1 via green',
      'b:2 via blue+green',
      'b:1 via green',
    ]);
    const puts = emu.requests.filter((r) => r.operation === 'PutFunctionScalingConfig').map((r) => `${r.functionName}:${r.qualifier}`);
    expect(puts.sort()).toEqual(['a:1', 'a:2', 'b:1', 'b:2']);
    // The log names a version by the aliases it was reached through.
    expect(result.logs).toContain('a:2 (blue, green): 3/no max → 2/6 put');
    expect(result.groups).toEqual(['Resolve aliases', 'Apply 2/6 to 4 targets and wait until in effect']);
  });

  it('backs off together: a throttle seen by one target pauses the others for its Retry-After', async () => {
    // Real time: the virtual clock lets other targets' slots pass while the throttled request is in flight.
    const live = await startEmulator({ timings: { resizeMs: 300 } });
    try {
      for (const name of ['a', 'b', 'c', 'd']) live.addFunction({ name, versions: { '1': {} } });
      live.fault({ operation: 'PutFunctionScalingConfig', kind: 'error', status: 429, retryAfterSeconds: 2 });
      const result = await runFlow(live.url, { 'function-name': 'a,b,c,d', qualifier: '1', 'min-execution-environments': '4', 'max-execution-environments': '4' }, { clock: realClock });
      expect(result.ok).toBe(true);
      const throttled = live.requests.find((r) => r.status === 429)!;
      // Requests already on the wire when the 429 came back may land just after it; none may start later in the pause.
      // Without the shared pause the next targets would start 125 and 250 ms later.
      const duringPause = live.requests.filter((r) => r.operation !== 'GetFunction' && r.at > throttled.at + 200 && r.at < throttled.at + 2000);
      expect(duringPause).toEqual([]);
      expect(live.requests.filter((r) => r.operation === 'PutFunctionScalingConfig' && r.status === 202)).toHaveLength(4);
    } finally {
      await live.close();
    }
  });

  it('with wait false, puts to every target in one group and reports what the puts answered', async () => {
    for (const name of ['a', 'b']) emu.addFunction({ name, versions: { '1': {} } });
    const result = await runFlow(emu.url, { 'function-name': 'a,b', qualifier: '1', 'min-execution-environments': '0', 'max-execution-environments': '0', wait: 'false' }, { clock });
    expect(result.errors).toEqual([]);
    expect(result.groups).toEqual(['Apply 0/0 to 2 targets']);
    expect(result.outputs['function-state']).toBe('Deactivating');
    // No state read after the puts: the one GetFunction per target is the capacity check's, before its put.
    const ops = emu.requests.map((r) => r.operation);
    expect(ops.filter((o) => o === 'GetFunction')).toHaveLength(2);
    expect(ops.slice(ops.lastIndexOf('PutFunctionScalingConfig'))).not.toContain('GetFunction');
  });

  it('keeps running the others when one target is not found, names it, and keeps the requested order', async () => {
    emu.addFunction({ name: 'a', versions: { '1': {} }, aliases: { live: { version: '1' } } });
    const result = await runFlow(emu.url, { 'function-name': 'ghost,a', qualifier: 'live', 'min-execution-environments': '4', 'max-execution-environments': '4' }, { clock });
    expect(result.ok).toBe(false);
    expect(result.errors.map((e) => e.title)).toEqual(['ResourceNotFoundException: ghost:live']);
    expect(emu.inspect('a', '1').applied).toEqual({ min: 4, max: 4 });
    expect(JSON.parse(result.outputs.results).map((r: { function: string; state: string | null }) => [r.function, r.state])).toEqual([
      ['ghost', null],
      ['a', 'Active'],
    ]);
    expect(result.outputs['function-state']).toBe('Mixed');
  });

  it('lets a target stuck behind a deploy fail alone: the others still get their whole wait', async () => {
    const slow = { activateMs: 100_000 };
    emu.addFunction({ name: 'stuck', versions: { '1': { state: 'Pending', lastUpdateInProgressMs: 3_600_000 } } });
    for (const name of ['a', 'b', 'c']) emu.addFunction({ name, versions: { '1': { state: 'Deactivated', timings: slow } } });
    const result = await runFlow(emu.url, { 'function-name': 'stuck,a,b,c', qualifier: '1', 'min-execution-environments': '1', 'max-execution-environments': '2', 'wait-for-minutes': '2' }, { clock });
    expect(result.errors.map((e) => e.title)).toEqual(['ResourceConflictException: stuck:1']);
    for (const name of ['a', 'b', 'c']) expect(emu.inspect(name, '1')).toMatchObject({ state: 'Active', applied: { min: 1, max: 2 } });
  });

  it('paces the control-plane requests of 50 targets together at no more than 10 per second', async () => {
    // Lambda's quota is 15 per second per account and region, shared with every other job. On the virtual
    // clock a request is received at or after its start, and requests started apart can be received
    // together, so the pace shows over a long stretch rather than in one second. Each target first reads
    // its config and puts: 100 control-plane requests, which span 12.4 s at the README's 8 per second
    // (about 11.6 s as received) and 9.9 s at 10 per second.
    const names = Array.from({ length: 50 }, (_, i) => `f${i}`);
    for (const name of names) emu.addFunction({ name, versions: { '1': { state: 'Deactivated' } } });
    const result = await runFlow(emu.url, { 'function-name': names.join(','), qualifier: '1', 'min-execution-environments': '1', 'max-execution-environments': '3' }, { clock });
    expect(result.errors).toEqual([]);
    const times = emu.requests.filter((r) => r.operation === 'GetFunctionScalingConfig' || r.operation === 'PutFunctionScalingConfig').map((r) => r.at);
    expect(times.length).toBeGreaterThanOrEqual(100);
    expect(times[99] - times[0]).toBeGreaterThanOrEqual(99 * 100);
  });

  it('never runs past wait-for-minutes, however many targets queue for requests', async () => {
    const names = Array.from({ length: 120 }, (_, i) => `f${i}`);
    for (const name of names) emu.addFunction({ name, versions: { '1': { state: 'Deactivated' } } });
    const started = clock.now();
    const result = await runFlow(emu.url, { 'function-name': names.join(','), qualifier: '1', 'min-execution-environments': '1', 'max-execution-environments': '1', 'wait-for-minutes': '0.5' }, { clock });
    expect(clock.now() - started).toBeLessThanOrEqual(30_000);
    expect(emu.requests.every((r) => r.at < started + 30_000)).toBe(true);
    expect(result.ok).toBe(false);
    expect(new Set(result.errors.map((e) => e.title.split(':')[0]))).toEqual(new Set(['Timed out']));
  });
});
