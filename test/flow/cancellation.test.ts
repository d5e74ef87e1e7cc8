import { Cancelled } from '../../src/cancellation.js';
import { startEmulator, type Emulator } from '../emulator/server.js';
import { runFlow } from '../support/flow.js';
import { virtualClock } from '../support/virtual-clock.js';

// A cancel (the runner's SIGINT/SIGTERM) during each phase: what the annotation tells the user.
let emu: Emulator;
let clock: ReturnType<typeof virtualClock>;
beforeEach(async () => {
  clock = virtualClock();
  emu = await startEmulator({ now: clock.now, timings: { publishMs: 120_000, activateMs: 180_000 } });
});
afterEach(() => emu.close());

/** Every annotation of a version that an answer showed to exist ends with its console link. */
const LINK = '\nIn the Lambda console (account 123456789012): https://us-east-1.console.aws.amazon.com/lambda/home?region=us-east-1#/functions/app/versions/3?tab=configure';

/**
 * Runs the action and cancels it once the emulator has received `operation` `times` times: a second
 * GetFunction is sent only after the answer to the first was read.
 */
async function cancelAfter(operation: string, inputs: Record<string, string>, times = 1) {
  const controller = new AbortController();
  const running = runFlow(emu.url, { 'function-name': 'app', qualifier: '3', ...inputs }, { clock, signal: controller.signal });
  while (emu.requests.filter((r) => r.operation === operation).length < times) await new Promise((resolve) => setTimeout(resolve, 2));
  controller.abort(new Cancelled('SIGTERM'));
  return running;
}

it('after the put: says the config stays put and what the previous one was', async () => {
  emu.addFunction({ name: 'app', versions: { '3': { state: 'Deactivated' } } });
  // The first GetFunction is the capacity check's, before the put; the second the wait's, after it.
  const result = await cancelAfter('GetFunction', { 'min-execution-environments': '2', 'max-execution-environments': '4' }, 2);
  expect(result.ok).toBe(false);
  expect(result.errors).toEqual([
    {
      title: 'Cancelled: app:3',
      message:
        'The job was cancelled while scaling app:3. The last state seen was Pending. The config 2/4 put before the cancel stays put: Lambda goes on applying it. Run the step again to wait for it, or put the previous config (0/0) back.' + LINK,
    },
  ]);
});

it('after the put, with restore: says the post step puts the previous config back', async () => {
  emu.addFunction({ name: 'app', versions: { '3': { state: 'Deactivated' } } });
  const result = await cancelAfter('GetFunction', { 'min-execution-environments': '2', 'max-execution-environments': '4', restore: 'true' }, 2);
  expect(result.errors.map((e) => e.message)).toEqual([
    'The job was cancelled while scaling app:3. The last state seen was Pending. The config 2/4 put before the cancel stays put: Lambda goes on applying it until the post step (restore: true) puts the previous config (0/0) back.' + LINK,
  ]);
});

it('with the config already in effect: says nothing was changed', async () => {
  emu.addFunction({ name: 'app', versions: { '3': { state: 'Pending', lastUpdateInProgressMs: 120_000, applied: { min: 2, max: 4 } } } });
  const result = await cancelAfter('GetFunction', { 'min-execution-environments': '2', 'max-execution-environments': '4' }, 2);
  expect(result.errors).toEqual([
    { title: 'Cancelled: app:3', message: 'The job was cancelled while scaling app:3. The last state seen was Pending. Its config was already in effect; nothing was changed.' + LINK },
  ]);
});

it('during the put: says to check the version, as the put may or may not have landed', async () => {
  emu.addFunction({ name: 'app', versions: { '3': {} } });
  emu.fault({ operation: 'PutFunctionScalingConfig', kind: 'hang' });
  const result = await cancelAfter('PutFunctionScalingConfig', { 'min-execution-environments': '2', 'max-execution-environments': '4' });
  expect(result.errors).toEqual([
    {
      title: 'Cancelled: app:3',
      message:
        'The job was cancelled while scaling app:3. No state had been seen yet. The cancel came before or during the put of 2/4: check the version with aws lambda get-function-scaling-config.' + LINK,
    },
  ]);
});

it.each(['GetAlias', 'GetFunctionScalingConfig', 'PutFunctionScalingConfig', 'GetFunction'] as const)('cuts a hung %s at once, not at its 5-s timeout', async (operation) => {
  emu.addFunction({ name: 'app', versions: { '3': { state: 'Deactivated' } }, aliases: { live: { version: '3' } } });
  emu.fault({ operation, kind: 'hang' });
  const controller = new AbortController();
  const running = runFlow(emu.url, { 'function-name': 'app', qualifier: 'live', 'min-execution-environments': '2', 'max-execution-environments': '4' }, { clock, signal: controller.signal });
  while (!emu.requests.some((r) => r.operation === operation)) await new Promise((resolve) => setTimeout(resolve, 2));
  // Real time: the request hangs on a real socket. A cancel must cut it at once (the runner kills the
  // step soon after); 2 s is headroom for a busy machine, well below the request's own 5-s timeout.
  const cancelledAt = Date.now();
  controller.abort(new Cancelled('SIGINT'));
  const result = await running;
  expect(Date.now() - cancelledAt).toBeLessThan(2000);
  expect(result.errors.map((e) => e.title)).toEqual([expect.stringMatching(/^Cancelled: app:(live|3 \(live\))$/)]);
});
