import { parseInputs, type InputReader, type Inputs } from '../../src/inputs.js';
import { functionId, InputError } from '../../src/input-values.js';
import { parseScalingSpec } from '../../src/scaling-spec.js';

/** What the single-config inputs asked for: each function and qualifier once, in order. */
const functionsOf = (inputs: Inputs) => [...new Map(inputs.targets.map((t) => [functionId(t.fn), t.fn])).values()];
const qualifiersOf = (inputs: Inputs) => [...new Set(inputs.targets.map((t) => t.qualifier))];
const regionOf = (inputs: Inputs) => {
  expect(inputs.regions).toHaveLength(1);
  return inputs.regions[0];
};

const valid: Record<string, string> = {
  'function-name': 'my-function',
  qualifier: '7',
  'min-execution-environments': '3',
  'max-execution-environments': '10',
  wait: 'true',
  'dry-run': 'false',
  'wait-for-minutes': '15',
  region: '',
  restore: 'false',
};
const env = { AWS_REGION: 'us-east-1' };

function reader(overrides: Record<string, string>): InputReader {
  const values = { ...valid, ...overrides };
  return (name) => values[name] ?? '';
}

function refusal(overrides: Record<string, string>, environment: Record<string, string | undefined> = env): InputError {
  try {
    parseInputs(reader(overrides), environment);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(overrides)}`);
}

describe('parseInputs', () => {
  it('parses a valid set of inputs', () => {
    expect(parseInputs(reader({}), env)).toEqual({
      targets: [{ fn: { name: 'my-function', key: 'my-function', region: undefined, account: undefined }, qualifier: '7', goal: { min: 3, max: 10 }, region: 'us-east-1' }],
      wait: true,
      dryRun: false,
      budgetMs: 15 * 60_000,
      regions: ['us-east-1'],
      restore: false,
    });
  });

  it('trims surrounding white space in valid values', () => {
    const inputs = parseInputs(
      reader({ 'function-name': '  my-function \n', qualifier: ' live ', 'min-execution-environments': ' 0 ', 'max-execution-environments': '\t0 ', wait: ' false ', 'wait-for-minutes': ' 2.5 ', region: ' eu-west-1 ' }),
      {},
    );
    expect(inputs).toMatchObject({ targets: [{ fn: { name: 'my-function' }, qualifier: 'live', goal: { min: 0, max: 0 }, region: 'eu-west-1' }], wait: false, budgetMs: 150_000 });
  });

  it('accepts $LATEST.PUBLISHED, aliases, ARNs and partial ARNs', () => {
    const inputs = parseInputs(
      reader({ 'function-name': 'arn:aws:lambda:us-east-1:123456789012:function:a\n123456789012:function:b', qualifier: '$LATEST.PUBLISHED, live' }),
      env,
    );
    expect(functionsOf(inputs).map((f) => [f.key, f.region])).toEqual([
      ['a', 'us-east-1'],
      ['b', undefined],
    ]);
    expect(qualifiersOf(inputs)).toEqual(['$LATEST.PUBLISHED', 'live']);
  });

  it('takes the region from the input, then AWS_REGION, then AWS_DEFAULT_REGION, then the ARN', () => {
    const arn = { 'function-name': 'arn:aws:lambda:ap-south-1:123456789012:function:a' };
    expect(regionOf(parseInputs(reader({ region: 'us-west-2' }), { AWS_REGION: 'eu-west-1' }))).toBe('us-west-2');
    expect(regionOf(parseInputs(reader({}), { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-west-2' }))).toBe('eu-west-1');
    expect(regionOf(parseInputs(reader({}), { AWS_DEFAULT_REGION: 'us-west-2' }))).toBe('us-west-2');
    expect(regionOf(parseInputs(reader(arn), {}))).toBe('ap-south-1');
  });

  it('removes repeated functions and qualifiers, but keeps the same name in another account', () => {
    const inputs = parseInputs(reader({ 'function-name': 'a,a\nb,111111111111:function:a,arn:aws:lambda:us-east-1:111111111111:function:a', qualifier: '1,1,live' }), env);
    expect(functionsOf(inputs).map((f) => [f.key, f.account])).toEqual([
      ['a', undefined],
      ['b', undefined],
      ['a', '111111111111'],
    ]);
    expect(qualifiersOf(inputs)).toEqual(['1', 'live']);
  });

  it('reads dry-run as a boolean', () => {
    expect(parseInputs(reader({ 'dry-run': 'true' }), env).dryRun).toBe(true);
    expect(parseInputs(reader({ 'dry-run': ' FALSE ' }), env).dryRun).toBe(false);
  });

  it('reads restore as a boolean, and refuses anything else', () => {
    expect(parseInputs(reader({ restore: 'true' }), env).restore).toBe(true);
    expect(parseInputs(reader({}), env).restore).toBe(false);
    expect(refusal({ restore: 'yes' })).toMatchObject({ input: 'restore', message: 'restore "yes" is not a boolean. Use true or false.' });
  });

  it('accepts the bounds 0/0, 15000/15000 and 360 minutes', () => {
    expect(parseInputs(reader({ 'min-execution-environments': '0', 'max-execution-environments': '0' }), env).targets[0].goal).toEqual({ min: 0, max: 0 });
    expect(parseInputs(reader({ 'min-execution-environments': '15000', 'max-execution-environments': '15000' }), env).targets[0].goal).toEqual({ min: 15000, max: 15000 });
    expect(parseInputs(reader({ 'wait-for-minutes': '360' }), env).budgetMs).toBe(360 * 60_000);
  });

  it('accepts a 128-character qualifier and a wait-for-minutes with no digit before its point', () => {
    expect(qualifiersOf(parseInputs(reader({ qualifier: 'a'.repeat(128) }), env))).toEqual(['a'.repeat(128)]);
    expect(parseInputs(reader({ 'wait-for-minutes': '.25' }), env).budgetMs).toBe(15_000);
  });

  it('accepts the ARNs and regions of the other partitions (China, GovCloud, ISO)', () => {
    for (const [partition, region] of [
      ['aws-cn', 'cn-north-1'],
      ['aws-us-gov', 'us-gov-west-1'],
      ['aws-iso', 'us-iso-east-1'],
      ['aws-iso-b', 'us-isob-east-1'],
    ]) {
      const inputs = parseInputs(reader({ 'function-name': `arn:${partition}:lambda:${region}:123456789012:function:f` }), {});
      expect([regionOf(inputs), functionsOf(inputs)[0].region]).toEqual([region, region]);
      expect(regionOf(parseInputs(reader({ region }), env))).toBe(region);
    }
  });

  it('skips a region variable that is only white space, and trims one that is set', () => {
    expect(regionOf(parseInputs(reader({}), { AWS_REGION: '  ', AWS_DEFAULT_REGION: 'eu-west-1' }))).toBe('eu-west-1');
    const arn = { 'function-name': 'arn:aws:lambda:ap-south-1:123456789012:function:f' };
    expect(regionOf(parseInputs(reader(arn), { AWS_DEFAULT_REGION: ' ' }))).toBe('ap-south-1');
    expect(regionOf(parseInputs(reader({}), { AWS_REGION: ' eu-west-1 ' }))).toBe('eu-west-1');
  });

  it('accepts a 64-character function name; at 140 characters an ARN is judged by its name part', () => {
    const name = 'f'.repeat(64);
    expect(functionsOf(parseInputs(reader({ 'function-name': name }), env))[0].key).toBe(name);
    const arn = `arn:aws:lambda:us-east-1:123456789012:function:${'g'.repeat(140 - 47)}`;
    expect(arn).toHaveLength(140);
    expect(() => parseInputs(reader({ 'function-name': arn }), env)).toThrow(/"g+" is 93 characters long; Lambda function names have at most 64/);
  });

  const longName = 'f'.repeat(141);
  // [case, overrides, the input named, a fragment of the message, environment]
  const refused: [string, Record<string, string>, string, RegExp, Record<string, string | undefined>?][] = [
    ['empty function-name', { 'function-name': '' }, 'function-name', /required/],
    ['white-space-only function-name', { 'function-name': '  \n ' }, 'function-name', /required/],
    ['only separators in function-name', { 'function-name': ' , ,\n' }, 'function-name', /required/],
    ['function-name with a space', { 'function-name': 'my function' }, 'function-name', /white space/],
    ['function-name past 140 characters', { 'function-name': longName }, 'function-name', /141 characters.*at most 140/],
    ['bare function name past 64 characters', { 'function-name': 'f'.repeat(65) }, 'function-name', /65 characters.*at most 64/],
    ['function-name with a dot', { 'function-name': 'my.function' }, 'function-name', /not a function name/],
    ['ARN with a version qualifier', { 'function-name': 'arn:aws:lambda:us-east-1:123456789012:function:f:7' }, 'function-name', /includes the qualifier "7".*qualifier/],
    ['name with an alias qualifier', { 'function-name': 'my-function:live' }, 'function-name', /"my-function" in function-name and "live" in qualifier/],
    ['ARN in another region than region', { 'function-name': 'arn:aws:lambda:eu-west-1:123456789012:function:f', region: 'us-east-1' }, 'function-name', /eu-west-1.*us-east-1 \(from the region input\)/],
    ['ARN in another region than AWS_REGION', { 'function-name': 'arn:aws:lambda:eu-west-1:123456789012:function:f' }, 'function-name', /eu-west-1.*us-east-1 \(from AWS_REGION\)/],
    ['ARNs in two regions and no region', { 'function-name': 'arn:aws:lambda:eu-west-1:123456789012:function:f,arn:aws:lambda:us-west-2:123456789012:function:g' }, 'region', /several regions \(eu-west-1, us-west-2\); give each region its own entry in scaling/, {}],
    ['no region anywhere', {}, 'region', /No AWS region.*AWS_REGION/, {}],
    ['region that is not a region', { region: 'narnia' }, 'region', /not an AWS region/],
    ['region with a letter before it', { region: 'xeu-west-1' }, 'region', /not an AWS region/],
    ['region with a letter after it', { region: 'eu-west-1a' }, 'region', /not an AWS region/],
    ['empty qualifier', { qualifier: '' }, 'qualifier', /required/],
    ['qualifier $LATEST', { qualifier: '$LATEST' }, 'qualifier', /unpublished version/],
    ['alias with forbidden characters', { qualifier: 'live!' }, 'qualifier', /not valid.*alias name/],
    ['alias with a slash', { qualifier: 'feature/x' }, 'qualifier', /not valid/],
    ['qualifier past 128 characters', { qualifier: 'a'.repeat(129) }, 'qualifier', /at most 128/],
    ['empty min', { 'min-execution-environments': '' }, 'min-execution-environments', /required.*0 to 15000/],
    ['white-space-only max', { 'max-execution-environments': '   ' }, 'max-execution-environments', /required/],
    ['negative min', { 'min-execution-environments': '-1' }, 'min-execution-environments', /not an integer from 0 to 15000/],
    ['decimal max', { 'max-execution-environments': '2.5' }, 'max-execution-environments', /not an integer/],
    ['exponent min', { 'min-execution-environments': '1e3' }, 'min-execution-environments', /not an integer/],
    ['hex max', { 'max-execution-environments': '0x10' }, 'max-execution-environments', /not an integer/],
    ['max past 15000', { 'max-execution-environments': '15001' }, 'max-execution-environments', /not an integer from 0 to 15000/],
    ['non-ASCII digits', { 'min-execution-environments': '٣' }, 'min-execution-environments', /not an integer/],
    ['full-width digits', { 'max-execution-environments': '１０' }, 'max-execution-environments', /not an integer/],
    ['word for a number', { 'max-execution-environments': 'ten' }, 'max-execution-environments', /not an integer/],
    ['plus sign', { 'min-execution-environments': '+3' }, 'min-execution-environments', /not an integer/],
    ['min greater than max', { 'min-execution-environments': '5', 'max-execution-environments': '4' }, 'max-execution-environments', /less than.*at least the minimum/],
    ['min 0 with max above 0', { 'min-execution-environments': '0', 'max-execution-environments': '5' }, 'min-execution-environments', /0 is valid only with max-execution-environments 0/],
    ['wait not a boolean', { wait: 'yes' }, 'wait', /not a boolean.*true or false/],
    ['wait empty', { wait: '' }, 'wait', /not a boolean/],
    ['dry-run not a boolean', { 'dry-run': 'maybe' }, 'dry-run', /dry-run "maybe" is not a boolean.*true or false/],
    ['wait-for-minutes zero', { 'wait-for-minutes': '0' }, 'wait-for-minutes', /more than 0 and at most 360/],
    ['wait-for-minutes negative', { 'wait-for-minutes': '-5' }, 'wait-for-minutes', /more than 0/],
    ['wait-for-minutes past 360', { 'wait-for-minutes': '361' }, 'wait-for-minutes', /at most 360/],
    ['wait-for-minutes not a number', { 'wait-for-minutes': 'soon' }, 'wait-for-minutes', /not a number of minutes/],
    ['wait-for-minutes with an exponent', { 'wait-for-minutes': '1e1' }, 'wait-for-minutes', /not a number of minutes/],
    ['wait-for-minutes empty', { 'wait-for-minutes': '' }, 'wait-for-minutes', /not a number of minutes/],
  ];

  // Every row gets its environment: with fewer row values than parameters, Jest would pass `done`.
  const rows = refused.map(([name, overrides, input, message, environment]) => [name, overrides, input, message, environment ?? env] as const);
  it.each(rows)('refuses %s, naming the input and what is allowed', (_case, overrides, input, message, environment) => {
    const error = refusal(overrides, environment);
    expect(error.input).toBe(input);
    expect(error.message).toMatch(message);
  });

  it('takes no maximum as none in max-execution-environments', () => {
    expect(parseInputs(reader({ 'max-execution-environments': 'none' }), env).targets[0].goal).toEqual({ min: 3, max: null });
  });
});

describe('parseInputs with a spec', () => {
  const single = { 'function-name': '', qualifier: '', 'min-execution-environments': '', 'max-execution-environments': '' };
  const spec = (overrides: Record<string, string>) => reader({ ...single, ...overrides });
  const tools = (readFile = (path: string): string => {
    throw new Error(`read ${path}`);
  }) => ({ readFile, parse: parseScalingSpec });

  it('reads the targets from scaling, each with its own config, and lists their regions once', () => {
    const inputs = parseInputs(spec({ scaling: '- a:live 3/30\n- { function: b, qualifier: 1, min: 0, max: 0, region: eu-west-1 }\n- c:2 1/none' }), env, tools());
    expect(inputs.targets.map((t) => [t.fn.key, t.qualifier, t.goal, t.region])).toEqual([
      ['a', 'live', { min: 3, max: 30 }, 'us-east-1'],
      ['b', '1', { min: 0, max: 0 }, 'eu-west-1'],
      ['c', '2', { min: 1, max: null }, 'us-east-1'],
    ]);
    expect(inputs.regions).toEqual(['us-east-1', 'eu-west-1']);
  });

  it('reads scaling-file relative to GITHUB_WORKSPACE, and names the file in its problems', () => {
    const asked: string[] = [];
    const files = (path: string) => (asked.push(path), '- a:1 0/4');
    const error = (() => {
      try {
        parseInputs(spec({ 'scaling-file': 'scaling/prod.yml' }), { ...env, GITHUB_WORKSPACE: '/home/runner/work/repo' }, tools(files));
      } catch (e) {
        return e as InputError;
      }
    })();
    expect(asked).toEqual(['/home/runner/work/repo/scaling/prod.yml']);
    expect(error).toBeInstanceOf(InputError);
    expect([error!.input, error!.problems[0].file, error!.problems[0].line]).toEqual(['scaling-file', 'scaling/prod.yml', 1]);
    expect(error!.message).toMatch(/^scaling\/prod\.yml, line 1, column 3: entry 1: min 0 is valid only with max 0/);
  });

  it('gives the step region, from the region input first, to the entries that name none', () => {
    expect(parseInputs(spec({ scaling: '- a:1 1/1', region: 'ap-south-1' }), env, tools()).regions).toEqual(['ap-south-1']);
    expect(parseInputs(spec({ scaling: '- a:1 1/1' }), { AWS_DEFAULT_REGION: 'sa-east-1' }, tools()).regions).toEqual(['sa-east-1']);
  });

  it.each([
    ['scaling and scaling-file both', { scaling: '- a:1 1/1', 'scaling-file': 'f.yml' }, 'scaling', /^scaling and scaling-file are both set: give the spec in one of them/],
    ['scaling beside function-name and min', { scaling: '- a:1 1/1', 'function-name': 'a', 'min-execution-environments': '1' }, 'scaling', /^scaling gives every target its own config, so function-name, min-execution-environments must be empty\./],
    ['scaling-file beside qualifier', { 'scaling-file': 'f.yml', qualifier: 'live' }, 'scaling-file', /^scaling-file gives every target its own config, so qualifier must be empty\./],
    ['a bad step region', { scaling: '- a:1 1/1', region: 'moon-1' }, 'region', /region "moon-1" \(from the region input\) is not an AWS region name/],
    ['no spec and no function-name', {}, 'function-name', /function-name is required and was empty \(or give every target its own config in scaling or scaling-file\)\./],
  ])('refuses %s, making no request', (_case, overrides, input, message) => {
    const error = (() => {
      try {
        parseInputs(spec(overrides), env, tools(() => '- a:1 1/1'));
      } catch (e) {
        return e as InputError;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect(error!.input).toBe(input);
    expect(error!.message).toMatch(message);
  });
});
