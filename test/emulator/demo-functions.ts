import type { Emulator } from './server.js';

/** The demo data of `npm run emulator` and `npm run local`: one Managed Instances function, one plain. */
export function addDemoFunctions(emulator: Emulator): void {
  emulator.addFunction({
    name: 'demo-fn',
    versions: { '1': {}, '2': {}, '$LATEST.PUBLISHED': {} },
    aliases: { live: { version: '2', weights: { '1': 0.1 } }, prod: { version: '2' } },
  });
  emulator.addFunction({ name: 'plain-fn', capacityProvider: false, versions: { '1': {} } });
}
