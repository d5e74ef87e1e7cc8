import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { InputError, parseConfigValues, parseFunctionName, parseQualifier, REGION, type FunctionRef, type InputProblem } from './input-values.js';
import { pairTargets, type RequestedTarget } from './targets.js';

/** One step scales at most this many targets (functions × qualifiers, before aliases are resolved). */
export const MAX_SPEC_TARGETS = 1000;

const KEYS = ['function', 'qualifier', 'min', 'max', 'region'];
const REQUIRED_KEYS = ['function', 'qualifier', 'min', 'max'];
/** `orders:live 3/30`, `arn:aws:lambda:…:function:orders:7 1/none`: the qualifier is after the last colon. */
const SHORT_FORM = /^(\S+):([^:\s]+)\s+(\S+)\/(\S+)$/;
const FORMS = 'a mapping with function, qualifier, min and max (and optionally region), or a line such as "orders:live 3/30"';

export interface SpecSource {
  /** The input the spec came from: `scaling` or `scaling-file`. */
  input: string;
  /** The file's path as given, for a spec file. */
  file?: string;
  /** The step's region: the region of every entry that names none and whose functions are not ARNs. */
  defaultRegion?: string;
}

/**
 * Parses a scaling spec (a YAML or JSON sequence of entries) into the targets it asks for, each with its
 * own config and region. Every problem is collected, with its line and column, and thrown together as
 * one InputError. Makes no request.
 */
export function parseScalingSpec(text: string, source: SpecSource): RequestedTarget[] {
  const problems: InputProblem[] = [];
  const say = (where: Pick<InputProblem, 'line' | 'column'>, message: string) => problems.push({ ...where, message });
  const targets: RequestedTarget[] = [];
  const add = (entry: string, where: Pick<InputProblem, 'line' | 'column'>, parsed: ParsedEntry | undefined) => {
    if (!parsed) return;
    const region = entryRegion(parsed, entry, source, where, say);
    if (region === undefined) return;
    const label = where.line ? `${entry} (line ${where.line})` : entry;
    for (const target of pairTargets(parsed.functions, parsed.qualifiers)) targets.push({ ...target, goal: parsed.goal, region, source: label });
  };
  const lines = shortFormLines(text);
  if (lines) {
    lines.forEach(({ value, line }, index) => add(`entry ${index + 1}`, { line, column: 3 }, shortForm(value, `entry ${index + 1}`, { line, column: 3 }, say)));
  } else {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: false });
    const atOffset = (offset: number): Pick<InputProblem, 'line' | 'column'> => {
      const { line, col } = lineCounter.linePos(offset);
      return { line, column: col };
    };
    const at = (node: Node | null | undefined): Pick<InputProblem, 'line' | 'column'> => (node?.range ? atOffset(node.range[0]) : {});
    for (const error of doc.errors) say(atOffset(error.pos[0]), `not valid YAML: ${error.message}`);
    if (problems.length) throw specError(source, problems);
    const root = doc.contents;
    if (!isSeq(root) || root.items.length === 0) {
      say(at(root), isSeq(root) || root === null || (isScalar(root) && root.value === null) ? 'the spec is empty: list at least one entry.' : `the spec must be a list of entries, each ${FORMS}.`);
    } else {
      root.items.forEach((item, index) => {
        const entry = `entry ${index + 1}`;
        const where = at(item as Node);
        const short = isScalar(item) && typeof item.value === 'string';
        if (!short && !isMap(item)) say(where, `${entry} must be ${FORMS}.`);
        add(entry, where, short ? shortForm(item.value as string, entry, where, say) : isMap(item) ? mapping(item, entry, at, say) : undefined);
      });
    }
  }
  if (targets.length > MAX_SPEC_TARGETS) {
    say({}, `the spec asks for ${targets.length} targets (every function of an entry paired with every qualifier); one step takes at most ${MAX_SPEC_TARGETS}. Split it into several steps.`);
  }
  if (problems.length) throw specError(source, problems);
  return targets;
}

/** A line `- FUNCTION:QUALIFIER MIN/MAX` (a comment after it allowed) of characters YAML reads as themselves. */
const PLAIN_SHORT_LINE = /^- ([A-Za-z0-9_:$.-]+ [0-9a-z]+\/[0-9a-z]+)(?:[ \t]+#.*)?[ \t]*$/;
const BLANK_OR_COMMENT = /^[ \t]*(?:#.*)?$/;

/**
 * A spec of short-form lines only, with blank lines and comments: each line is a plain YAML scalar of
 * itself, so it is read without the YAML parser, which would cost a spec of 200 lines tens of
 * milliseconds of start-up (npm run bench). Anything else (or no entry at all) is for the parser.
 */
function shortFormLines(text: string): { value: string; line: number }[] | undefined {
  const entries: { value: string; line: number }[] = [];
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (BLANK_OR_COMMENT.test(line)) continue;
    const match = PLAIN_SHORT_LINE.exec(line);
    if (!match) return undefined;
    entries.push({ value: match[1], line: index + 1 });
  }
  return entries.length ? entries : undefined;
}

interface ParsedEntry {
  functions: FunctionRef[];
  qualifiers: string[];
  goal: { min: number; max: number | null };
  region?: string;
  regionAt?: Pick<InputProblem, 'line' | 'column'>;
}

type Say = (where: Pick<InputProblem, 'line' | 'column'>, message: string) => void;

function shortForm(line: string, entry: string, where: Pick<InputProblem, 'line' | 'column'>, say: Say): ParsedEntry | undefined {
  const match = SHORT_FORM.exec(line.trim());
  if (!match) {
    say(where, `${entry} "${line}" is not of the form FUNCTION:QUALIFIER MIN/MAX (for example "orders:live 3/30" or "orders:7 1/none"); use a mapping for anything else.`);
    return undefined;
  }
  const [, fn, qualifier, min, max] = match;
  const functions = collect(() => [parseFunctionName(fn, 'function')], entry, where, say);
  const qualifiers = collect(() => [parseQualifier(qualifier, 'qualifier')], entry, where, say);
  const goal = collect(() => parseConfigValues(min, max === 'none' ? null : max, { min: 'min', max: 'max' }), entry, where, say);
  return functions && qualifiers && goal ? { functions, qualifiers, goal } : undefined;
}

function mapping(item: Node, entry: string, at: (node: Node | null | undefined) => Pick<InputProblem, 'line' | 'column'>, say: Say): ParsedEntry | undefined {
  if (!isMap(item)) return undefined;
  const fields = new Map<string, Node | null>();
  for (const pair of item.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (key === undefined || !KEYS.includes(key)) {
      say(at(pair.key as Node), `${entry} has the unknown key ${key === undefined ? 'that is not a plain name' : `"${key}"`}; the keys are ${KEYS.join(', ')}.`);
      continue;
    }
    fields.set(key, pair.value as Node | null);
  }
  const missing = REQUIRED_KEYS.filter((key) => !fields.has(key));
  if (missing.length) say(at(item), `${entry} has no ${missing.join(', ')}: every entry needs function, qualifier, min and max (max: none for no maximum).`);
  const list = (key: string, parse: (value: string) => FunctionRef | string) => {
    const node = fields.get(key);
    if (node === undefined) return undefined;
    const values = isSeq(node) ? node.items : [node];
    const scalars = values.filter((v): v is Node & { value: string | number } => isScalar(v) && (typeof v.value === 'string' || typeof v.value === 'number') && String(v.value).trim() !== '');
    if (values.length === 0 || scalars.length !== values.length) {
      say(at(node ?? item), `${entry}: ${key} must be ${key === 'function' ? 'a function name, partial ARN or ARN' : 'a version, $LATEST.PUBLISHED or an alias'}, or a list of them.`);
      return undefined;
    }
    const parsed = scalars.map((v) => collect(() => parse(String(v.value).trim()), entry, at(v), say));
    return parsed.every((p) => p !== undefined) ? parsed : undefined;
  };
  const functions = list('function', (v) => parseFunctionName(v, 'function')) as FunctionRef[] | undefined;
  const qualifiers = list('qualifier', (v) => parseQualifier(v, 'qualifier')) as string[] | undefined;
  const count = (key: 'min' | 'max'): string | null | undefined => {
    if (!fields.has(key)) return undefined;
    const node = fields.get(key);
    const value = isScalar(node) ? node.value : undefined;
    if (key === 'max' && value === 'none') return null;
    if (typeof value === 'number' && Number.isInteger(value)) return String(value);
    say(at(node ?? item), `${entry}: ${key} must be an integer from 0 to 15000${key === 'max' ? ', or none for no maximum' : ''}; it is ${describe(node)}.`);
    return undefined;
  };
  const min = count('min');
  const max = count('max');
  const goal = min !== undefined && max !== undefined ? collect(() => parseConfigValues(min!, max, { min: 'min', max: 'max' }), entry, at(fields.get('max') ?? item), say) : undefined;
  const regionNode = fields.get('region');
  let region: string | undefined;
  if (regionNode !== undefined) {
    const value = isScalar(regionNode) ? regionNode.value : undefined;
    if (typeof value === 'string' && REGION.test(value.trim())) region = value.trim();
    else say(at(regionNode ?? item), `${entry}: region must be an AWS region name such as eu-west-1; it is ${describe(regionNode)}.`);
    if (region === undefined) return undefined;
  }
  if (!functions || !qualifiers || !goal || missing.length) return undefined;
  return { functions, qualifiers, goal, region, regionAt: regionNode ? at(regionNode) : undefined };
}

/** The entry's region, the ARN's, or the step's; undefined (with the problem said) when none fits. */
function entryRegion(parsed: ParsedEntry, entry: string, source: SpecSource, where: Pick<InputProblem, 'line' | 'column'>, say: Say): string | undefined {
  const arnRegions = [...new Set(parsed.functions.flatMap((f) => (f.region ? [f.region] : [])))];
  const contradicted = arnRegions.find((r) => r !== (parsed.region ?? arnRegions[0]));
  if (contradicted) {
    say(parsed.regionAt ?? where, `${entry}: its functions are ARNs in ${contradicted}${parsed.region ? ` but its region is ${parsed.region}` : ` and ${arnRegions.find((r) => r !== contradicted)}`}. A function given as an ARN is in its ARN's region: drop region, or split the entry by region.`);
    return undefined;
  }
  const plain = parsed.functions.some((f) => !f.region);
  const region = parsed.region ?? (plain ? source.defaultRegion : arnRegions[0]);
  if (plain && arnRegions.length && !parsed.region && region !== arnRegions[0]) {
    say(where, `${entry} mixes ARNs in ${arnRegions[0]} with plain names, which are in the step's region (${source.defaultRegion ?? 'none set'}). Give the entry a region, or split it.`);
    return undefined;
  }
  if (!region) {
    say(where, `${entry} has no region: give it region, or set the region input or AWS_REGION (aws-actions/configure-aws-credentials sets it), or give its functions as ARNs.`);
    return undefined;
  }
  return region;
}

/** Runs one validator of inputs.ts, turning its refusal into a problem of the entry. */
function collect<T>(parse: () => T, entry: string, where: Pick<InputProblem, 'line' | 'column'>, say: Say): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    say(where, `${entry}: ${error.message}`);
    return undefined;
  }
}

function describe(node: Node | null | undefined): string {
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return 'empty';
  if (isScalar(node)) return JSON.stringify(node.value);
  return isSeq(node) ? 'a list' : 'a mapping';
}

function specError(source: SpecSource, problems: InputProblem[]): InputError {
  const where = source.file ?? 'the scaling input';
  return new InputError(
    source.input,
    problems.map((p) => `${where}${p.line ? `, line ${p.line}${p.column ? `, column ${p.column}` : ''}` : ''}: ${p.message}`).join('\n'),
    problems.map((p) => ({ ...p, file: source.file })),
  );
}
