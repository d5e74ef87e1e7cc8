/** Time as the action sees it: injected so tests can run minutes of waiting in milliseconds. */
export interface Clock {
  /** Milliseconds since the epoch, as Date.now(): the job summary's timeline shows these instants. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * A sleep that only watches time pass (the heartbeat's). Real time passes on its own; a simulated clock
   * moves on for the work's sleeps only, so this one must not make it jump ahead while a request is in flight.
   */
  sleepInBackground(ms: number, signal?: AbortSignal): Promise<void>;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export const realClock: Clock = { now: () => Date.now(), sleep, sleepInBackground: sleep };
