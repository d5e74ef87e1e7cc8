// One value of an input or a spec entry, checked: a function name, a qualifier, a config. Pure; no request.
import type { ScalingConfig } from './scaling-config.js';

/** One function as given in `function-name`: `name` goes to the API, `key` (the bare name) labels it. */
export interface FunctionRef {
  name: string;
  key: string;
  region?: string;
  account?: string;
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
const MAX_FUNCTION_NAME_LENGTH = 140;
const MAX_BARE_NAME_LENGTH = 64;
const MAX_QUALIFIER_LENGTH = 128;

// The service model's UnqualifiedFunctionName pattern, anchored; groups: 1 region, 2 account, 3 name.
const FUNCTION_NAME = /^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d:)?(\d{12}:)?(?:function:)?([a-zA-Z0-9_-]+)$/;
const QUALIFIED_FUNCTION_NAME = /^((?:arn:[^:]*:lambda:[^:]*:)?(?:\d{12}:)?(?:function:)?[a-zA-Z0-9_-]+):([^:]+)$/;
export const REGION = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const ALIAS = /^[a-zA-Z0-9_-]+$/;

export const LATEST_PUBLISHED = '$LATEST.PUBLISHED';

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

/** Identifies a function for de-duplication: the same name in another account is another function. */
export function functionId(fn: FunctionRef): string {
  return fn.account ? `${fn.account}:${fn.key}` : fn.key;
}
