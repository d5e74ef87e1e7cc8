import { resolve } from 'node:path';
import type { parseScalingSpec } from './scaling-spec.js';
import type { ScalingConfig } from './scaling-config.js';
import { pairTargets, type RequestedTarget } from './targets.js';

/** One function as given in `function-name`: `name` goes to the API, `key` (the bare name) labels it. */
export interface FunctionRef {
  name: string;
  key: string;
  region?: string;
  account?: string;
}

export interface Inputs {
  /** Every function paired with every qualifier, each with its own config and region. */
  targets: RequestedTarget[];
  wait: boolean;
  /** Read and report what would change; put nothing. */
  dryRun: boolean;
  budgetMs: number;
  /** The regions of the targets, each once, in the order first named. */
  regions: string[];
  /** Put back, when the job ends, the configs this step put (the post step). */
  restore: boolean;
}

/** One thing wrong with an input; `line` and `column` (1-based) place it in a spec. */
export interface InputProblem {
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

/** A refused input: `input` names it, the message says what is wrong and what is allowed; a spec may have several `problems`. */
export class InputError extends Error {
  readonly problems: InputProblem[];
  constructor(
    readonly input: string,
    message: string,
    problems?: InputProblem[],
  ) {
    super(message);
    this.name = 'InputError';
    this.problems = problems ?? [{ message }];
  }
}

export const MAX_EXECUTION_ENVIRONMENTS = 15000;
export const MAX_WAIT_MINUTES = 360;
const MAX_FUNCTION_NAME_LENGTH = 140;
const MAX_BARE_NAME_LENGTH = 64;
const MAX_QUALIFIER_LENGTH = 128;
/** A spec file larger than this is refused unread. */
export const MAX_SPEC_FILE_BYTES = 1024 * 1024;

// The service model's UnqualifiedFunctionName pattern, anchored; groups: 1 region, 2 account, 3 name.
const FUNCTION_NAME = /^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d:)?(\d{12}:)?(?:function:)?([a-zA-Z0-9_-]+)$/;
const QUALIFIED_FUNCTION_NAME = /^((?:arn:[^:]*:lambda:[^:]*:)?(?:\d{12}:)?(?:function:)?[a-zA-Z0-9_-]+):([^:]+)$/;
export const REGION = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const ALIAS = /^[a-zA-Z0-9_-]+$/;
const PLAIN_DECIMAL = /^(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)$/;

export const LATEST_PUBLISHED = '$LATEST.PUBLISHED';

export type InputReader = (name: string) => string;

/**
 * How a spec is read and parsed: given only when `scaling` or `scaling-file` is set, so that the YAML
 * parser stays off the path to the first request of every other step (see `specWanted`).
 */
export interface SpecTools {
  /** Reads a spec file (an absolute path); throws InputError when it is missing, unreadable or too large. */
  readFile: (path: string) => string;
  parse: typeof parseScalingSpec;
}

/** Whether the inputs give a spec, so that parseInputs needs its SpecTools. */
export function specWanted(read: InputReader): boolean {
  return read('scaling').trim() !== '' || read('scaling-file').trim() !== '';
}

const SINGLE_CONFIG_INPUTS = ['function-name', 'qualifier', 'min-execution-environments', 'max-execution-environments'];

/** Parses and validates every input; throws InputError on the first bad one (a spec: on all its problems). Makes no request. */
export function parseInputs(read: InputReader, env: Record<string, string | undefined>, spec?: SpecTools): Inputs {
  const wait = parseBoolean(read, 'wait');
  const dryRun = parseBoolean(read, 'dry-run');
  const budgetMs = parseWaitMinutes(read) * 60_000;
  const restore = parseBoolean(read, 'restore');
  const targets = parseTargets(read, env, spec);
  return { targets, wait, dryRun, budgetMs, regions: [...new Set(targets.map((t) => t.region))], restore };
}

/** The targets: from `scaling` or `scaling-file`, or every function-name paired with every qualifier at one config. */
function parseTargets(read: InputReader, env: Record<string, string | undefined>, spec: SpecTools | undefined): RequestedTarget[] {
  const inline = read('scaling').trim();
  const file = read('scaling-file').trim();
  if (inline && file) {
    throw new InputError('scaling', 'scaling and scaling-file are both set: give the spec in one of them, inline in scaling or as a file in scaling-file.');
  }
  if (inline || file) {
    if (!spec) throw new Error('parseInputs needs its SpecTools for a spec (see specWanted)');
    const input = inline ? 'scaling' : 'scaling-file';
    const conflicting = SINGLE_CONFIG_INPUTS.filter((name) => read(name).trim() !== '');
    if (conflicting.length) {
      throw new InputError(
        input,
        `${input} gives every target its own config, so ${conflicting.join(', ')} must be empty. Put the functions, qualifiers and configs in the spec, or drop ${input}.`,
      );
    }
    const defaultRegion = stepRegion(read, env);
    if (inline) return spec.parse(inline, { input, defaultRegion });
    const path = resolve(env.GITHUB_WORKSPACE || '.', file);
    return spec.parse(spec.readFile(path), { input, file, defaultRegion });
  }
  const functions = uniqueBy(parseList(read, 'function-name').map((v) => parseFunctionName(v)), functionId);
  const qualifiers = uniqueBy(parseList(read, 'qualifier').map((v) => parseQualifier(v)), (q) => q);
  const goal = parseConfig(read);
  const region = resolveRegion(read('region').trim(), env, functions);
  return pairTargets(functions, qualifiers).map((t) => ({ ...t, goal, region }));
}

/** The region of the targets that name none, when one is set: the region input, else AWS_REGION or AWS_DEFAULT_REGION. */
function stepRegion(read: InputReader, env: Record<string, string | undefined>): string | undefined {
  const given = read('region').trim();
  const [region, source] = given ? [given, 'the region input'] : env.AWS_REGION?.trim() ? [env.AWS_REGION.trim(), 'AWS_REGION'] : [env.AWS_DEFAULT_REGION?.trim(), 'AWS_DEFAULT_REGION'];
  if (region && !REGION.test(region)) throw new InputError('region', `region "${region}" (from ${source}) is not an AWS region name such as us-east-1.`);
  return region || undefined;
}

function parseList(read: InputReader, input: string): string[] {
  const values = read(input)
    .split(/[\n,]/)
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (values.length === 0) {
    throw new InputError(input, `${input} is required and was empty (or give every target its own config in scaling or scaling-file).`);
  }
  return values;
}

/** A function name, partial ARN or ARN; `input` names where it was given (`function-name`, or a spec's `function`). */
export function parseFunctionName(value: string, input = 'function-name'): FunctionRef {
  if (/\s/.test(value)) {
    throw new InputError(input, `${input} "${value}" contains white space. Use a function name, a partial ARN or an ARN.`);
  }
  if (value.length > MAX_FUNCTION_NAME_LENGTH) {
    throw new InputError(input, `${input} is ${value.length} characters long; at most ${MAX_FUNCTION_NAME_LENGTH} are allowed.`);
  }
  const match = FUNCTION_NAME.exec(value);
  if (match) {
    const [, region, account, key] = match;
    if (key.length > MAX_BARE_NAME_LENGTH) {
      throw new InputError(input, `${input} "${key}" is ${key.length} characters long; Lambda function names have at most ${MAX_BARE_NAME_LENGTH}.`);
    }
    return { name: value, key, region: region?.slice(0, -1), account: account?.slice(0, -1) };
  }
  const qualified = QUALIFIED_FUNCTION_NAME.exec(value);
  if (qualified) {
    throw new InputError(
      input,
      `${input} "${value}" includes the qualifier "${qualified[2]}". Give the unqualified name "${qualified[1]}" in ${input} and "${qualified[2]}" in qualifier.`,
    );
  }
  throw new InputError(
    input,
    `${input} "${value}" is not a function name, partial ARN (123456789012:function:my-function) or ARN (arn:aws:lambda:us-east-1:123456789012:function:my-function). Names use letters, digits, hyphens and underscores.`,
  );
}

/** A version number, $LATEST.PUBLISHED or an alias name; `input` names where it was given. */
export function parseQualifier(value: string, input = 'qualifier'): string {
  if (value === '$LATEST') {
    throw new InputError(
      input,
      `${input} "$LATEST" is the unpublished version, which has no scaling config. Use a published version number, $LATEST.PUBLISHED or an alias.`,
    );
  }
  const allowed = 'Use a published version number (e.g. 7), $LATEST.PUBLISHED, or an alias name (letters, digits, hyphens and underscores).';
  if (value.length > MAX_QUALIFIER_LENGTH) {
    throw new InputError(input, `${input} is ${value.length} characters long; at most ${MAX_QUALIFIER_LENGTH} are allowed. ${allowed}`);
  }
  // A version number (digits) fits the alias pattern too.
  if (value === LATEST_PUBLISHED || ALIAS.test(value)) {
    return value;
  }
  throw new InputError(input, `${input} "${value}" is not valid. ${allowed}`);
}

const COUNT_INPUTS = { min: 'min-execution-environments', max: 'max-execution-environments' };

function parseConfig(read: InputReader): ScalingConfig {
  const required = (input: string) => {
    const value = read(input).trim();
    if (value === '') throw new InputError(input, `${input} is required and was empty. Give an integer from 0 to ${MAX_EXECUTION_ENVIRONMENTS}${input === COUNT_INPUTS.max ? ', or none for no maximum' : ''}.`);
    return value;
  };
  const min = required(COUNT_INPUTS.min);
  const max = required(COUNT_INPUTS.max);
  return parseConfigValues(min, max === 'none' ? null : max, COUNT_INPUTS);
}

/** Min and max as written (`null`: no maximum), checked against each other; `names` says where each was given. */
export function parseConfigValues(minText: string, maxText: string | null, names: { min: string; max: string }): ScalingConfig {
  const count = (input: string, value: string) => {
    const n = Number(value);
    if (!/^[0-9]+$/.test(value) || n > MAX_EXECUTION_ENVIRONMENTS) {
      throw new InputError(input, `${input} "${value}" is not an integer from 0 to ${MAX_EXECUTION_ENVIRONMENTS}${input === names.max ? ', or none for no maximum' : ''}.`);
    }
    return n;
  };
  const min = count(names.min, minText);
  const max = maxText === null ? null : count(names.max, maxText);
  if (max !== null && min > max) {
    throw new InputError(names.max, `${names.max} (${max}) is less than ${names.min} (${min}). The maximum must be at least the minimum.`);
  }
  if (min === 0 && max !== 0) {
    throw new InputError(
      names.min,
      `${names.min} 0 is valid only with ${names.max} 0 (0/0 deactivates the version); the max is ${max ?? 'none'}. Use a minimum of at least 1, or 0/0 to deactivate.`,
    );
  }
  return { min, max };
}

export function parseBoolean(read: InputReader, input: string): boolean {
  const value = read(input).trim();
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new InputError(input, `${input} "${value}" is not a boolean. Use true or false.`);
}

export function parseWaitMinutes(read: InputReader): number {
  const input = 'wait-for-minutes';
  const value = read(input).trim();
  const minutes = Number(value);
  if (!PLAIN_DECIMAL.test(value) || minutes <= 0 || minutes > MAX_WAIT_MINUTES) {
    throw new InputError(input, `${input} "${value}" is not a number of minutes more than 0 and at most ${MAX_WAIT_MINUTES} (decimals allowed, e.g. 2.5).`);
  }
  return minutes;
}

function resolveRegion(given: string, env: Record<string, string | undefined>, functions: FunctionRef[]): string {
  const arnRegions = [...new Set(functions.flatMap((f) => (f.region ? [f.region] : [])))];
  const fromEnv = env.AWS_REGION?.trim() ? 'AWS_REGION' : env.AWS_DEFAULT_REGION?.trim() ? 'AWS_DEFAULT_REGION' : undefined;
  const [region, source] = given
    ? [given, 'the region input']
    : fromEnv
      ? [env[fromEnv]!.trim(), fromEnv]
      : arnRegions.length === 1
        ? [arnRegions[0], 'the function ARN']
        : ['', ''];
  if (!region) {
    throw new InputError(
      'region',
      arnRegions.length > 1
        ? `function-name lists ARNs in several regions (${arnRegions.join(', ')}); give each region its own entry in scaling (or scaling-file), or use one step per region.`
        : 'No AWS region: set the region input, or AWS_REGION (aws-actions/configure-aws-credentials sets it), or give function-name as an ARN.',
    );
  }
  if (!REGION.test(region)) {
    throw new InputError('region', `region "${region}" (from ${source}) is not an AWS region name such as us-east-1.`);
  }
  const other = arnRegions.find((r) => r !== region);
  if (other) {
    throw new InputError(
      'function-name',
      `function-name is an ARN in ${other} but the region is ${region} (from ${source}). Use the same region in both, or give the plain function name.`,
    );
  }
  return region;
}

/** Identifies a function for de-duplication: the same name in another account is another function. */
export function functionId(fn: FunctionRef): string {
  return fn.account ? `${fn.account}:${fn.key}` : fn.key;
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(key(item)) && seen.add(key(item)));
}
