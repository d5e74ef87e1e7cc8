// Reads that lag this step's own put: Lambda's reads are eventually consistent, and a read of the version
// just after an accepted put may not find it yet. Real SDK over HTTP against the emulator, virtual clock.
import { LAGGING_READ_MS } from '../../src/scale-target.js';
import { startEmulator, type Emulator } from '../emulator/server.js';
import { runFlow } from '../support/flow.js';
import { virtualClock } from '../support/virtual-clock.js';

let emu: Emulator;
let clock: ReturnType<typeof virtualClock>;
beforeEach(async () => {
  clock = virtualClock();
  emu = await startEmulator({ now: clock.now, timings: { resizeMs: 2000 } });
});
afterEach(() => emu.close());

const scale = (qualifier = '1', extra: Record<string, string> = {}) =>
  runFlow(emu.url, { 'function-name': 'app', qualifier, 'min-execution-environments': '2', 'max-execution-environments': '4', ...extra }, { clock });

const afterPut = () => {
  const put = emu.requests.find((r) => r.operation === 'PutFunctionScalingConfig' && r.status === 202)!;
  return emu.requests.filter((r) => r.at >= put.at && r !== put).map((r) => ({ op: r.operation, status: r.status, ms: r.at - put.at }));
};

describe('after this step’s accepted put', () => {
  it('a ResourceNotFoundException on a read of the version is read again, and debug-logged', async () => {
    emu.addFunction({ name: 'app', versions: { '1': { applied: { min: 1, max: 1 }, notFoundAfterPutMs: 3500 } } });
    const result = await scale();
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    const reads = afterPut();
    // The state is read once a poll: 404 while the reads lag (to 3.5 s), then found.
    expect(reads.filter((r) => r.op === 'GetFunction').map((r) => `${r.ms} ${r.status}`).slice(0, 5)).toEqual(['0 404', '1000 404', '2000 404', '3000 404', '4000 200']);
    expect(emu.inspect('app', '1').applied).toEqual({ min: 2, max: 4 });
    const lagged = result.logs.filter((l) => l.includes('a read can lag a write'));
    expect(lagged).toContain('::debug::app:1: GetFunction answered ResourceNotFoundException 1.0 s after the put was accepted; a read can lag a write, so it is read again');
    expect(lagged.every((l) => l.startsWith('::debug::'))).toBe(true);
    expect(lagged).toHaveLength(reads.filter((r) => r.status === 404).length);
  });

  it('a lagging read-back of the config is read again too, and is not taken for a throttle', async () => {
    // GetFunction finds the version; only GetFunctionScalingConfig's read-backs lag (the first read is before the put).
    emu.addFunction({ name: 'app', versions: { '1': { applied: { min: 1, max: 1 } } } });
    emu.fault({ operation: 'GetFunctionScalingConfig', kind: 'error', status: 404, message: 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:app:1', after: 1, times: 2 });
    const result = await scale();
    expect(result.errors).toEqual([]);
    expect(afterPut().filter((r) => r.op === 'GetFunctionScalingConfig').map((r) => r.status)).toEqual([404, 404, 200]);
    expect(result.logs).toContainEqual(expect.stringMatching(/^::debug::app:1: GetFunctionScalingConfig answered ResourceNotFoundException \d+\.\d s after the put was accepted; a read can lag a write, so it is read again$/));
  });

  it('a wait that ends while the read-backs lag times out without blaming a throttle', async () => {
    emu.addFunction({ name: 'app', versions: { '1': { applied: { min: 1, max: 1 } } } });
    emu.fault({ operation: 'GetFunctionScalingConfig', kind: 'error', status: 404, after: 1, times: 100 });
    const result = await scale('1', { 'wait-for-minutes': '0.1' });
    expect(result.errors.map((e) => e.title)).toEqual(['Timed out: app:1']);
    expect(afterPut().filter((r) => r.op === 'GetFunctionScalingConfig').every((r) => r.status === 404)).toBe(true);
    expect(result.errors[0].message).not.toMatch(/throttled/);
  });

  it(`is reported once ${LAGGING_READ_MS / 1000} s have passed since the put`, async () => {
    emu.addFunction({ name: 'app', versions: { '1': { applied: { min: 1, max: 1 }, notFoundAfterPutMs: 60_000 } } });
    const result = await scale();
    expect(result.errors.map((e) => e.title)).toEqual(['ResourceNotFoundException: app:1']);
    expect(result.errors[0].message).toMatch(/^Function not found: arn:aws:lambda:us-east-1:123456789012:function:app:1 \(GetFunction on app:1\)\n/);
    const reads = afterPut();
    // The state is read again at each poll while under 10 s since the put; the read at 10 s is reported.
    expect(reads.filter((r) => r.op === 'GetFunction').map((r) => r.ms)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000]);
    // The config's read-backs, from a poll after the put, lag as well.
    expect(reads.filter((r) => r.op === 'GetFunctionScalingConfig').map((r) => r.ms)).toEqual([1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000]);
    expect(reads.every((r) => r.status === 404)).toBe(true);
  });
});

describe('anywhere else, a ResourceNotFoundException is reported at once', () => {
  it('a version that does not exist, before any put', async () => {
    emu.addFunction({ name: 'app', versions: { '1': {} } });
    const result = await scale('9');
    expect(result.errors.map((e) => e.title)).toEqual(['ResourceNotFoundException: app:9']);
    expect(emu.requests.map((r) => `${r.operation} ${r.status}`)).toEqual(['GetFunctionScalingConfig 404']);
    expect(result.logs.some((l) => l.includes('a read can lag a write'))).toBe(false);
  });

  it('a read of a version whose config was already in effect: nothing was put', async () => {
    emu.addFunction({ name: 'app', versions: { '1': { applied: { min: 2, max: 4 } } } });
    emu.fault({ operation: 'GetFunction', kind: 'error', status: 404, times: 100 });
    const result = await scale();
    expect(result.errors.map((e) => e.title)).toEqual(['ResourceNotFoundException: app:1']);
    expect(emu.requests.map((r) => `${r.operation} ${r.status}`)).toEqual(['GetFunctionScalingConfig 200', 'GetFunction 404']);
  });

  it('the put itself', async () => {
    emu.addFunction({ name: 'app', versions: { '1': { applied: { min: 1, max: 1 } } } });
    emu.fault({ operation: 'PutFunctionScalingConfig', kind: 'error', status: 404, times: 100 });
    const result = await scale();
    expect(result.errors.map((e) => e.title)).toEqual(['ResourceNotFoundException: app:1']);
    expect(emu.requests.map((r) => `${r.operation} ${r.status}`)).toEqual(['GetFunctionScalingConfig 200', 'GetFunction 200', 'GetCapacityProvider 200', 'PutFunctionScalingConfig 404']);
  });
});
