// Runs the bundled action (dist/index.js) against the embedded Lambda emulator, as the GitHub runner
// would: a dry run, a scale-up through an alias, then a scale to zero. Prints the log as the runner shows
// it (debug lines only with --debug, as with step debug logging), the outputs and the summary.
import { startEmulator } from '../test/emulator/server.js';
import { emulatorEnv } from '../test/support/aws-env.js';
import { NODE, runAction } from '../test/support/run-action.js';
import { runnerLog } from '../test/support/workflow-commands.js';

const debug = process.argv.includes('--debug');

const emu = await startEmulator({ timings: { activateMs: 4000, deactivateMs: 2500, resizeMs: 2000 } });
emu.addFunction({
  name: 'demo-fn',
  versions: { '1': { applied: { min: 3, max: 3 } }, '2': { state: 'Deactivated' } },
  aliases: { live: { version: '2', weights: { '1': 0.1 } } },
});

const steps: { title: string; inputs: Record<string, string> }[] = [
  { title: 'Preview (dry run): what scaling alias "live" to 2/8 would change', inputs: { qualifier: 'live', 'min-execution-environments': '2', 'max-execution-environments': '8', 'dry-run': 'true' } },
  { title: 'Scale up alias "live" (version 2, plus version 1 that gets 10% of the traffic) to 2/8', inputs: { qualifier: 'live', 'min-execution-environments': '2', 'max-execution-environments': '8' } },
  { title: 'Scale version 2 down to 0/0 (deactivate)', inputs: { qualifier: '2', 'min-execution-environments': '0', 'max-execution-environments': '0' } },
];

let failed = false;
try {
  console.log(`Lambda emulator at ${emu.url}; running dist/index.js with ${NODE}${debug ? '' : ' (npm run demo -- --debug shows the debug lines)'}\n`);
  for (const step of steps) {
    console.log(`\n━━━ ${step.title} ━━━\n`);
    // The runner sets RUNNER_DEBUG for step debug logging.
    const run = await runAction({ 'function-name': 'demo-fn', ...step.inputs }, { ...emulatorEnv(emu.url), ...(debug ? { RUNNER_DEBUG: '1' } : {}) });
    console.log(`── log${debug ? ' (with debug lines)' : ''} ──`);
    process.stdout.write(runnerLog(run.stdout, { debug, color: !!process.stdout.isTTY }));
    process.stderr.write(run.stderr);
    console.log(`── exit code ${run.code} ──`);
    console.log('── outputs ──');
    for (const [name, value] of Object.entries(run.outputs)) console.log(`${name}=${value}`);
    console.log('── job summary ──');
    console.log(run.summary);
    failed ||= run.code !== 0;
  }
} finally {
  await emu.close();
}
process.exitCode = failed ? 1 : 0;
