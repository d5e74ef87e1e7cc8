// Lambda's account-wide request quotas (AWS Lambda quotas page): every control-plane operation draws on one
// budget per second per account and region; GetFunction has a budget of its own, and so do capacity-provider
// reads (Managed Instances quotas page: per account; played here per region, as the rest).
//
// A sliding one-second window, counting the requests admitted: never more than the limit in ANY second,
// however the seconds are cut. A fixed window would let twice the limit through across a boundary and a
// token bucket would allow a burst after calm; both would flatter a client. Throttled requests do not use
// the budget, so a client that backs off gets in as soon as the window frees.
import type { OperationName } from './wire.js';

export interface QuotaLimits {
  /** All control-plane operations together (everything but GetFunction). */
  controlPlanePerSecond: number;
  getFunctionPerSecond: number;
  /** GetCapacityProvider and ListFunctionVersionsByCapacityProvider together. */
  capacityProviderReadsPerSecond: number;
}

export const LAMBDA_QUOTA: QuotaLimits = { controlPlanePerSecond: 15, getFunctionPerSecond: 100, capacityProviderReadsPerSecond: 15 };

type Budget = 'controlPlane' | 'getFunction' | 'capacityProviderReads';

function budgetOf(operation: OperationName): Budget {
  if (operation === 'GetFunction') return 'getFunction';
  if (operation === 'GetCapacityProvider' || operation === 'ListFunctionVersionsByCapacityProvider') return 'capacityProviderReads';
  return 'controlPlane';
}

const WINDOW_MS = 1000;

export class AccountQuota {
  private readonly admitted: Record<Budget, number[]> = { controlPlane: [], getFunction: [], capacityProviderReads: [] };

  constructor(private readonly limits: QuotaLimits) {}

  /** Admits the request (and counts it) or answers after how many whole seconds to retry. */
  admit(operation: OperationName, now: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const budget = budgetOf(operation);
    const limit = this.limits[`${budget}PerSecond`];
    const times = this.admitted[budget];
    while (times.length > 0 && times[0] <= now - WINDOW_MS) times.shift();
    if (times.length < limit) {
      times.push(now);
      return { ok: true };
    }
    // Lambda's Retry-After is in whole seconds: the oldest admitted request leaves the window within one.
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((times[0] + WINDOW_MS - now) / 1000)) };
  }
}
