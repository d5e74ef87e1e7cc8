import { resolve } from 'node:path';
import type { parseScalingSpec } from './scaling-spec.js';
import { functionId, InputError, MAX_EXECUTION_ENVIRONMENTS, parseConfigValues, parseFunctionName, parseQualifier, REGION, type FunctionRef } from './input-values.js';
import type { ScalingConfig } from './scaling-config.js';
import { pairTargets, type RequestedTarget } from './targets.js';

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

export const MAX_WAIT_MINUTES = 360;
/** A spec file larger than this is refused unread. */
export const MAX_SPEC_FILE_BYTES = 1024 * 1024;
const PLAIN_DECIMAL = /^(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)$/;

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

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(key(item)) && seen.add(key(item)));
}
