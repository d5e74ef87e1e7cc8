import { BEAT_INTERVAL_MS, duration, heartbeatLine, withHeartbeat } from '../../src/heartbeat.js';
import type { TargetProgress } from '../../src/scale-target.js';
import { virtualClock } from '../support/virtual-clock.js';

const START = 1_000_000;
const goal = { min: 2, max: 5 };
const at = (waitedMs: number, budgetMs = 15 * 60_000) => ({ now: START + waitedMs, startedAt: START, deadline: START + budgetMs, wait: true });

const target = (name: string, extra: Partial<TargetProgress> = {}): TargetProgress => ({
  target: { fn: { name, key: name }, version: '4', region: 'us-east-1', via: ['4'], primary: true, goal },
  label: `${name}:4`,
  states: [],
  ...extra,
});
const pending = (name: string, sinceMs = 200) =>
  target(name, {
    changed: true,
    applied: { min: 0, max: 0 },
    requested: goal,
    state: 'Pending',
    stateReasonCode: 'Creating',
    stateReason: 'The function version is being activated.',
    states: [{ state: 'Pending', atMs: sinceMs }],
  });
const converging = (name: string) => target(name, { changed: true, applied: { min: 3, max: 3 }, requested: goal, state: 'Active', states: [{ state: 'Active', atMs: 300 }] });
const done = (name: string) => target(name, { changed: true, applied: goal, state: 'Active', states: [{ state: 'Pending', atMs: 200 }, { state: 'Active', atMs: 9000 }] });
const notPut = (name: string) => target(name, { applied: { min: 3, max: 3 } });
const failed = (name: string) => target(name, { changed: true, state: 'Failed', error: { title: 'Version Failed', message: 'x' } });

describe('heartbeatLine for one target', () => {
  it('says how long it waited, the state and reason, applied and requested config, and the time left', () => {
    const p = pending('app');
    p.label = 'app:4 (live)';
    expect(heartbeatLine([p], at(90_000))).toBe(
      'app:4 (live): still Pending after 1m 30s (Creating: The function version is being activated.); applied 0/0, requested 2/5; 13m 30s left',
    );
  });

  it('says when an Active version is still converging to the requested config', () => {
    expect(heartbeatLine([converging('app')], at(45_000))).toBe('app:4: still Active, applying 2/5 after 45s; applied 3/3; 14m 15s left');
  });

  it('says when the config is not put yet (the version is busy with a deploy)', () => {
    expect(heartbeatLine([notPut('app')], at(30_000))).toBe('app:4: still waiting to put 2/5 after 30s; applied 3/3; 14m 30s left');
  });

  it('without a wait, counts a target as done once its chain has ended, converging or not', () => {
    const put = { ...converging('c0'), waitedMs: 400 };
    const line = heartbeatLine([put, notPut('n0')], { ...at(30_000), wait: false });
    expect(line).toBe('1 of 2 done; 1 waiting to put the config; slowest n0:4 is waiting to put 2/5: applied 3/3; 14m 30s left');
  });

  it('says when a deploy is still updating the version, before anything else', () => {
    const deploying = target('app', { state: 'Active', applied: { min: 3, max: 3 }, lastUpdate: { status: 'InProgress' } });
    expect(heartbeatLine([deploying], at(30_000))).toBe('app:4: still Active with a deploy still in progress after 30s; applied 3/3, requested 2/5; 14m 30s left');
    // Even with the goal already applied, a deploy in progress is not in effect.
    expect(heartbeatLine([{ ...done('app'), lastUpdate: { status: 'InProgress' } }], at(30_000))).toMatch(/with a deploy still in progress/);
  });

  it('says when no state has been read yet since the put (its reads keep failing, say)', () => {
    expect(heartbeatLine([target('app', { changed: true, applied: { min: 0, max: 0 } })], at(30_000))).toBe(
      'app:4: still waiting for a first state after 30s; applied 0/0, requested 2/5; 14m 30s left',
    );
  });

  it('is silent once the target is in effect, as the wait decides it, or has failed', () => {
    expect(heartbeatLine([done('app')], at(30_000))).toBeUndefined();
    expect(heartbeatLine([failed('app')], at(30_000))).toBeUndefined();
    // Active with the goal applied but another config still pending is not in effect.
    expect(heartbeatLine([target('app', { changed: true, state: 'Active', applied: goal, requested: { min: 1, max: 1 } })], at(30_000))).toMatch(/still Active, applying/);
  });
});

/** `12 of 50 in effect; 30 Pending, 8 Active …; …`: the in-effect count and the groups make the total. */
function countsAddUp(line: string): boolean {
  const [, inEffect, total, groups] = /^(\d+) of (\d+) in effect; ([^;]+);/.exec(line)!;
  const rest = groups.split(', ').map((group) => Number(/^(\d+) /.exec(group)![1]));
  return Number(inEffect) + rest.reduce((a, b) => a + b, 0) === Number(total);
}

describe('heartbeatLine with values the model does not list', () => {
  it('shows an unknown State as it is, and takes an unknown LastUpdateStatus for no deploy', () => {
    const odd = target('app', { changed: true, applied: { min: 3, max: 3 }, state: 'Updating', stateReasonCode: 'Creating', lastUpdate: { status: 'Updating', reasonCode: 'Updating' }, states: [{ state: 'Updating', atMs: 100 }] });
    expect(heartbeatLine([odd], at(60_000))).toBe('app:4: still Updating after 1m (Creating); applied 3/3, requested 2/5; 14m left');
    expect(heartbeatLine([odd, pending('web')], at(60_000))).toBe('0 of 2 in effect; 1 Updating, 1 Pending; slowest app:4 is Updating: applied 3/3, requested 2/5; 14m left');
  });
});

describe('heartbeatLine for many targets', () => {
  it('is one line: how many are in effect and the rest grouped by state, counts adding up', () => {
    const targets = [
      ...Array.from({ length: 12 }, (_, i) => done(`d${i}`)),
      ...Array.from({ length: 30 }, (_, i) => pending(`p${i}`)),
      ...Array.from({ length: 8 }, (_, i) => converging(`c${i}`)),
    ];
    const line = heartbeatLine(targets, at(120_000))!;
    expect(line).toBe('12 of 50 in effect; 30 Pending, 8 Active with the config converging; 13m left');
    expect(line).not.toContain('\n');
    expect(countsAddUp(line)).toBe(true);
  });

  it('counts failed targets apart, and targets not yet put first', () => {
    const line = heartbeatLine([done('a'), pending('b'), notPut('c'), notPut('d'), failed('e'), pending('f'), pending('g'), converging('h')], at(60_000))!;
    expect(line).toBe('1 of 8 in effect; 2 waiting to put the config, 3 Pending, 1 Active with the config converging, 1 failed; 14m left');
    expect(countsAddUp(line)).toBe(true);
    const noStateYet = target('s', { changed: true });
    expect(heartbeatLine([done('a'), noStateYet, pending('b'), pending('c'), pending('d')], at(60_000))).toBe('1 of 5 in effect; 1 waiting for a first state, 3 Pending; 14m left');
  });

  it('names the slowest once only a few are left: the least far along, then the longest in its state', () => {
    const many = [done('a'), done('b'), pending('c'), pending('d'), converging('e'), pending('f')];
    expect(heartbeatLine(many, at(60_000))).not.toContain('slowest');
    const few = [done('a'), done('b'), pending('c', 5000), converging('e'), pending('f', 2000)];
    expect(heartbeatLine(few, at(60_000))).toBe('2 of 5 in effect; 2 Pending, 1 Active with the config converging; slowest f:4 is Pending: applied 0/0, requested 2/5; 14m left');
    expect(heartbeatLine([done('a'), converging('e'), notPut('n')], at(60_000))).toContain('slowest n:4 is waiting to put 2/5: applied 3/3');
    expect(heartbeatLine([done('a'), converging('e')], at(60_000))).toContain('slowest e:4 is Active, applying 2/5: applied 3/3');
  });

  it('speaks of each target with its own config, and counts one in effect with its own config as done', () => {
    const own = (p: TargetProgress, goal: { min: number; max: number | null }) => ({ ...p, target: { ...p.target, goal } });
    const noMax = own(target('w', { changed: true, applied: { min: 3, max: null }, requested: { min: 1, max: null }, state: 'Active', states: [{ state: 'Active', atMs: 300 }] }), { min: 1, max: null });
    const atGoal = own(target('d', { changed: true, applied: { min: 2, max: 4 }, state: 'Active', states: [{ state: 'Active', atMs: 300 }] }), { min: 2, max: 4 });
    const reachedOwn = own(target('z', { changed: true, applied: { min: 0, max: 0 }, state: 'Deactivated' }), { min: 0, max: 0 });
    expect(heartbeatLine([noMax, atGoal, reachedOwn], at(60_000))).toBe(
      '2 of 3 in effect; 1 Active with the config converging; slowest w:4 is Active, applying 1/no max: applied 3/no max; 14m left',
    );
    expect(heartbeatLine([noMax], at(60_000))).toBe('w:4: still Active, applying 1/no max after 1m; applied 3/no max; 14m left');
  });

  it('picks the slowest by stage first, then by time in its state, then the first listed, wherever it is in the list', () => {
    const slowest = (targets: TargetProgress[]) => /slowest (\w+):/.exec(heartbeatLine(targets, at(60_000))!)![1];
    expect(slowest([notPut('n'), converging('e'), done('a')])).toBe('n');
    // Pending is further from done than converging, however long the converging one has been waiting.
    expect(slowest([pending('p', 5000), converging('e')])).toBe('p');
    expect(slowest([pending('c', 2000), pending('f', 5000)])).toBe('c');
    expect(slowest([pending('c', 2000), pending('f', 2000)])).toBe('c');
    // No state seen yet counts as waiting since the start.
    expect(slowest([notPut('m'), notPut('n')])).toBe('m');
  });

  it('is silent when none is left waiting', () => {
    expect(heartbeatLine([done('a'), failed('b')], at(60_000))).toBeUndefined();
  });
});

describe('duration', () => {
  it.each([
    [0, '0s'],
    [45_400, '45s'],
    [90_000, '1m 30s'],
    [13 * 60_000, '13m'],
    [3_905_000, '1h 5m 5s'],
    [-5_000, '0s'],
  ])('%d ms is %s', (ms, text) => expect(duration(ms)).toBe(text));
});

describe('withHeartbeat', () => {
  it('beats every interval while the work runs, and stops the moment it ends', async () => {
    const clock = virtualClock(0);
    const beats: number[] = [];
    const work = clock.sleep(100_000).then(() => 'result');
    const result = await withHeartbeat(clock, new AbortController().signal, () => beats.push(clock.now()), () => 'beat', work);
    expect(result).toBe('result');
    expect(beats).toEqual([BEAT_INTERVAL_MS, 2 * BEAT_INTERVAL_MS, 3 * BEAT_INTERVAL_MS]);
    // Nothing left behind: time that passes later brings no beat.
    await clock.sleep(10 * BEAT_INTERVAL_MS);
    expect(beats).toHaveLength(3);
  });

  it('does not beat when the work ends sooner, or when the line has nothing to say', async () => {
    const clock = virtualClock(0);
    const logged: string[] = [];
    await withHeartbeat(clock, new AbortController().signal, (m) => logged.push(m), () => 'beat', clock.sleep(BEAT_INTERVAL_MS - 1));
    await withHeartbeat(clock, new AbortController().signal, (m) => logged.push(m), () => undefined, clock.sleep(3 * BEAT_INTERVAL_MS));
    await clock.sleep(3 * BEAT_INTERVAL_MS);
    // Strict: toEqual would take [undefined] for [].
    expect(logged).toStrictEqual([]);
  });

  it('stops on cancellation, even while the work goes on', async () => {
    const clock = virtualClock(0);
    const cancel = new AbortController();
    const beats: number[] = [];
    void clock.sleep(40_000).then(() => cancel.abort());
    await withHeartbeat(clock, cancel.signal, () => beats.push(clock.now()), () => 'beat', clock.sleep(100_000));
    expect(beats).toEqual([BEAT_INTERVAL_MS]);
  });

  it('passes the work’s failure on', async () => {
    const clock = virtualClock(0);
    const work = clock.sleep(1000).then(() => Promise.reject(new Error('boom')));
    await expect(withHeartbeat(clock, new AbortController().signal, () => undefined, () => 'beat', work)).rejects.toThrow('boom');
  });
});
