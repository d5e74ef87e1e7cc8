import { decide, failedIsFinal, failureMessage, isInEffect, lastUpdateMessage, STALE_FAILED_GRACE_MS, stateReasonHint, timeoutMessage } from '../../src/wait-decision.js';

const up = { min: 3, max: 10 };
const zero = { min: 0, max: 0 };

describe('decide', () => {
  it('waits while the state is not the goal, whatever the config says', () => {
    for (const state of ['Pending', 'Deactivating', 'Deactivated', 'Inactive', 'ActiveNonInvocable', undefined]) {
      expect(decide(up, state, { applied: up })).toEqual({ kind: 'wait' });
    }
    expect(decide(zero, 'Active', { applied: zero })).toEqual({ kind: 'wait' });
  });

  it('asks for the scaling config once the goal state is reached', () => {
    expect(decide(up, 'Active', undefined)).toEqual({ kind: 'check-scaling' });
    expect(decide(zero, 'Deactivated', undefined)).toEqual({ kind: 'check-scaling' });
  });

  it('is done only with the goal state and the goal config applied, nothing else pending', () => {
    expect(decide(up, 'Active', { applied: up })).toEqual({ kind: 'done' });
    expect(decide(zero, 'Deactivated', { applied: zero })).toEqual({ kind: 'done' });
    expect(decide(up, 'Active', { applied: { min: 3, max: 3 }, requested: up })).toEqual({ kind: 'wait' });
    expect(decide(up, 'Active', { applied: up, requested: { min: 5, max: 10 } })).toEqual({ kind: 'wait' });
    expect(decide(up, 'Active', { applied: undefined })).toEqual({ kind: 'wait' });
  });

  it('fails at once on Failed and Deleting', () => {
    expect(decide(up, 'Failed', undefined)).toEqual({ kind: 'failed' });
    expect(decide(zero, 'Deleting', { applied: zero })).toEqual({ kind: 'failed' });
  });

  it('waits on a Failed that may be stale, but not on Deleting', () => {
    expect(decide(up, 'Failed', undefined, false)).toEqual({ kind: 'wait' });
    expect(decide(up, 'Deleting', undefined, false)).toEqual({ kind: 'failed' });
  });
});

describe('decide after a deploy', () => {
  it('is not done while the last update is in progress, whatever the state and config say', () => {
    expect(decide(up, 'Active', { applied: up }, true, 'InProgress')).toEqual({ kind: 'deploying' });
    expect(decide(up, 'Active', undefined, true, 'InProgress')).toEqual({ kind: 'deploying' });
    expect(decide(up, 'Pending', undefined, true, 'InProgress')).toEqual({ kind: 'deploying' });
  });

  it('judges as usual once the last update has ended, failed or not', () => {
    expect(decide(up, 'Active', { applied: up }, true, 'Successful')).toEqual({ kind: 'done' });
    expect(decide(up, 'Active', { applied: up }, true, 'Failed')).toEqual({ kind: 'done' });
    expect(decide(up, 'Failed', undefined, true, 'Failed')).toEqual({ kind: 'failed' });
    expect(decide(up, 'Failed', undefined, true, 'InProgress')).toEqual({ kind: 'failed' });
  });
});

describe('lastUpdateMessage', () => {
  it('says whether the old code still serves, with the reason and the hint of its code', () => {
    const update = { status: 'Failed', reasonCode: 'FunctionError.InitTimeout', reason: 'Init timed out' };
    expect(lastUpdateMessage('app:1', 'Active', update)).toMatch(
      /^The last update of app:1 \(a deploy\) failed: FunctionError\.InitTimeout: Init timed out\. The version is still Active and serves the code from before that update.*\n.*init code/,
    );
    expect(lastUpdateMessage('app:1', 'Failed', { status: 'Failed', reasonCode: 'InsufficientCapacity' })).toMatch(/failed: InsufficientCapacity\. The version is Failed: it serves no code\.\nEC2 has no capacity/);
    expect(lastUpdateMessage('app:1', 'Active', { status: 'Failed' })).toMatch(/failed: no reason given\./);
  });

  it('says so when the state is not known, and ends there when the code has no hint', () => {
    expect(lastUpdateMessage('app:1', undefined, { status: 'Failed', reason: 'Stopped!' })).toBe(
      'The last update of app:1 (a deploy) failed: Stopped. The version is still in its earlier state and serves the code from before that update; its scaling config is reported as usual.',
    );
  });
});

describe('failedIsFinal', () => {
  const afterPut = { put: true, seenOtherState: false, waitedMs: 2000, msLeft: 600_000, pollIntervalMs: 1000 };

  it('lets a Failed read right after a put be the stale one from before it', () => {
    expect(failedIsFinal(afterPut)).toBe(false);
  });

  it('takes Failed as final without a put, once another state was seen, after the grace, or a poll before the deadline', () => {
    expect(failedIsFinal({ ...afterPut, put: false })).toBe(true);
    expect(failedIsFinal({ ...afterPut, seenOtherState: true })).toBe(true);
    expect(failedIsFinal({ ...afterPut, waitedMs: STALE_FAILED_GRACE_MS })).toBe(true);
    expect(failedIsFinal({ ...afterPut, msLeft: 1000 })).toBe(true);
  });
});

describe('isInEffect', () => {
  it('treats a Requested equal to Applied as settled, and a different one as pending', () => {
    expect(isInEffect(up, { applied: up, requested: up })).toBe(true);
    expect(isInEffect(up, { applied: up, requested: zero })).toBe(false);
    expect(isInEffect(up, { applied: zero })).toBe(false);
  });

  it('is not in effect when Lambda reported no applied config', () => {
    expect(isInEffect(up, {})).toBe(false);
    expect(isInEffect(up, { requested: up })).toBe(false);
  });
});

describe('messages', () => {
  it.each([
    ['InsufficientCapacity', /^EC2 has no capacity for the instance types.*more instance types or subnets/],
    ['VcpuLimitExceeded', /^The account's EC2 vCPU quota .*Service Quotas/],
    ['CapacityProviderScalingLimitExceeded', /^The capacity provider's maximum vCPU count is reached: raise its scaling limit/],
    ['EC2RequestLimitExceeded', /^EC2 throttled the instance launches/],
    ['FunctionError', /^The function code failed to start.*CloudWatch/],
    ['FunctionError.RuntimeInitError', /^The function code failed to start.*CloudWatch/],
  ])('gives %s its own hint', (code, hint) => {
    expect(stateReasonHint(code)).toMatch(hint);
  });

  it('gives no hint for other reason codes', () => {
    expect(stateReasonHint('InternalError')).toBeUndefined();
    expect(stateReasonHint(undefined)).toBeUndefined();
  });

  it('says what failed, with the reason and the hint', () => {
    expect(failureMessage('app:3', { state: 'Failed', stateReasonCode: 'EC2RequestLimitExceeded', stateReason: 'Throttled' })).toBe(
      'app:3 is Failed: EC2RequestLimitExceeded: Throttled.\nEC2 throttled the instance launches: retry later, and avoid scaling many versions of the account at once.',
    );
    expect(failureMessage('app:3', { state: 'Deleting' })).toBe('app:3 is Deleting: no reason given.');
  });

  it('names the last state, reason, and applied vs requested config on a timeout', () => {
    const message = timeoutMessage('app:3', 2.5, up, { state: 'Pending', stateReasonCode: 'Creating', stateReason: 'Starting', applied: zero, requested: up, put: true });
    expect(message).toMatch(/^app:3 did not reach Active with 3\/10 applied within wait-for-minutes \(2\.5\)\. Last state: Pending \(Creating: Starting\); applied 0\/0, requested 3\/10\.\n.*raise wait-for-minutes/);
    expect(timeoutMessage('app:3', 1, up, { state: 'Active', applied: zero, put: true })).toMatch(/applied 0\/0, no change pending\.\nThe change was put/);
    expect(timeoutMessage('app:3', 1, up, { put: true })).toMatch(/Last state: unknown; applied none, no change pending\./);
  });

  it('says when the last read-back was throttled: the config reported is older, and the quota is the cause', () => {
    const message = timeoutMessage('app:3', 1, up, { state: 'Active', applied: zero, requested: up, put: true, readBackThrottled: true });
    expect(message).toMatch(/\nThe change was put and Lambda may still finish it: .*\nThe last read-back of the config was throttled \(Lambda's quota .* is busy\), so the config above may be out of date: run fewer jobs at once \(max-parallel\), or scale many targets in one step\.$/);
    expect(timeoutMessage('app:3', 1, up, { state: 'Active', applied: zero, requested: up, put: true, readBackThrottled: false })).not.toMatch(/throttled/);
  });

  it('says nothing was put when nothing was', () => {
    expect(timeoutMessage('app:3', 1, up, { state: 'Pending', applied: up, put: false })).toMatch(/\nNothing was put: the config was already applied/);
  });

  it('names a deploy still in progress as the reason of a timeout, not the scaling', () => {
    const message = timeoutMessage('app:3', 1, up, { state: 'Active', applied: up, put: false, lastUpdateStatus: 'InProgress' });
    expect(message).toBe(
      'app:3: a deploy was still in progress (LastUpdateStatus InProgress) when wait-for-minutes (1) ran out, so the new code is not known to be live. Last state: Active; applied 3/10, no change pending.\nNothing was put. Raise wait-for-minutes, or check the deploy in the Lambda console.',
    );
    expect(timeoutMessage('app:3', 1, up, { state: 'Active', applied: up, put: true, lastUpdateStatus: 'InProgress' })).toMatch(/\n3\/10 was put and stays put\./);
  });
});

// AWS returns strings its model's enums do not list (`Creating`, `Updating` as LastUpdateStatusReasonCode):
// they are shown as they are, and decide nothing beyond what a known value would.
describe('values the model does not list', () => {
  const unknown = ['Creating', 'Updating', 'Scaling', 'active', 'InProgress ', 'constructor', ''];

  it('an unknown State waits: it is not the goal, nor Failed or Deleting', () => {
    for (const state of unknown) {
      expect(decide(up, state, { applied: up })).toEqual({ kind: 'wait' });
      expect(decide(up, state, { applied: up }, true, 'Successful')).toEqual({ kind: 'wait' });
    }
  });

  it('an unknown LastUpdateStatus is not a deploy in progress: the state and config decide', () => {
    for (const status of unknown) {
      expect(decide(up, 'Active', { applied: up }, true, status)).toEqual({ kind: 'done' });
      expect(decide(up, 'Failed', undefined, true, status)).toEqual({ kind: 'failed' });
    }
  });

  it('an unknown reason code has no hint, not even one that is a name of Object', () => {
    for (const code of [...unknown, 'toString', '__proto__', 'hasOwnProperty']) expect(stateReasonHint(code)).toBeUndefined();
  });

  it('an unknown reason code is shown as it is', () => {
    expect(failureMessage('app:1', { state: 'Failed', stateReasonCode: 'constructor', stateReason: 'Odd' })).toBe('app:1 is Failed: constructor: Odd.');
    expect(lastUpdateMessage('app:1', 'Active', { status: 'Failed', reasonCode: 'Updating', reason: 'The function is being updated.' })).toBe(
      'The last update of app:1 (a deploy) failed: Updating: The function is being updated. The version is still Active and serves the code from before that update; its scaling config is reported as usual.',
    );
    const timeout = timeoutMessage('app:1', 1, up, { state: 'Updating', stateReasonCode: 'Creating', applied: zero, put: true, lastUpdateStatus: 'Updating' });
    expect(timeout).toMatch(/^app:1 did not reach Active with 3\/10 applied within wait-for-minutes \(1\)\. Last state: Updating \(Creating\); .*\nThe change was put and Lambda may still finish it/);
  });
});
