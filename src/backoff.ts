/** Exponential backoff with equal jitter: half the step is fixed, half random, so retries spread out. */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const step = Math.min(capMs, baseMs * 2 ** attempt);
  return step / 2 + random() * (step / 2);
}
