import { BODY_START_CHARS, bodyStart, endpointOf, ForeignAnswer, foreignAnswerMessage, foreignReason, setVariables, type ForeignAnswerFacts } from '../../src/foreign-answer.js';

const json = { 'content-type': 'application/json' };
const lambdaError = { ...json, 'x-amzn-errortype': 'ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.lambda/' };

describe('foreignReason', () => {
  it.each([
    ['a Lambda answer', 200, json, '{"Configuration":{"State":"Active"}}'],
    ['a put answered 202', 202, json, '{"FunctionState":"Pending"}'],
    ['a Lambda error with its type in the header', 404, lambdaError, '{"Type":"User","Message":"Function not found: arn:x"}'],
    ['an error with its type in the body as __type', 400, json, '{"__type":"InvalidParameterValueException","message":"bad"}'],
    ['an error with its type in the body as code', 400, json, '{"code":"ValidationException","message":"bad"}'],
    ['an error with its type in the header and no body', 500, { 'x-amzn-errortype': 'ServiceException' }, ''],
    ['an answer with no content type', 200, {}, '{"FunctionState":"Active"}'],
    ['a JSON content type with parameters', 200, { 'content-type': 'application/json; charset=utf-8' }, '{}'],
    ['an empty 200 in JSON', 200, json, ''],
  ])('accepts %s', (_what, status, headers, body) => {
    expect(foreignReason({ status, headers, body })).toBeUndefined();
  });

  it.each([
    ['an HTML 404 page', 404, { 'content-type': 'text/html' }, '<html><body>404</body></html>', 'its body is not JSON'],
    ['HTML sent as JSON', 200, json, '<!doctype html><html></html>', 'its body is not JSON'],
    ['a 200 in plain text', 200, { 'content-type': 'text/plain' }, 'OK', 'its body is not JSON'],
    ['a JSON array', 200, json, '[1, 2]', 'its body is not a JSON object'],
    ['a JSON string', 200, json, '"ok"', 'its body is not a JSON object'],
    ['JSON null', 200, json, 'null', 'its body is not a JSON object'],
    ['a JSON 404 without error type', 404, json, '{"message":"Not Found"}', 'it is an error without the error type that every Lambda error carries'],
    ['a JSON error whose code is not a string', 400, json, '{"code":400,"message":"Bad"}', 'it is an error without the error type that every Lambda error carries'],
    ['a JSON error whose type is empty', 400, json, '{"__type":"","message":"Bad"}', 'it is an error without the error type that every Lambda error carries'],
    ['a redirect without body', 302, { location: 'https://login.example/' }, '', 'it is an error with no body and no error type'],
    ['a 503 without body', 503, {}, '  ', 'it is an error with no body and no error type'],
    ['an empty 200 in HTML', 200, { 'content-type': 'text/html; charset=utf-8' }, '', 'Lambda answers JSON, not text/html'],
    ['a JSON object as text/plain', 200, { 'content-type': 'text/plain' }, '{}', 'Lambda answers JSON, not text/plain'],
  ])('recognises %s', (_what, status, headers, body, reason) => {
    expect(foreignReason({ status, headers, body })).toBe(reason);
  });
});

describe('bodyStart', () => {
  it('shows an HTML page as its text: no markup, comments, scripts or styles', () => {
    const page = '<!DOCTYPE html>\n<html><head><title>Access Denied</title><style>body { color: red }</style><script>var x = "<b>";</script></head>\n<body><h1>Access&nbsp;Denied</h1><!-- rule 7 --><p>Ask &amp; wait.</p></body></html>';
    expect(bodyStart(page, 'text/html')).toBe('Access Denied Access Denied Ask & wait.');
  });

  it('treats a body that starts with markup as HTML whatever its content type', () => {
    expect(bodyStart('  <html><body>Not here</body></html>', 'application/json')).toBe('Not here');
  });

  it('keeps text as it is, on one line, without control or invisible characters', () => {
    expect(bodyStart('upstream connect error\r\n\tor disconnect\u0007 \u202eevil\u200b', 'text/plain')).toBe('upstream connect error or disconnect evil');
  });

  it(`cuts at ${BODY_START_CHARS} characters`, () => {
    expect(bodyStart('x'.repeat(BODY_START_CHARS), 'text/plain')).toBe('x'.repeat(BODY_START_CHARS));
    expect(bodyStart('x'.repeat(BODY_START_CHARS + 1), 'text/plain')).toBe(`${'x'.repeat(BODY_START_CHARS)}…`);
  });

  it('redacts what looks like a signature, key ID or token, should a page echo the request', () => {
    const echo = 'Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=abc123 X-Amz-Security-Token=FQoGZXIvYXdzE key ASIAXXXXXXXXXXXXXXXX';
    const shown = bodyStart(echo, 'text/plain');
    expect(shown).not.toMatch(/AKIA|ASIA|abc123|FQoG|AWS4-HMAC|Credential=|Signature=/);
    expect(shown).toBe('Authorization: [redacted] [redacted], [redacted], [redacted] [redacted] key [redacted]');
  });

  it('redacts a token echoed as a header or in JSON, not only as a query', () => {
    expect(bodyStart('x-amz-security-token: FQoGZXIvYXdzEBcaDHrV3 next', 'text/plain')).toBe('[redacted] next');
    expect(bodyStart('{"headers":{"x-amz-security-token":"FQoGZXIvYXdzEBcaDHrV3","host":"h"}}', 'application/json')).toBe('{"headers":{"[redacted]","host":"h"}}');
  });

  it('redacts the values the request sent, in whatever form they come back', () => {
    const token = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJH';
    expect(bodyStart(`<p>you sent ${token}</p>`, 'text/html', [token])).toBe('you sent [redacted]');
    // Too short to be a secret: left alone, so that a header like `1` does not blank the page.
    expect(bodyStart('a 1 b', 'text/plain', ['1'])).toBe('a 1 b');
  });

  it('is empty for an empty body', () => {
    expect(bodyStart('', 'text/html')).toBe('');
  });
});

describe('endpointOf', () => {
  it('gives scheme, host and port, and nothing else', () => {
    expect(endpointOf({ protocol: 'http:', hostname: '127.0.0.1', port: 4010 })).toBe('http://127.0.0.1:4010');
    expect(endpointOf({ protocol: 'https:', hostname: 'lambda.us-east-1.amazonaws.com' })).toBe('https://lambda.us-east-1.amazonaws.com');
    expect(endpointOf({ protocol: 'https', hostname: 'proxy.corp' })).toBe('https://proxy.corp');
  });
});

describe('setVariables', () => {
  it('names the endpoint and proxy variables that are set, and no other', () => {
    const env = { AWS_ENDPOINT_URL: 'http://x', https_proxy: 'http://user:pass@proxy:3128', NO_PROXY: ' ', AWS_REGION: 'us-east-1', HTTP_PROXY: '' };
    expect(setVariables(env)).toEqual(['AWS_ENDPOINT_URL', 'https_proxy']);
    expect(setVariables({})).toEqual([]);
  });
});

describe('foreignAnswerMessage', () => {
  const facts = (extra: Partial<ForeignAnswerFacts> = {}): ForeignAnswerFacts => ({
    endpoint: 'http://127.0.0.1:4010',
    status: 503,
    contentType: 'text/html; charset=utf-8',
    bodyStart: 'Service Unavailable',
    reason: 'its body is not JSON',
    variables: ['AWS_ENDPOINT_URL', 'HTTPS_PROXY', 'no_proxy'],
    ...extra,
  });
  const ctx = { operation: 'GetFunction', target: 'app:4', region: 'eu-west-1' };

  it('names the endpoint, operation, status, content type and body start, and the variables that are set', () => {
    const lines = foreignAnswerMessage(facts(), { ...ctx, tries: 8 }).split('\n');
    expect(lines[0]).toBe('GetFunction on app:4 was answered by http://127.0.0.1:4010 with HTTP 503, text/html: "Service Unavailable"');
    expect(lines[1]).toMatch(/^This is not an answer of the Lambda API \(its body is not JSON\): .* The last of 8 tries was answered so \(retries ran out\)\.$/);
    expect(lines[2]).toBe(
      "Check the endpoint variables AWS_ENDPOINT_URL_LAMBDA and AWS_ENDPOINT_URL (set here: AWS_ENDPOINT_URL) and the region (eu-west-1). Proxy variables set here: HTTPS_PROXY, no_proxy; the AWS SDK does not send its requests through them, so on a network that needs a proxy a direct request can meet its firewall's page.",
    );
  });

  it('says "retries ran out" only when there were retries', () => {
    expect(foreignAnswerMessage(facts(), { ...ctx, tries: 1 })).toMatch(/Tried once: wait-for-minutes left no time to try again\./);
    expect(foreignAnswerMessage(facts(), { ...ctx, tries: 1 })).not.toMatch(/retries/);
    expect(foreignAnswerMessage(facts({ status: 404 }), { ...ctx, tries: 1 })).toMatch(/Not retried: such a page answers the same the next time\./);
    expect(foreignAnswerMessage(facts(), ctx)).not.toMatch(/tries|retried/i);
  });

  it('says when there is no content type or body, and which target when there is no operation', () => {
    const message = foreignAnswerMessage(facts({ contentType: undefined, bodyStart: '', variables: [] }), { target: 'app:4', region: 'eu-west-1' });
    expect(message.split('\n')[0]).toBe('A request for app:4 was answered by http://127.0.0.1:4010 with HTTP 503, no content type, empty body');
    expect(message).toMatch(/AWS_ENDPOINT_URL \(none set\) and the region \(eu-west-1\)\. No proxy variable \(HTTPS_PROXY, HTTP_PROXY, NO_PROXY\) is set\.$/);
  });

  it('reads as an error of its own, with the status in its metadata', () => {
    const error = new ForeignAnswer(facts());
    expect(error.name).toBe('ForeignAnswer');
    expect(error.$metadata.httpStatusCode).toBe(503);
    expect(error.passing).toBe(true);
    expect(new ForeignAnswer(facts({ status: 403 })).passing).toBe(false);
  });
});
