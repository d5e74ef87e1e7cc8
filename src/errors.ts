/** Maps any failure to the annotation a user sees, and tells the retry loop what kind of failure it is. */

import { ForeignAnswer, foreignAnswerMessage, foreignAnswerTitle } from './foreign-answer.js';

export interface Annotation {
  title: string;
  message: string;
  /** Where in the repository it points (a scaling-file), 1-based line and column. */
  file?: string;
  line?: number;
  column?: number;
}

/** A failure the action itself diagnosed; its title and message are already written for the user. */
export class ActionError extends Error {
  constructor(
    readonly title: string,
    message: string,
  ) {
    super(message);
    this.name = title;
  }
}

/** An AWS request that failed for good (after any retries), with the operation it was and how many times it was sent. */
export class RequestFailure extends Error {
  constructor(
    readonly operation: string,
    readonly cause: unknown,
    readonly tries: number,
  ) {
    super(`${operation} failed`);
    this.name = 'RequestFailure';
  }
}

export type ErrorKind =
  | { kind: 'conflict' }
  | { kind: 'throttle'; retryAfterMs?: number }
  | { kind: 'transient' }
  | { kind: 'aborted' }
  | { kind: 'fatal' };

interface AwsLikeError {
  name?: string;
  message?: string;
  code?: string;
  retryAfterSeconds?: string | number;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $response?: { headers?: Record<string, string | undefined> };
}

/** Network failures worth retrying: the endpoint may answer the next time. */
export const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN', 'ENETUNREACH']);
const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);

export function classifyError(error: unknown): ErrorKind {
  // Before the status checks: a page's 429 or 500 is not Lambda's throttle or internal error.
  if (error instanceof ForeignAnswer) return { kind: error.passing ? 'transient' : 'fatal' };
  const err = asAws(error);
  const name = errorName(err);
  if (name === 'AbortError') return { kind: 'aborted' };
  if (name === 'ResourceConflictException') return { kind: 'conflict' };
  if (name === 'TooManyRequestsException' || name === 'ThrottlingException' || status(err) === 429) {
    return { kind: 'throttle', retryAfterMs: retryAfterMs(err) };
  }
  if (name === 'TimeoutError' || (err.code !== undefined && TRANSIENT_NETWORK_CODES.has(err.code))) return { kind: 'transient' };
  if (name === 'ServiceException' || TRANSIENT_STATUSES.has(status(err) ?? 0)) return { kind: 'transient' };
  return { kind: 'fatal' };
}

/**
 * The error's name as a user should read it. The SDK wraps a thrown value that is not an Error of its
 * own realm ("AWS SDK error wrapper for TimeoutError: …").
 */
function errorName(err: AwsLikeError): string {
  const wrapped = /^AWS SDK error wrapper for (\w+)/.exec(err.message ?? '')?.[1];
  if (wrapped) return wrapped;
  return err.name && err.name !== 'Error' ? err.name : (err.code ?? 'Error');
}

function retryAfterMs(err: AwsLikeError): number | undefined {
  const raw = err.retryAfterSeconds ?? err.$response?.headers?.['retry-after'];
  const seconds = Number(raw);
  return raw !== undefined && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

export interface ErrorContext {
  /** The AWS operation that failed, when the failure came from a request. */
  operation?: string;
  /** `function:qualifier` as the user wrote it. */
  target: string;
  region: string;
  /** How long before the failure a request of the step last had its credentials accepted (first success), if one did. */
  credentialsAgeMs?: number;
  /** How many times the failed request was sent, when the failure came from a request. */
  tries?: number;
}

export function annotationFor(error: unknown, context: ErrorContext): Annotation {
  if (error instanceof ActionError) return { title: `${error.title}: ${context.target}`, message: error.message };
  if (error instanceof RequestFailure) return annotationFor(error.cause, { ...context, operation: error.operation, tries: error.tries });
  if (error instanceof ForeignAnswer) return { title: `${foreignAnswerTitle(error.facts)}: ${context.target}`, message: foreignAnswerMessage(error.facts, context) };
  const err = asAws(error);
  const name = errorName(err);
  const during = context.operation ? ` (${context.operation} on ${context.target})` : ` (${context.target})`;
  const serviceMessage = err.message?.trim() || 'no message';
  const lines = [`${serviceMessage}${during}`, hintFor(name, err, context)];
  const meta = [status(err) ? `HTTP ${status(err)}` : '', err.$metadata?.requestId ? `request ID ${err.$metadata.requestId}` : '']
    .filter(Boolean)
    .join(', ');
  if (meta) lines.push(`(${meta})`);
  return { title: `${name}: ${context.target}`, message: lines.join('\n') };
}

function hintFor(name: string, err: AwsLikeError, context: ErrorContext): string {
  const message = err.message ?? '';
  if (TRANSIENT_NETWORK_CODES.has(name) || name === 'TimeoutError') {
    return `The connection to Lambda failed${tried(context.tries)}. Check the runner network and the endpoint (AWS_ENDPOINT_URL_LAMBDA, AWS_ENDPOINT_URL).`;
  }
  switch (name) {
    case 'ResourceNotFoundException':
      return `The function, version or alias was not found in ${context.region}: check function-name, qualifier and region.`;
    case 'AccessDeniedException': {
      if (/capacity provider/i.test(message)) {
        return 'The function is not a Lambda Managed Instances function (it has no capacity provider), so it has no scaling config. Check function-name, or attach a capacity provider to the function.';
      }
      const action = /perform:\s*(lambda:[A-Za-z]+)/.exec(message)?.[1];
      return `The role lacks a permission${action ? `: grant ${action}` : ''}. The action needs lambda:PutFunctionScalingConfig, lambda:GetFunctionScalingConfig, lambda:GetFunction and lambda:GetAlias on the function ARN and its qualified form (arn:…:function:NAME and arn:…:function:NAME:*).`;
    }
    case 'ValidationException': {
      // "1 validation error detected: Value '…' at '…' failed to satisfy constraint: …"
      const [, value, member, constraint] = /Value (.+?) at '([^']+)' failed to satisfy constraint: ([^;]+)/.exec(message) ?? [];
      if (member) {
        // Own keys only: a member named `constructor` is no input.
        const input = Object.hasOwn(INPUT_OF_MEMBER, member) ? INPUT_OF_MEMBER[member] : undefined;
        return `Lambda's API refused ${value} for ${member} (${constraint.replace(/\.$/, '')})${input ? `: fix the input ${input}` : ''}. The action checks its inputs against the same limits, so report this if the input looks valid.`;
      }
      return PARAMETER_REFUSED;
    }
    case 'InvalidParameterValueException':
      return PARAMETER_REFUSED;
    case 'TooManyRequestsException':
      return "Lambda's control-plane quota (15 requests per second per account and region, shared by every job) stayed exhausted until the wait ran out. Run fewer jobs at once, or raise wait-for-minutes.";
    case 'ServiceException':
      return `Lambda had an internal error${tried(context.tries)}. Run the job again later; check the AWS Health Dashboard if it persists.`;
    case 'ResourceConflictException':
      return 'The version stayed busy with another update until the wait ran out. Raise wait-for-minutes, or check for a deploy that never finished.';
    case 'CredentialsProviderError':
      return 'No AWS credentials were found. Run aws-actions/configure-aws-credentials (with role-to-assume for OIDC) before this step.';
    case 'ExpiredTokenException':
      // Accepted earlier in the step, so they expired during it; refused from the first request, they were stale already.
      if (context.credentialsAgeMs !== undefined) {
        return `The credentials expired during the step: a request ${context.credentialsAgeMs < 60_000 ? `${Math.round(context.credentialsAgeMs / 1000)} s` : `${Math.round(context.credentialsAgeMs / 60_000)} min`} earlier was accepted. A role session of aws-actions/configure-aws-credentials lasts one hour by default: set its role-duration-seconds above wait-for-minutes (in seconds, with some margin; the role's maximum session duration must allow it).`;
      }
      return CREDENTIALS_REFUSED;
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
      return CREDENTIALS_REFUSED;
    case 'ENOTFOUND':
      return `The Lambda endpoint's host name could not be resolved. Check region (${context.region}) and any AWS_ENDPOINT_URL_LAMBDA or AWS_ENDPOINT_URL setting.`;
    default:
      return `Lambda answered with an error the action does not know${status(err) ? ` (HTTP ${status(err)})` : ''}. Check the message above; run with step debug logging for the request details.`;
  }
}

/** For a failure that is retried: how many tries it took, so that "retries ran out" is said only after retries. */
function tried(tries: number | undefined): string {
  if (tries === undefined) return '';
  return tries > 1 ? ` on the last of ${tries} tries (retries ran out)` : ', and wait-for-minutes left no time to try again';
}

/** Whether the failure is Lambda's ResourceNotFoundException. */
export function isNotFound(error: unknown): boolean {
  return errorName(asAws(error instanceof RequestFailure ? error.cause : error)) === 'ResourceNotFoundException';
}

const PARAMETER_REFUSED = 'Lambda refused a parameter: check that the qualifier is a published version of a Managed Instances function and the min/max fit its capacity provider.';

/** The request members of a ValidationException, named as the service names them, and the input each comes from. */
const INPUT_OF_MEMBER: Record<string, string> = {
  functionName: 'function-name',
  qualifier: 'qualifier',
  name: 'qualifier',
  'functionScalingConfig.minExecutionEnvironments': 'min-execution-environments',
  'functionScalingConfig.maxExecutionEnvironments': 'max-execution-environments',
};

const CREDENTIALS_REFUSED = 'The AWS credentials were refused. Check the role or keys that aws-actions/configure-aws-credentials set, and that they have not expired.';

function status(err: AwsLikeError): number | undefined {
  return err.$metadata?.httpStatusCode;
}

function asAws(error: unknown): AwsLikeError {
  return typeof error === 'object' && error !== null ? (error as AwsLikeError) : { message: String(error) };
}
