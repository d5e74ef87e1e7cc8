// Strings that Lambda's model does not list for State, StateReasonCode, LastUpdateStatus and
// LastUpdateStatusReasonCode: shown as they are, deciding nothing beyond what a known value would.
import { startEmulator, type Emulator } from '../emulator/server.js';
import { runFlow } from '../support/flow.js';
import { virtualClock } from '../support/virtual-clock.js';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:app';
let emu: Emulator;
let clock: ReturnType<typeof virtualClock>;
beforeEach(async () => {
  clock = virtualClock();
  emu = await startEmulator({ now: clock.now, timings: { resizeMs: 3000, publishMs: 4000 } });
});
afterEach(() => emu.close());

const scale = (qualifier: string) =>
  runFlow(emu.url, { 'function-name': 'app', qualifier, 'min-execution-environments': '2', 'max-execution-environments': '4' }, { clock });

/** A GetFunction answer as Lambda's wire format has it, with the given Configuration members. */
const getFunctionAnswer = (configuration: Record<string, string>) => ({
  kind: 'raw' as const,
  operation: 'GetFunction' as const,
  status: 200,
  contentType: 'application/json',
  body: JSON.stringify({ Configuration: { FunctionName: 'app', FunctionArn: `${ARN}:1`, Version: '1', ...configuration } }),
});

describe('values the model does not list', () => {
  it('an unknown State and LastUpdateStatus, with unknown reason codes, are shown as they are and waited through', async () => {
    emu.addFunction({ name: 'app', versions: { '1': { applied: { min: 1, max: 1 } } } });
    emu.fault({
      ...getFunctionAnswer({ State: 'Updating', StateReasonCode: 'Updating', StateReason: 'The function is being updated.', LastUpdateStatus: 'Updating', LastUpdateStatusReasonCode: 'Creating' }),
      times: 2,
    });
    const result = await scale('1');
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.logs).toContainEqual(expect.stringMatching(/^app:1: Updating \(Updating: The function is being updated\.\) at \d+\.\d s$/));
    // The raw answer carries no request ID, and the debug line says so rather than print "undefined".
    expect(result.logs).toContainEqual(expect.stringMatching(/^::debug::GetFunction app:1: HTTP 200, no request ID, \d+ ms$/));
    // Not a deploy in progress (that is InProgress only), and not marked "(updating)".
    expect(result.logs.some((l) => /deploy still in progress|\(updating\)/.test(l))).toBe(false);
    expect(result.summary).toMatch(/app:1: Active at \d+\.\d s → Updating at \d+\.\d s → Active at \d+\.\d s/);
    // The config is read back only once the state is the goal again: never while it read Updating.
    const firstActive = emu.requests.filter((r) => r.operation === 'GetFunction')[2];
    expect(emu.requests.filter((r) => r.operation === 'GetFunctionScalingConfig').slice(1).every((r) => r.at >= firstActive.at)).toBe(true);
    expect(emu.inspect('app', '1').applied).toEqual({ min: 2, max: 4 });
    expect(JSON.parse(result.outputs.results)[0]).toMatchObject({ state: 'Active', lastUpdate: { status: 'Successful', reasonCode: null, reason: null } });
  });

  it('the Creating reason code of a publish in progress does not stop the step from waiting for it', async () => {
    emu.addFunction({ name: 'app', versions: { '1': { state: 'Pending', applied: { min: 1, max: 1 } } } });
    const result = await scale('1');
    expect(result.errors).toEqual([]);
    expect(result.logs).toContain('app:1: deploy still in progress (LastUpdateStatus InProgress, State Pending); putting 2/4 as soon as it ends');
    expect(emu.inspect('app', '1').applied).toEqual({ min: 2, max: 4 });
  });
});
