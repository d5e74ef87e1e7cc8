import type * as Core from '@actions/core';
import type { ActionIO } from './run.js';

type CoreModule = typeof Core;

/**
 * ActionIO over @actions/core, loaded after the first request rather than at start-up: @actions/core
 * also loads an HTTP client (undici, for OIDC tokens this action never asks for) that would delay the
 * first request by tens of milliseconds. Calls are queued and reach @actions/core in the order made;
 * opening a group does not load it (a group opens just before the first request), anything else does.
 */
export function coreIO(env: Record<string, string | undefined>): ActionIO & { flush(): Promise<void> } {
  let startLoading: ((core: Promise<CoreModule>) => void) | undefined;
  const core = new Promise<CoreModule>((resolve) => (startLoading = resolve));
  const load = () => {
    startLoading?.(import('@actions/core'));
    startLoading = undefined;
  };
  let queue: Promise<unknown> = Promise.resolve();
  const later = (call: (core: CoreModule) => unknown, loadNow = true): Promise<void> => {
    if (loadNow) load();
    const done = queue.then(async () => void (await call(await core)));
    // One failed call must not silence the ones after it; its caller still sees the failure.
    queue = done.catch(() => undefined);
    return done;
  };
  // A log line that cannot be written has nowhere better to go than stderr.
  const log = (call: (core: CoreModule) => unknown, loadNow = true) =>
    void later(call, loadNow).catch((error: unknown) => process.stderr.write(`${String(error)}\n`));
  return {
    // The runner's contract, as core.getInput reads it (a test holds the two equal): INPUT_<NAME>, trimmed.
    getInput: (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim(),
    setOutput: (name, value) => log((c) => c.setOutput(name, value)),
    info: (message) => log((c) => c.info(message)),
    debug: (message) => log((c) => c.debug(message)),
    error: ({ title, message, file, line, column }) => log((c) => c.error(message, { title, file, startLine: line, startColumn: column })),
    warning: ({ title, message }) => log((c) => c.warning(message, { title })),
    notice: ({ title, message }) => log((c) => c.notice(message, { title })),
    group: async (name, fn) => {
      log((c) => c.startGroup(name), false);
      try {
        return await fn();
      } finally {
        log((c) => c.endGroup());
      }
    },
    // Not a reason to load @actions/core (the main step saves isPost before its first request): the state
    // is written once it loads, just after the first request, and flush() at the latest.
    saveState: (name, value) => log((c) => c.saveState(name, value), false),
    // As core.getState reads it (a test holds the two equal): STATE_<name>, set by the runner for the post step.
    getState: (name) => env[`STATE_${name}`] ?? '',
    // Outside a runner (or with summaries disabled) there is no file to write to.
    writeSummary: (markdown) => later((c) => (env.GITHUB_STEP_SUMMARY ? c.summary.addRaw(markdown).write() : undefined)),
    flush: () => later(() => undefined),
  };
}
