import * as core from '@actions/core';
import { context } from '@actions/github';
import { realClock } from './clock.js';
import { run, type ActionIO } from './run.js';
import { runLinks } from './run-links.js';

const io: ActionIO = {
  getInput: (name) => core.getInput(name),
  setOutput: (name, value) => core.setOutput(name, value),
  info: (message) => core.info(message),
  debug: (message) => core.debug(message),
  error: ({ title, message }) => core.error(message, { title }),
  group: (name, fn) => core.group(name, fn),
  writeSummary: async (markdown) => {
    // Outside a runner (or with summaries disabled) there is no file to write to.
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown).write();
  },
};

// The runner cancels a job with SIGINT, then SIGTERM: stop promptly and report what was seen.
const cancel = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    core.info(`Received ${signal}: stopping.`);
    cancel.abort(new Error(`cancelled by ${signal}`));
  });
}

try {
  const ok = await run(io, { env: process.env, clock: realClock, signal: cancel.signal, summaryLinks: runLinks(context) });
  if (!ok) process.exitCode = 1;
} catch (error) {
  // A bug of the action's own: say so plainly; the stack is for a debug run and a bug report.
  if (error instanceof Error && error.stack) core.debug(error.stack);
  core.error(`The action failed unexpectedly: ${error instanceof Error ? error.message : String(error)}. Please report it with a debug log.`, { title: 'Unexpected error' });
  process.exitCode = 1;
}
