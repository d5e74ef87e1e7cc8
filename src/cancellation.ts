/**
 * The runner cancels a job with SIGINT, then SIGTERM. Imported first by index.ts, so the handlers are in
 * place before the AWS SDK loads: a signal then aborts the run, which reports what it saw, instead of
 * killing the process with nothing said. A second signal changes nothing: the report is on its way.
 */
export class Cancelled extends Error {
  constructor(readonly signalName: NodeJS.Signals) {
    super(`cancelled by ${signalName}`);
    this.name = 'Cancelled';
  }
}

const controller = new AbortController();
for (const signalName of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signalName, () => {
    if (!controller.signal.aborted) controller.abort(new Cancelled(signalName));
  });
}

export const cancellation: AbortSignal = controller.signal;
