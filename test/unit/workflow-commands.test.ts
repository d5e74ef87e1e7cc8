import { parseWorkflowCommand, runnerLog } from '../support/workflow-commands.js';

describe('parseWorkflowCommand', () => {
  it('reads the command, its properties and its message', () => {
    expect(parseWorkflowCommand('::error title=Version Failed%3A app%2C 2,file=a.ts,line=3::It failed.%0AFix it.')).toEqual({
      command: 'error',
      properties: { title: 'Version Failed: app, 2', file: 'a.ts', line: '3' },
      message: 'It failed.\nFix it.',
    });
    expect(parseWorkflowCommand('::group::Resolve aliases')).toEqual({ command: 'group', properties: {}, message: 'Resolve aliases' });
    expect(parseWorkflowCommand('::endgroup::')).toEqual({ command: 'endgroup', properties: {}, message: '' });
  });

  it('unescapes in one pass: an escaped % stays a %, and a message keeps its : and ,', () => {
    expect(parseWorkflowCommand('::debug::100%25 done%250A, a%3Ab%2Cc%0D%0A')?.message).toBe('100% done%0A, a%3Ab%2Cc\r\n');
    expect(parseWorkflowCommand('::warning title=a%250Ab::m')?.properties.title).toBe('a%0Ab');
    expect(parseWorkflowCommand('::notice title=x%0ay::m')?.properties.title).toBe('x\ny');
  });

  it('keeps :: in the message, and reads a command after leading blanks', () => {
    expect(parseWorkflowCommand('  ::notice::a::b')).toEqual({ command: 'notice', properties: {}, message: 'a::b' });
  });

  it('finds no command in an ordinary line', () => {
    for (const line of ['app:2 (live): Active at 4.2 s', ':: nothing', '::no end', '::::', 'x ::debug::y']) expect(parseWorkflowCommand(line)).toBeUndefined();
  });

  it('skips a property without a name or a value sign', () => {
    expect(parseWorkflowCommand('::error =x,title=T,junk::m')?.properties).toEqual({ title: 'T' });
  });
});

describe('runnerLog', () => {
  const stdout = [
    'Scaling app:2',
    '::debug::GetFunction 200 req-1',
    '::group::Wait until in effect',
    'app:2: Pending at 0.3 s',
    '::endgroup::',
    '::warning title=Last update failed%3A app:2::The last update failed.%0AHint.',
    '::error title=Version Failed::app:2 is Failed.',
    '::notice::Done',
    '',
  ].join('\n');

  it('hides debug lines, shows groups as headings with their lines indented, and marks annotations with their title', () => {
    expect(runnerLog(stdout, { debug: false, color: false })).toBe(
      [
        'Scaling app:2',
        '▼ Wait until in effect',
        '  app:2: Pending at 0.3 s',
        'Warning: Last update failed: app:2: The last update failed.',
        '  Hint.',
        'Error: Version Failed: app:2 is Failed.',
        'Notice: Done',
        '',
      ].join('\n'),
    );
  });

  it('shows debug lines when asked', () => {
    expect(runnerLog(stdout, { debug: true, color: false })).toContain('Scaling app:2\n[debug] GetFunction 200 req-1\n▼ Wait');
  });

  it('colours annotations for a terminal', () => {
    expect(runnerLog('::error::bad\n', { debug: false, color: true })).toBe('\u001b[31mError: bad\u001b[39m\n');
  });

  it('says where an annotation points, and indents one within a group', () => {
    expect(runnerLog('::group::g\n::error file=src/a.ts,line=7::bad\n', { debug: false, color: false })).toBe('▼ g\n  Error (src/a.ts:7): bad\n');
  });

  it('masks values, prints what stop-commands stops as it is, and resumes at its token', () => {
    const log = runnerLog('::add-mask::s3cr3t\nkey s3cr3t\n::stop-commands::tok\n::debug::shown\n::tok::\n::debug::hidden\n', { debug: false, color: false });
    expect(log).toBe('key ***\n::debug::shown\n');
  });

  it('prints a command it does not carry out as it is', () => {
    expect(runnerLog('::set-output name=a::b\n', { debug: false, color: false })).toBe('::set-output name=a::b\n');
  });
});
