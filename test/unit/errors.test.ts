import { ActionError, annotationFor, classifyError, isNotFound, RequestFailure } from '../../src/errors.js';
import { ForeignAnswer, type ForeignAnswerFacts } from '../../src/foreign-answer.js';

const aws = (name: string, message: string, status?: number, extra: object = {}) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status, requestId: status ? 'req-1' : undefined }, ...extra });
const ctx = { target: 'app:7', region: 'eu-west-1' };

describe('classifyError', () => {
  it.each(
    [
      [aws('ResourceConflictException', 'An update is in progress', 409), 'conflict'],
      [aws('TooManyRequestsException', 'Rate exceeded', 429), 'throttle'],
      [aws('ThrottlingException', 'Rate exceeded', 400), 'throttle'],
      [aws('SlowDown', 'Please reduce your request rate', 429), 'throttle'],
      [aws('ServiceUnavailableException', 'Unavailable', 503), 'transient'],
      [aws('ServiceException', 'Internal', 500), 'transient'],
      [aws('TimeoutError', 'socket hang up'), 'transient'],
      [Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'transient'],
      [new Error('AWS SDK error wrapper for TimeoutError: socket hang up'), 'transient'],
      [Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }), 'fatal'],
      [aws('ResourceNotFoundException', 'Function not found', 404), 'fatal'],
      [aws('AccessDeniedException', 'not authorized', 403), 'fatal'],
      [aws('InvalidParameterValueException', 'bad', 400), 'fatal'],
      [aws('CredentialsProviderError', 'Could not load credentials from any providers'), 'fatal'],
      [Object.assign(new Error('aborted'), { name: 'AbortError' }), 'aborted'],
    ].map(([error, kind]) => [`${(error as Error).name}: ${(error as Error).message}`, kind, error] as const),
    // Titled without the stack, which Jest would print for an Error: a title must not change between runs.
  )('%s is %s', (_title, kind, error) => {
    expect(classifyError(error).kind).toBe(kind);
  });

  it('reads Retry-After in seconds', () => {
    expect(classifyError(aws('TooManyRequestsException', 'slow down', 429, { retryAfterSeconds: '3' }))).toEqual({ kind: 'throttle', retryAfterMs: 3000 });
    expect(classifyError(aws('TooManyRequestsException', 'slow down', 429))).toEqual({ kind: 'throttle', retryAfterMs: undefined });
    expect(classifyError(aws('TooManyRequestsException', 'slow down', 429, { retryAfterSeconds: '0' }))).toEqual({ kind: 'throttle', retryAfterMs: 0 });
  });

  it('reads the Retry-After header when the error has no retryAfterSeconds', () => {
    expect(classifyError(aws('ThrottlingException', 'slow down', 429, { $response: { headers: { 'retry-after': '4' } } }))).toEqual({ kind: 'throttle', retryAfterMs: 4000 });
    expect(classifyError(aws('ThrottlingException', 'slow down', 429, { $response: {} }))).toEqual({ kind: 'throttle', retryAfterMs: undefined });
  });

  it('ignores a Retry-After that is not a number of seconds (a date, a negative number): backoff applies', () => {
    for (const value of ['Wed, 21 Oct 2026 07:28:00 GMT', '-1', 'soon', 'Infinity']) {
      expect(classifyError(aws('TooManyRequestsException', 'slow down', 429, { retryAfterSeconds: value }))).toEqual({ kind: 'throttle', retryAfterMs: undefined });
    }
  });
});

describe('annotationFor', () => {
  it('titles with the exception name and target; gives message, operation, hint, status and request ID', () => {
    const a = annotationFor(new RequestFailure('GetAlias', aws('ResourceNotFoundException', 'Alias not found: arn:x', 404), 1), ctx);
    expect(a.title).toBe('ResourceNotFoundException: app:7');
    expect(a.message).toBe('Alias not found: arn:x (GetAlias on app:7)\nThe function, version or alias was not found in eu-west-1: check function-name, qualifier and region.\n(HTTP 404, request ID req-1)');
  });

  it('names the IAM action an AccessDeniedException is about', () => {
    const a = annotationFor(aws('AccessDeniedException', 'User: x is not authorized to perform: lambda:GetFunction on resource: y', 403), ctx);
    expect(a.message).toMatch(/grant lambda:GetFunction\./);
  });

  it('recognises a function without a capacity provider', () => {
    const a = annotationFor(aws('AccessDeniedException', 'The function provided by the arn does not contain a capacity provider configuration', 403), ctx);
    expect(a.message).toMatch(/not a Lambda Managed Instances function/);
  });

  it.each([
    ['InvalidParameterValueException', /refused a parameter/],
    ['ValidationException', /refused a parameter/],
    ['UnrecognizedClientException', /credentials were refused/],
    ['InvalidSignatureException', /credentials were refused/],
    ['TooManyRequestsException', /15 requests per second/],
    ['ServiceException', /internal error/],
    ['ResourceConflictException', /stayed busy/],
    ['CredentialsProviderError', /\nNo AWS credentials were found\. Run aws-actions\/configure-aws-credentials/],
    ['ExpiredTokenException', /refused/],
    ['TimeoutError', /connection to Lambda failed/],
  ])('has a hint for %s', (name, hint) => {
    expect(annotationFor(aws(name, 'x'), ctx).message).toMatch(hint);
  });

  it.each(['EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'ENETUNREACH', 'ECONNREFUSED'])('gives the network hint for %s, which nothing answered', (code) => {
    const a = annotationFor(Object.assign(new Error(`connect ${code}`), { code }), ctx);
    expect(a.title).toBe(`${code}: app:7`);
    expect(a.message).toMatch(/connection to Lambda failed/);
  });

  it('explains a DNS failure of the endpoint', () => {
    const a = annotationFor(Object.assign(new Error('getaddrinfo ENOTFOUND lambda.example'), { code: 'ENOTFOUND' }), ctx);
    expect(a.title).toBe('ENOTFOUND: app:7');
    expect(a.message).toMatch(/could not be resolved.*eu-west-1.*AWS_ENDPOINT_URL_LAMBDA/);
  });

  it('says "retries ran out" for a passing failure only after retries, with how many tries', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(annotationFor(new RequestFailure('GetFunction', reset, 8), ctx).message).toMatch(/^read ECONNRESET \(GetFunction on app:7\)\nThe connection to Lambda failed on the last of 8 tries \(retries ran out\)\. Check/);
    const once = annotationFor(new RequestFailure('GetFunction', reset, 1), ctx).message;
    expect(once).toMatch(/The connection to Lambda failed, and wait-for-minutes left no time to try again\. Check/);
    expect(once).not.toMatch(/retries/);
    const internal = aws('ServiceException', 'Internal', 500);
    expect(annotationFor(new RequestFailure('PutFunctionScalingConfig', internal, 3), ctx).message).toMatch(/Lambda had an internal error on the last of 3 tries \(retries ran out\)\. Run the job again later/);
    expect(annotationFor(new RequestFailure('PutFunctionScalingConfig', internal, 1), ctx).message).not.toMatch(/retries/);
  });

  it('shows an unknown error with its name and status', () => {
    const a = annotationFor(aws('WeirdException', 'odd', 418), ctx);
    expect(a.title).toBe('WeirdException: app:7');
    expect(a.message).toMatch(/does not know \(HTTP 418\)/);
  });

  it('names role-duration-seconds for credentials that expired after being accepted earlier in the step', () => {
    const expired = aws('ExpiredTokenException', 'The security token included in the request is expired', 403);
    const late = annotationFor(new RequestFailure('GetFunction', expired, 1), { ...ctx, credentialsAgeMs: 61 * 60_000 });
    expect(late.message).toMatch(/expired during the step: a request 61 min earlier was accepted.*role-duration-seconds above wait-for-minutes/);
    const soon = annotationFor(new RequestFailure('GetFunction', expired, 1), { ...ctx, credentialsAgeMs: 20_000 });
    expect(soon.message).toMatch(/a request 20 s earlier was accepted/);
    const minute = annotationFor(new RequestFailure('GetFunction', expired, 1), { ...ctx, credentialsAgeMs: 60_000 });
    expect(minute.message).toMatch(/a request 1 min earlier was accepted/);
    const early = annotationFor(new RequestFailure('GetFunctionScalingConfig', expired, 1), ctx);
    expect(early.message).toMatch(/credentials were refused/);
    expect(early.message).not.toMatch(/role-duration-seconds/);
  });

  it('names the input behind a ValidationException, and falls back to the general hint', () => {
    const message = "1 validation error detected: Value 'v1.2' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)";
    const a = annotationFor(new RequestFailure('GetAlias', aws('ValidationException', message, 400), 1), ctx);
    expect(a.message.split('\n')[1]).toBe(
      "Lambda's API refused 'v1.2' for name (Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)): fix the input qualifier. The action checks its inputs against the same limits, so report this if the input looks valid.",
    );
    const unknownMember = annotationFor(aws('ValidationException', "1 validation error detected: Value 'x' at 'other' failed to satisfy constraint: C", 400), ctx);
    expect(unknownMember.message).toMatch(/refused 'x' for other \(C\)\. The action/);
    expect(annotationFor(aws('ValidationException', 'Invalid request', 400), ctx).message).toMatch(/Lambda refused a parameter/);
  });

  it.each([
    ['functionName', 'function-name'],
    ['qualifier', 'qualifier'],
    ['name', 'qualifier'],
    ['functionScalingConfig.minExecutionEnvironments', 'min-execution-environments'],
    ['functionScalingConfig.maxExecutionEnvironments', 'max-execution-environments'],
  ])('names the input behind the member %s of a ValidationException', (member, input) => {
    const message = `1 validation error detected: Value 'x' at '${member}' failed to satisfy constraint: C`;
    expect(annotationFor(aws('ValidationException', message, 400), ctx).message).toMatch(new RegExp(`for ${member} \\(C\\): fix the input ${input}\\.`));
  });

  it("drops the constraint's closing full stop, not one inside it", () => {
    const message = "1 validation error detected: Value 'live' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\$LATEST\\.PUBLISHED|[0-9]+).";
    expect(annotationFor(aws('ValidationException', message, 400), ctx).message).toMatch(/\(Member must satisfy regular expression pattern: \(\\\$LATEST\\\.PUBLISHED\|\[0-9\]\+\)\): fix the input qualifier\./);
  });

  it('shows a thrown value that is not an object (null) as its text', () => {
    const a = annotationFor(null, ctx);
    expect(a.title).toBe('Error: app:7');
    expect(a.message).toMatch(/^null \(app:7\)\n/);
  });

  it('says so when the service gave no message, and names a bare error by its code', () => {
    const a = annotationFor(Object.assign(new Error(''), { code: 'ECONNRESET' }), ctx);
    expect(a.title).toBe('ECONNRESET: app:7');
    expect(a.message).toMatch(/^no message \(app:7\)\n/);
    expect(annotationFor(new Error('odd'), ctx).title).toBe('Error: app:7');
  });

  it('shows an error without a message', () => {
    const a = annotationFor({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }, ctx);
    expect(a).toEqual({ title: 'AccessDeniedException: app:7', message: expect.stringMatching(/^no message \(app:7\)\nThe role lacks a permission\. /) });
  });

  it('shows a thrown value that is not an error, with no status line', () => {
    expect(annotationFor('boom', ctx)).toEqual({
      title: 'Error: app:7',
      message: 'boom (app:7)\nLambda answered with an error the action does not know. Check the message above; run with step debug logging for the request details.',
    });
  });

  it('trims the service message and shows whichever of status and request ID it has', () => {
    const withId = annotationFor(Object.assign(new Error('  Rate exceeded\n'), { name: 'WeirdException', $metadata: { requestId: 'req-9' } }), ctx);
    expect(withId.message).toMatch(/^Rate exceeded \(app:7\)\n.*\n\(request ID req-9\)$/);
    const withStatus = annotationFor(aws('WeirdException', 'odd', 418), { ...ctx });
    expect(withStatus.message.split('\n').at(-1)).toBe('(HTTP 418, request ID req-1)');
    const statusOnly = annotationFor(Object.assign(new Error('odd'), { name: 'WeirdException', $metadata: { httpStatusCode: 418 } }), ctx);
    expect(statusOnly.message.split('\n').at(-1)).toBe('(HTTP 418)');
  });

  it('names no IAM action when the message has none', () => {
    const a = annotationFor(aws('AccessDeniedException', 'Access denied', 403), ctx);
    expect(a.message).toMatch(/The role lacks a permission\. The action needs lambda:PutFunctionScalingConfig/);
  });

  it('finds no input for a member that is only a name of Object', () => {
    const message = "1 validation error detected: Value 'x' at 'constructor' failed to satisfy constraint: C";
    expect(annotationFor(aws('ValidationException', message, 400), ctx).message).toMatch(/refused 'x' for constructor \(C\)\. The action/);
  });

  it('passes the action’s own diagnoses through', () => {
    expect(annotationFor(new ActionError('Timed out', 'too slow'), ctx)).toEqual({ title: 'Timed out: app:7', message: 'too slow' });
  });
});

const facts = (status: number, extra: Partial<ForeignAnswerFacts> = {}): ForeignAnswerFacts => ({
  endpoint: 'https://lambda.example:8443',
  status,
  contentType: 'text/html',
  bodyStart: '404 Not Found nginx',
  reason: 'its body is not JSON',
  variables: [],
  ...extra,
});

describe('an answer that is not Lambda’s', () => {
  it.each([
    [502, 'transient'],
    [503, 'transient'],
    [504, 'transient'],
    [500, 'fatal'],
    [404, 'fatal'],
    [403, 'fatal'],
    [429, 'fatal'],
    [200, 'fatal'],
  ])('with HTTP %i is %s: only a gateway error can pass', (status, kind) => {
    expect(classifyError(new ForeignAnswer(facts(status))).kind).toBe(kind);
  });

  it('is titled as not Lambda’s, with its status, and explained without the SDK’s text', () => {
    const a = annotationFor(new RequestFailure('GetFunctionScalingConfig', new ForeignAnswer(facts(404, { variables: ['AWS_ENDPOINT_URL_LAMBDA'] })), 1), ctx);
    expect(a.title).toBe('Not a Lambda answer (HTTP 404): app:7');
    expect(a.message.split('\n')).toEqual([
      'GetFunctionScalingConfig on app:7 was answered by https://lambda.example:8443 with HTTP 404, text/html: "404 Not Found nginx"',
      "This is not an answer of the Lambda API (its body is not JSON): the request reached something else, such as a wrong endpoint, a proxy or a firewall's page. Not retried: such a page answers the same the next time.",
      'Check the endpoint variables AWS_ENDPOINT_URL_LAMBDA and AWS_ENDPOINT_URL (set here: AWS_ENDPOINT_URL_LAMBDA) and the region (eu-west-1). No proxy variable (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) is set.',
    ]);
  });

  it('is not a ResourceNotFoundException, even as a 404', () => {
    expect(isNotFound(new RequestFailure('GetFunction', new ForeignAnswer(facts(404)), 1))).toBe(false);
    expect(isNotFound(new RequestFailure('GetFunction', aws('ResourceNotFoundException', 'Function not found', 404), 1))).toBe(true);
    expect(isNotFound(aws('ResourceNotFoundException', 'Function not found', 404))).toBe(true);
    expect(isNotFound(aws('AccessDeniedException', 'no', 403))).toBe(false);
  });
});
