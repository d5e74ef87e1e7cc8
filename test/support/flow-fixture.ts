import { startEmulator, type Emulator, type Timings } from '../emulator/server.js';
import { runFlow } from './flow.js';
import { virtualClock } from './virtual-clock.js';

/**
 * A fresh emulator on a fresh virtual clock for every test of the calling file, and a shortcut that
 * scales `app`: read `emu` and `clock` inside the tests, after beforeEach has set them.
 */
export function emulatorPerTest(timings: Partial<Timings>) {
  const fixture = {
    emu: undefined as unknown as Emulator,
    clock: virtualClock(),
    scale: (qualifier: string, min: number, max: number, extra: Record<string, string> = {}) =>
      runFlow(fixture.emu.url, { 'function-name': 'app', qualifier, 'min-execution-environments': String(min), 'max-execution-environments': String(max), ...extra }, { clock: fixture.clock }),
    ops: () => fixture.emu.requests.map((r) => r.operation),
  };
  beforeEach(async () => {
    fixture.clock = virtualClock();
    fixture.emu = await startEmulator({ now: fixture.clock.now, timings });
  });
  afterEach(() => fixture.emu.close());
  return fixture;
}
