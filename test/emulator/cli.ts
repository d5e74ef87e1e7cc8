// Runs the emulator with demo data: npx tsx test/emulator/cli.ts [--port N]
import { parseArgs } from 'node:util';
import { addDemoFunctions } from './demo-functions.js';
import { startEmulator } from './server.js';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid --port: ${values.port}`);
  process.exit(2);
}

const emulator = await startEmulator({ port, log: (line) => console.log(line) });
addDemoFunctions(emulator);
console.log(`Lambda emulator listening on ${emulator.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void emulator.close().then(() => process.exit(0)));
}
