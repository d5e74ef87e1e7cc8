import type { ScalingConfig } from './scaling-config.js';

/** One function as given in `function-name`: `name` goes to the API, `key` (the bare name) labels it. */
export interface FunctionRef {
  name: string;
  key: string;
  region?: string;
  account?: string;
}

export interface Inputs {
  functions: FunctionRef[];
  qualifiers: string[];
  config: ScalingConfig;
  wait: boolean;
  /** Read and report what would change; put nothing. */
  dryRun: boolean;
  budgetMs: number;
  region: string;
}

/** A refused input: `input` names it, the message says what is wrong and what is allowed. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

export const MAX_EXECUTION_ENVIRONMENTS = 15000;
export const MAX_WAIT_MINUTES = 360;
const MAX_FUNCTION_NAME_LENGTH = 140;
const MAX_BARE_NAME_LENGTH = 64;
const MAX_QUALIFIER_LENGTH = 128;

// The service model's UnqualifiedFunctionName pattern, anchored; groups: 1 region, 2 account, 3 name.
const FUNCTION_NAME = /^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d:)?(\d{12}:)?(?:function:)?([a-zA-Z0-9_-]+)$/;
const QUALIFIED_FUNCTION_NAME = /^((?:arn:[^:]*:lambda:[^:]*:)?(?:\d{12}:)?(?:function:)?[a-zA-Z0-9_-]+):([^:]+)$/;
const REGION = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const ALIAS = /^[a-zA-Z0-9_-]+$/;
const PLAIN_DECIMAL = /^(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)$/;

export const LATEST_PUBLISHED = '$LATEST.PUBLISHED';

export type InputReader = (name: string) => string;

/** Parses and validates every input; throws InputError on the first bad one. Makes no request. */
export function parseInputs(read: InputReader, env: Record<string, string | undefined>): Inputs {
  const functions = parseList(read, 'function-name').map(parseFunctionName);
  const qualifiers = parseList(read, 'qualifier').map(parseQualifier);
  const config = parseConfig(read);
  const wait = parseBoolean(read, 'wait');
  const dryRun = parseBoolean(read, 'dry-run');
  const budgetMs = parseWaitMinutes(read) * 60_000;
  const region = resolveRegion(read('region').trim(), env, functions);
  return { functions: uniqueBy(functions, functionId), qualifiers: uniqueBy(qualifiers, (q) => q), config, wait, dryRun, budgetMs, region };
}

function parseList(read: InputReader, input: string): string[] {
  const values = read(input)
    .split(/[\n,]/)
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (values.length === 0) {
    throw new InputError(input, `${input} is required and was empty.`);
  }
  return values;
}

function parseFunctionName(value: string): FunctionRef {
  const input = 'function-name';
  if (/\s/.test(value)) {
    throw new InputError(input, `function-name "${value}" contains white space. Use a function name, a partial ARN or an ARN.`);
  }
  if (value.length > MAX_FUNCTION_NAME_LENGTH) {
    throw new InputError(input, `function-name is ${value.length} characters long; at most ${MAX_FUNCTION_NAME_LENGTH} are allowed.`);
  }
  const match = FUNCTION_NAME.exec(value);
  if (match) {
    const [, region, account, key] = match;
    if (key.length > MAX_BARE_NAME_LENGTH) {
      throw new InputError(input, `function-name "${key}" is ${key.length} characters long; Lambda function names have at most ${MAX_BARE_NAME_LENGTH}.`);
    }
    return { name: value, key, region: region?.slice(0, -1), account: account?.slice(0, -1) };
  }
  const qualified = QUALIFIED_FUNCTION_NAME.exec(value);
  if (qualified) {
    throw new InputError(
      input,
      `function-name "${value}" includes the qualifier "${qualified[2]}". Give the unqualified name "${qualified[1]}" in function-name and "${qualified[2]}" in qualifier.`,
    );
  }
  throw new InputError(
    input,
    `function-name "${value}" is not a function name, partial ARN (123456789012:function:my-function) or ARN (arn:aws:lambda:us-east-1:123456789012:function:my-function). Names use letters, digits, hyphens and underscores.`,
  );
}

function parseQualifier(value: string): string {
  const input = 'qualifier';
  if (value === '$LATEST') {
    throw new InputError(
      input,
      'qualifier "$LATEST" is the unpublished version, which has no scaling config. Use a published version number, $LATEST.PUBLISHED or an alias.',
    );
  }
  const allowed = 'Use a published version number (e.g. 7), $LATEST.PUBLISHED, or an alias name (letters, digits, hyphens and underscores).';
  if (value.length > MAX_QUALIFIER_LENGTH) {
    throw new InputError(input, `qualifier is ${value.length} characters long; at most ${MAX_QUALIFIER_LENGTH} are allowed. ${allowed}`);
  }
  // A version number (digits) fits the alias pattern too.
  if (value === LATEST_PUBLISHED || ALIAS.test(value)) {
    return value;
  }
  throw new InputError(input, `qualifier "${value}" is not valid. ${allowed}`);
}

function parseCount(read: InputReader, input: string): number {
  const value = read(input).trim();
  if (value === '') {
    throw new InputError(input, `${input} is required and was empty. Give an integer from 0 to ${MAX_EXECUTION_ENVIRONMENTS}.`);
  }
  const count = Number(value);
  if (!/^[0-9]+$/.test(value) || count > MAX_EXECUTION_ENVIRONMENTS) {
    throw new InputError(input, `${input} "${value}" is not an integer from 0 to ${MAX_EXECUTION_ENVIRONMENTS}.`);
  }
  return count;
}

function parseConfig(read: InputReader): ScalingConfig {
  const min = parseCount(read, 'min-execution-environments');
  const max = parseCount(read, 'max-execution-environments');
  if (min > max) {
    throw new InputError(
      'max-execution-environments',
      `max-execution-environments (${max}) is less than min-execution-environments (${min}). The maximum must be at least the minimum.`,
    );
  }
  if (min === 0 && max > 0) {
    throw new InputError(
      'min-execution-environments',
      `min-execution-environments 0 is valid only with max-execution-environments 0 (0/0 deactivates the version); the max is ${max}. Use a minimum of at least 1, or 0/0 to deactivate.`,
    );
  }
  return { min, max };
}

function parseBoolean(read: InputReader, input: string): boolean {
  const value = read(input).trim();
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new InputError(input, `${input} "${value}" is not a boolean. Use true or false.`);
}

function parseWaitMinutes(read: InputReader): number {
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
        ? `function-name lists ARNs in several regions (${arnRegions.join(', ')}); one step scales one region. Use one step per region.`
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
