import { afterConflict, deployFailed, isBusy, WATCH_INTERVAL_MS } from '../../src/put-decision.js';

const middle = () => 0.5;

describe('isBusy', () => {
  it('is busy while a deploy runs: LastUpdateStatus InProgress (an Active version republished) or State Pending (a new one)', () => {
    expect(isBusy({ state: 'Active', lastUpdateStatus: 'InProgress' })).toBe(true);
    expect(isBusy({ state: 'Pending', lastUpdateStatus: 'InProgress' })).toBe(true);
    expect(isBusy({ state: 'Pending' })).toBe(true);
    expect(isBusy({ state: 'Active', lastUpdateStatus: 'Successful' })).toBe(false);
    expect(isBusy({ state: 'Active', lastUpdateStatus: 'Failed' })).toBe(false);
    expect(isBusy({ state: 'Deactivated', lastUpdateStatus: 'Successful' })).toBe(false);
  });
});

describe('deployFailed', () => {
  it('is only a Failed state from a failed update', () => {
    expect(deployFailed({ state: 'Failed', lastUpdateStatus: 'Failed' })).toBe(true);
    expect(deployFailed({ state: 'Active', lastUpdateStatus: 'Failed' })).toBe(false);
    expect(deployFailed({ state: 'Failed', lastUpdateStatus: 'Successful' })).toBe(false);
  });
});

describe('afterConflict', () => {
  it('watches a busy version with GetFunction about once a second, however many 409s came before', () => {
    for (const conflicts of [0, 1, 5]) {
      expect(afterConflict({ state: 'Active', lastUpdateStatus: 'InProgress' }, conflicts, middle)).toEqual({ kind: 'watch', delayMs: WATCH_INTERVAL_MS });
    }
    expect(WATCH_INTERVAL_MS).toBeLessThanOrEqual(1000);
  });

  it('puts at once when the version is free and no put has met a 409 since it was seen free', () => {
    expect(afterConflict({ state: 'Active', lastUpdateStatus: 'Successful' }, 0, middle)).toEqual({ kind: 'put', delayMs: 0 });
    // A failed republish leaves the old code serving: the config can still be put.
    expect(afterConflict({ state: 'Active', lastUpdateStatus: 'Failed' }, 0, middle)).toEqual({ kind: 'put', delayMs: 0 });
  });

  it('backs off, doubling up to a cap, on 409s that GetFunction does not explain', () => {
    const free = { state: 'Active', lastUpdateStatus: 'Successful' };
    const delays = [1, 2, 3, 4, 5, 10].map((n) => afterConflict(free, n, middle));
    expect(delays.map((d) => d.kind)).toEqual(['put', 'put', 'put', 'put', 'put', 'put']);
    expect(delays.map((d) => (d.kind === 'put' ? d.delayMs : NaN))).toEqual([750, 1500, 3000, 6000, 6000, 6000]);
    const low = afterConflict(free, 1, () => 0);
    const high = afterConflict(free, 1, () => 1);
    expect([low, high]).toEqual([
      { kind: 'put', delayMs: 500 },
      { kind: 'put', delayMs: 1000 },
    ]);
  });

  it('gives up on a version that the deploy left Failed', () => {
    expect(afterConflict({ state: 'Failed', lastUpdateStatus: 'Failed', lastUpdateStatusReasonCode: 'FunctionError.InitError' }, 0, middle)).toEqual({ kind: 'deploy-failed' });
  });
});

describe('values the model does not list', () => {
  it('an unknown State or LastUpdateStatus is neither a running deploy nor a failed one: the put goes again', () => {
    for (const status of [{ state: 'Updating' }, { state: 'Active', lastUpdateStatus: 'Updating' }, { state: 'Failed', lastUpdateStatus: 'Creating' }, { state: 'Creating', lastUpdateStatus: 'Creating' }]) {
      expect(isBusy(status)).toBe(false);
      expect(deployFailed(status)).toBe(false);
      expect(afterConflict(status, 0, middle)).toEqual({ kind: 'put', delayMs: 0 });
    }
  });
});
