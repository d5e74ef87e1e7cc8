import { jest } from '@jest/globals';

// @actions/core replaced by a recorder, to see when it is loaded and in which order calls reach it.
const calls: string[] = [];
let loads = 0;
jest.unstable_mockModule('@actions/core', () => {
  loads++;
  const record = (name: string) => (...args: unknown[]) => void calls.push(`${name} ${args.map((a) => JSON.stringify(a)).join(' ')}`);
  return {
    setOutput: record('setOutput'),
    info: (message: string) => {
      if (message === 'unwritable') throw new Error('stdout closed');
      calls.push(`info ${JSON.stringify(message)}`);
    },
    debug: record('debug'),
    saveState: record('saveState'),
    error: record('error'),
    warning: record('warning'),
    notice: record('notice'),
    startGroup: record('startGroup'),
    endGroup: record('endGroup'),
    summary: {
      addRaw: (markdown: string) => ({
        write: async () => {
          if (markdown === 'fail') throw new Error('summary file not writable');
          calls.push(`summary ${markdown}`);
        },
      }),
    },
  };
});
const { coreIO } = await import('../../src/core-io.js');

beforeEach(() => {
  calls.length = 0;
});

describe('coreIO', () => {
  it('does not load @actions/core to open a group, and keeps the order of calls once loaded', async () => {
    const io = coreIO({ GITHUB_STEP_SUMMARY: '/tmp/summary' });
    let inGroup = false;
    const grouped = io.group('Apply 1/2', async () => {
      inGroup = true;
      await new Promise((resolve) => setImmediate(resolve));
      expect(loads).toBe(0);
      io.debug('GetFunctionScalingConfig: HTTP 200');
      io.info('app:1: 1/1 → 1/2 put');
    });
    expect(inGroup).toBe(true);
    await grouped;
    io.setOutput('changed', 'true');
    io.error({ title: 'T', message: 'M' });
    io.warning({ title: 'W', message: 'N' });
    io.notice({ title: 'C', message: 'K' });
    await io.writeSummary('# S');
    await io.flush();
    expect(loads).toBe(1);
    expect(calls).toEqual([
      'startGroup "Apply 1/2"',
      'debug "GetFunctionScalingConfig: HTTP 200"',
      'info "app:1: 1/1 → 1/2 put"',
      'endGroup ',
      'setOutput "changed" "true"',
      'error "M" {"title":"T"}',
      'warning "N" {"title":"W"}',
      'notice "K" {"title":"C"}',
      'summary # S',
    ]);
  });

  it('reports a failed summary to its caller and goes on with later calls', async () => {
    const io = coreIO({ GITHUB_STEP_SUMMARY: '/tmp/summary' });
    await expect(io.writeSummary('fail')).rejects.toThrow('summary file not writable');
    io.info('after');
    await io.flush();
    expect(calls).toEqual(['info "after"']);
  });

  it('shows a log line without waiting for a later call to load @actions/core', async () => {
    const io = coreIO({});
    io.info('now');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toEqual(['info "now"']);
  });

  it('writes a log line that cannot be logged to stderr, and goes on', async () => {
    const written: string[] = [];
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
    try {
      const io = coreIO({});
      io.info('unwritable');
      io.info('after');
      await io.flush();
      expect(written).toEqual(['Error: stdout closed\n']);
      expect(calls).toEqual(['info "after"']);
    } finally {
      write.mockRestore();
    }
  });

  it('saves state without loading @actions/core, and writes it in order once it loads', async () => {
    const io = coreIO({});
    io.saveState('isPost', 'true');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toEqual([]);
    io.info('first request answered');
    io.saveState('put1', '{}');
    await io.flush();
    expect(calls).toEqual(['saveState "isPost" "true"', 'info "first request answered"', 'saveState "put1" "{}"']);
  });

  it('writes no summary outside a runner', async () => {
    const io = coreIO({});
    await io.writeSummary('# S');
    expect(calls).toEqual([]);
  });
});
