import { InputError } from '../../src/input-values.js';
import { MAX_SPEC_TARGETS, parseScalingSpec, type SpecSource } from '../../src/scaling-spec.js';

const inline: SpecSource = { input: 'scaling', defaultRegion: 'us-east-1' };
const file: SpecSource = { input: 'scaling-file', file: 'scaling/production.yml', defaultRegion: 'us-east-1' };

function refusal(text: string, source: SpecSource = file): InputError {
  try {
    parseScalingSpec(text, source);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(text)}`);
}

const brief = (text: string, source = inline) => parseScalingSpec(text, source).map((t) => `${t.fn.key}:${t.qualifier} ${t.goal.min}/${t.goal.max ?? 'none'} ${t.region} ${t.source}`);

describe('parseScalingSpec', () => {
  it('reads mappings, lists of functions and qualifiers, and the short form, each target with its own config', () => {
    const text = [
      '- function: orders',
      '  qualifier: live',
      '  min: 3',
      '  max: 30',
      '- function: [orders-worker, orders-cron]',
      '  qualifier:',
      '    - live',
      '    - 7',
      '  min: 1',
      '  max: none',
      '- orders-reports:live 0/0',
      '- "arn:aws:lambda:eu-west-1:123456789012:function:eu-orders:$LATEST.PUBLISHED 2/none"',
    ].join('\n');
    expect(brief(text)).toEqual([
      'orders:live 3/30 us-east-1 entry 1 (line 1)',
      'orders-worker:live 1/none us-east-1 entry 2 (line 5)',
      'orders-worker:7 1/none us-east-1 entry 2 (line 5)',
      'orders-cron:live 1/none us-east-1 entry 2 (line 5)',
      'orders-cron:7 1/none us-east-1 entry 2 (line 5)',
      'orders-reports:live 0/0 us-east-1 entry 3 (line 11)',
      'eu-orders:$LATEST.PUBLISHED 2/none eu-west-1 entry 4 (line 12)',
    ]);
    expect(parseScalingSpec('- orders:live 2/6', inline)[0]).toEqual({
      fn: { name: 'orders', key: 'orders', region: undefined, account: undefined },
      qualifier: 'live',
      goal: { min: 2, max: 6 },
      region: 'us-east-1',
      source: 'entry 1 (line 1)',
    });
  });

  it('reads a spec of short-form lines only as the YAML parser does: the same targets, lines and problems', () => {
    const lines = ['# production', '- orders:live 3/30 # the API', '', '- arn:aws:lambda:eu-west-1:123456789012:function:eu:$LATEST.PUBLISHED 2/none', '- reports:7 0/0'];
    // Quoted, every line is for the YAML parser; plain, none is.
    const quoted = lines.map((l) => l.replace(/^- (\S+ \S+)(.*)$/, '- "$1"$2'));
    expect(quoted[1]).toBe('- "orders:live 3/30" # the API');
    expect(brief(lines.join('\r\n'))).toEqual(brief(quoted.join('\n')));
    expect(brief(lines.join('\n'))).toEqual(['orders:live 3/30 us-east-1 entry 1 (line 2)', 'eu:$LATEST.PUBLISHED 2/none eu-west-1 entry 2 (line 4)', 'reports:7 0/0 us-east-1 entry 3 (line 5)']);
    const bad = ['- a:1 0/4', '- b:$LATEST 1/1', '- c:1 5/4'];
    const problems = (text: string) => refusal(text).problems.map((p) => [p.line, p.column, p.message]);
    expect(problems(bad.join('\n'))).toEqual(problems(bad.map((l) => l.replace(/^- (.*)$/, "- '$1'")).join('\n')));
    expect(problems(bad.join('\n'))).toHaveLength(3);
  });

  it('leaves to the YAML parser what is not plainly a short-form line', () => {
    // `#` right after a value is part of it in YAML; a document marker, an indented item, a mapping.
    expect(refusal('- a:1 2/4#x').message).toMatch(/entry 1: max "4#x" is not an integer/);
    expect(brief('---\n- a:1 2/4')).toEqual(['a:1 2/4 us-east-1 entry 1 (line 2)']);
    expect(brief('  - a:1 2/4')).toEqual(['a:1 2/4 us-east-1 entry 1 (line 1)']);
    expect(refusal('# nothing but a comment').message).toMatch(/the spec is empty/);
  });

  it('reads the same spec as JSON', () => {
    expect(brief('[{"function": "a", "qualifier": "1", "min": 2, "max": 4}, {"function": ["b"], "qualifier": ["live"], "min": 1, "max": "none", "region": "eu-west-1"}]')).toEqual([
      'a:1 2/4 us-east-1 entry 1 (line 1)',
      'b:live 1/none eu-west-1 entry 2 (line 1)',
    ]);
  });

  it('puts an entry in its own region, an ARN in its ARN region, and the rest in the step region', () => {
    const text = ['- { function: a, qualifier: "1", min: 1, max: 2, region: ap-south-1 }', '- { function: "arn:aws:lambda:eu-west-1:123456789012:function:b", qualifier: "1", min: 1, max: 2, region: eu-west-1 }', '- { function: "arn:aws:lambda:eu-west-1:123456789012:function:c", qualifier: "1", min: 1, max: 2 }'].join('\n');
    expect(brief(text, { input: 'scaling' }).map((t) => t.split(' ')[2])).toEqual(['ap-south-1', 'eu-west-1', 'eu-west-1']);
  });

  it('accepts the bounds and exactly the target limit', () => {
    expect(brief('- a:1 15000/15000\n- b:1 1/1')).toHaveLength(2);
    const functions = Array.from({ length: 100 }, (_, i) => `f${i}`).join(', ');
    const qualifiers = Array.from({ length: 10 }, (_, i) => String(i + 1)).join(', ');
    expect(parseScalingSpec(`- { function: [${functions}], qualifier: [${qualifiers}], min: 1, max: 1 }`, inline)).toHaveLength(MAX_SPEC_TARGETS);
  });

  // [case, spec, the message's fragments, in order]
  const refused: [string, string, (string | RegExp)[]][] = [
    ['an empty spec', '', ['scaling/production.yml: the spec is empty: list at least one entry.']],
    ['an empty list', '[]', ['scaling/production.yml, line 1, column 1: the spec is empty']],
    ['a mapping instead of a list', 'function: a\nqualifier: 1\nmin: 1\nmax: 1', [/line 1, column 1: the spec must be a list of entries, each a mapping with function, qualifier, min and max/]],
    ['YAML that does not parse', '- function: a\n  qualifier: [1\n', [/not valid YAML: /]],
    ['a key given twice', '- function: a\n  function: b\n  qualifier: 1\n  min: 1\n  max: 1', [/line 2, column 3: not valid YAML: Map keys must be unique/]],
    ['an unknown key', '- function: a\n  qualifier: 1\n  min: 1\n  max: 1\n  maximum: 4', ['scaling/production.yml, line 5, column 3: entry 1 has the unknown key "maximum"; the keys are function, qualifier, min, max, region.']],
    ['missing fields', '- function: a\n  min: 1', ['line 1, column 3: entry 1 has no qualifier, max: every entry needs function, qualifier, min and max (max: none for no maximum).']],
    ['a number for an entry', '- 42', [/line 1, column 3: entry 1 must be a mapping with function/]],
    ['a list for an entry', '- [a, 1, 2, 3]', [/entry 1 must be a mapping/]],
    ['a short form without a config', '- orders:live', ['line 1, column 3: entry 1 "orders:live" is not of the form FUNCTION:QUALIFIER MIN/MAX (for example "orders:live 3/30" or "orders:7 1/none"); use a mapping for anything else.']],
    ['a short form without a qualifier', '- orders 3/30', [/is not of the form FUNCTION:QUALIFIER MIN\/MAX/]],
    ['a string min', '- { function: a, qualifier: 1, min: "3", max: 4 }', ['line 1, column 37: entry 1: min must be an integer from 0 to 15000; it is "3".']],
    ['a decimal max', '- { function: a, qualifier: 1, min: 3, max: 4.5 }', [/column 45: entry 1: max must be an integer from 0 to 15000, or none for no maximum; it is 4.5\./]],
    ['an empty max', '- function: a\n  qualifier: 1\n  min: 3\n  max:', [/line 4.*entry 1: max must be an integer from 0 to 15000, or none for no maximum; it is empty\./]],
    ['max left out for none', '- { function: a, qualifier: 1, min: 3 }', [/entry 1 has no max/]],
    ['a negative min', '- a:1 -1/4', [/entry 1: min "-1" is not an integer from 0 to 15000\./]],
    ['a max past 15000', '- { function: a, qualifier: 1, min: 3, max: 15001 }', [/entry 1: max "15001" is not an integer from 0 to 15000, or none for no maximum\./]],
    ['min above max', '- { function: a, qualifier: 1, min: 5, max: 4 }', [/line 1, column 45: entry 1: max \(4\) is less than min \(5\)\. The maximum must be at least the minimum\./]],
    ['min 0 with a max', '- a:1 0/4', ['entry 1: min 0 is valid only with max 0 (0/0 deactivates the version); the max is 4.']],
    ['min 0 with no max', '- a:1 0/none', [/min 0 is valid only with max 0 .*the max is none\./]],
    ['$LATEST', '- { function: a, qualifier: $LATEST, min: 1, max: 1 }', [/column 29: entry 1: qualifier "\$LATEST" is the unpublished version, which has no scaling config/]],
    ['$LATEST in a list', '- { function: a, qualifier: [1, $LATEST], min: 1, max: 1 }', [/column 33: entry 1: qualifier "\$LATEST" is the unpublished version/]],
    ['a function with a qualifier', '- { function: "a:live", qualifier: 1, min: 1, max: 1 }', [/entry 1: function "a:live" includes the qualifier "live"\. Give the unqualified name "a" in function and "live" in qualifier\./]],
    ['a function that is not a name', '- { function: my.fn, qualifier: 1, min: 1, max: 1 }', [/entry 1: function "my.fn" is not a function name/]],
    ['a function given as a mapping', '- { function: { name: a }, qualifier: 1, min: 1, max: 1 }', [/entry 1: function must be a function name, partial ARN or ARN, or a list of them\./]],
    ['an empty qualifier list', '- { function: a, qualifier: [], min: 1, max: 1 }', [/entry 1: qualifier must be a version, \$LATEST\.PUBLISHED or an alias, or a list of them\./]],
    ['a region that is not one', '- { function: a, qualifier: 1, min: 1, max: 1, region: narnia }', [/column 56: entry 1: region must be an AWS region name such as eu-west-1; it is "narnia"\./]],
    ['a region contradicting the ARN', '- { function: "arn:aws:lambda:eu-west-1:123456789012:function:b", qualifier: 1, min: 1, max: 1, region: us-west-2 }', [/entry 1: its functions are ARNs in eu-west-1 but its region is us-west-2\. A function given as an ARN is in its ARN's region/]],
    ['ARNs of two regions in one entry', '- { function: ["arn:aws:lambda:eu-west-1:123456789012:function:b", "arn:aws:lambda:us-west-2:123456789012:function:c"], qualifier: 1, min: 1, max: 1 }', [/entry 1: its functions are ARNs in us-west-2 and eu-west-1/]],
    ['an ARN beside a plain name in another region', '- { function: ["arn:aws:lambda:eu-west-1:123456789012:function:b", c], qualifier: 1, min: 1, max: 1 }', [/entry 1 mixes ARNs in eu-west-1 with plain names, which are in the step's region \(us-east-1\)/]],
  ];

  it.each(refused)('refuses %s, naming the file, the line and what is allowed', (_case, text, fragments) => {
    const error = refusal(text);
    expect(error.input).toBe('scaling-file');
    let rest = error.message;
    for (const fragment of fragments) {
      const found = typeof fragment === 'string' ? rest.indexOf(fragment) : rest.search(fragment);
      expect({ found: found >= 0, fragment: String(fragment), message: error.message }).toEqual({ found: true, fragment: String(fragment), message: error.message });
      rest = rest.slice(found);
    }
  });

  it('says every problem at once, each placed on its line for an annotation', () => {
    const error = refusal(['- function: a', '  qualifier: $LATEST', '  min: 5', '  max: 4', '- b:1 0/3', '- c:1 1/1', '- { function: d, qualifier: 1, min: 1, max: 1, colour: blue }'].join('\n'));
    expect(error.problems.map((p) => [p.file, p.line, p.column])).toEqual([
      ['scaling/production.yml', 2, 14],
      ['scaling/production.yml', 4, 8],
      ['scaling/production.yml', 5, 3],
      ['scaling/production.yml', 7, 48],
    ]);
    expect(error.message.split('\n')).toHaveLength(4);
    expect(error.problems[3].message).toBe('entry 4 has the unknown key "colour"; the keys are function, qualifier, min, max, region.');
  });

  it('names the inline input without a file', () => {
    const error = refusal('- a:1 0/3', inline);
    expect(error.input).toBe('scaling');
    expect(error.message).toMatch(/^the scaling input, line 1, column 3: entry 1: min 0/);
    expect(error.problems[0].file).toBeUndefined();
  });

  it('refuses a spec over the target limit after pairing', () => {
    const functions = Array.from({ length: 101 }, (_, i) => `f${i}`).join(', ');
    const qualifiers = Array.from({ length: 10 }, (_, i) => String(i + 1)).join(', ');
    expect(refusal(`- { function: [${functions}], qualifier: [${qualifiers}], min: 1, max: 1 }`).message).toBe(
      'scaling/production.yml: the spec asks for 1010 targets (every function of an entry paired with every qualifier); one step takes at most 1000. Split it into several steps.',
    );
  });

  it('refuses an entry that needs the step region when there is none', () => {
    expect(refusal('- a:1 1/1', { input: 'scaling-file', file: 'f.yml' }).message).toMatch(
      /^f\.yml, line 1, column 3: entry 1 has no region: give it region, or set the region input or AWS_REGION .*or give its functions as ARNs\.$/,
    );
  });
});
