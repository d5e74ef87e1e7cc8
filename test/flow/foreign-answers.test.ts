// A runner whose requests reach something other than Lambda: a wrong endpoint, a proxy, another service.
// The emulator answers with each kind of foreign body; the real SDK, in process, on a virtual clock.
import { FOREIGN_PAGES, startEmulator, type Emulator } from '../emulator/server.js';
import { runFlow } from '../support/flow.js';
import { virtualClock } from '../support/virtual-clock.js';

let emu: Emulator;
let clock: ReturnType<typeof virtualClock>;
beforeEach(async () => {
  clock = virtualClock();
  emu = await startEmulator({ now: clock.now, timings: { resizeMs: 2000 } });
  emu.addFunction({ name: 'app', versions: { '4': { applied: { min: 1, max: 1 } } } });
});
afterEach(() => emu.close());

const scale = (env: Record<string, string | undefined> = {}, extra: Record<string, string> = {}) =>
  runFlow(emu.url, { 'function-name': 'app', qualifier: '4', 'min-execution-environments': '2', 'max-execution-environments': '4', ...extra }, { clock, env });

const statuses = () => emu.requests.map((r) => `${r.operation} ${r.status}`);
/** The README promises 8 tries for a gateway's error page, then an annotation. */
const TRIES = 8;

describe('an answer that is not Lambda’s', () => {
  it('an HTML 404 on every request: reported after the first, with the endpoint, the page and what to check', async () => {
    emu.fault({ kind: 'raw', ...FOREIGN_PAGES.html404, times: 100 });
    const result = await scale();
    expect(result.ok).toBe(false);
    expect(statuses()).toEqual(['GetFunctionScalingConfig 404']);
    expect(result.errors).toEqual([
      {
        title: 'Not a Lambda answer (HTTP 404): app:4',
        message: [
          `GetFunctionScalingConfig on app:4 was answered by ${emu.url} with HTTP 404, text/html: "404 Not Found 404 Not Found nginx"`,
          "This is not an answer of the Lambda API (its body is not JSON): the request reached something else, such as a wrong endpoint, a proxy or a firewall's page. Not retried: such a page answers the same the next time.",
          'Check the endpoint variables AWS_ENDPOINT_URL_LAMBDA and AWS_ENDPOINT_URL (set here: AWS_ENDPOINT_URL_LAMBDA) and the region (us-east-1). No proxy variable (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) is set.',
        ].join('\n'),
      },
    ]);
    expect(result.errors[0].message).not.toMatch(/Deserialization|\$response|Unexpected token|retries ran out/);
    expect(result.logs).toContainEqual(expect.stringMatching(new RegExp(`^::debug::GetFunctionScalingConfig app:4: not a Lambda answer: HTTP 404 text/html from ${emu.url} after \\d+ ms$`)));
    expect(result.outputs.changed).toBe('');
  });

  it('on the alias resolution too, named for the alias', async () => {
    emu.fault({ kind: 'raw', ...FOREIGN_PAGES.html404, times: 100 });
    const result = await scale({}, { qualifier: 'live' });
    expect(statuses()).toEqual(['GetAlias 404']);
    expect(result.errors.map((e) => e.title)).toEqual(['Not a Lambda answer (HTTP 404): app:live']);
    expect(result.errors[0].message).toMatch(/^GetAlias on app:live was answered by http:\/\/127\.0\.0\.1:\d+ with HTTP 404, text\/html: /);
  });

  it('a JSON 404 without error type (another service’s API) is not taken for a missing function', async () => {
    emu.fault({ kind: 'raw', ...FOREIGN_PAGES.json404, times: 100 });
    const result = await scale();
    expect(statuses()).toEqual(['GetFunctionScalingConfig 404']);
    expect(result.errors.map((e) => e.title)).toEqual(['Not a Lambda answer (HTTP 404): app:4']);
    expect(result.errors[0].message).toMatch(
      /^GetFunctionScalingConfig on app:4 was answered by http:\/\/127\.0\.0\.1:\d+ with HTTP 404, application\/json: "\{"message":"Not Found"\}"\nThis is not an answer of the Lambda API \(it is an error without the error type that every Lambda error carries\)/,
    );
    expect(result.errors[0].message).not.toMatch(/function, version or alias was not found/);
  });

  it('a 200 that is not JSON, while waiting, ends the wait at once instead of reading nothing until the timeout', async () => {
    // The reads before the put (the capacity check's GetFunction failing skips the check) and the put pass;
    // the first state read of the wait gets the foreign 200.
    emu.fault({ operation: 'GetFunction', kind: 'raw', ...FOREIGN_PAGES.text200, times: 100 });
    const started = clock.now();
    const result = await scale();
    expect(statuses()).toEqual(['GetFunctionScalingConfig 200', 'GetFunction 200', 'PutFunctionScalingConfig 202', 'GetFunction 200']);
    expect(result.errors.map((e) => e.title)).toEqual(['Not a Lambda answer (HTTP 200): app:4']);
    expect(result.errors[0].message).toMatch(/^GetFunction on app:4 was answered by http:\/\/127\.0\.0\.1:\d+ with HTTP 200, text\/plain: "OK"\n/);
    expect(clock.now() - started).toBeLessThan(2000);
  });

  it('an empty 200 in HTML is not a success with nothing in it', async () => {
    emu.fault({ operation: 'GetFunctionScalingConfig', kind: 'raw', status: 200, contentType: 'text/html', body: '' });
    const result = await scale();
    expect(statuses()).toEqual(['GetFunctionScalingConfig 200']);
    expect(result.errors[0].title).toBe('Not a Lambda answer (HTTP 200): app:4');
    expect(result.errors[0].message).toMatch(/with HTTP 200, text\/html, empty body\nThis is not an answer of the Lambda API \(Lambda answers JSON, not text\/html\)/);
  });

  it('a proxy’s 403 page: not retried, and the proxy variables that are set are named, not their values', async () => {
    emu.fault({ kind: 'raw', ...FOREIGN_PAGES.proxy403, times: 100 });
    const proxy = 'http://alice:s3cret@proxy.corp.example:3128';
    const result = await scale({ HTTPS_PROXY: proxy, no_proxy: 'localhost' });
    expect(statuses()).toEqual(['GetFunctionScalingConfig 403']);
    const [error] = result.errors;
    expect(error.title).toBe('Not a Lambda answer (HTTP 403): app:4');
    expect(error.message).toContain(`with HTTP 403, text/html: "Access Denied Access Denied Your organization's web policy blocks lambda.us-east-1.amazonaws.com."`);
    expect(error.message).toContain('Proxy variables set here: HTTPS_PROXY, no_proxy; the AWS SDK does not send its requests through them');
    expect(error.message).not.toMatch(/s3cret|alice|policy 17|<style|font-family/);
    // Not the AccessDeniedException of a missing IAM permission.
    expect(error.message).not.toMatch(/lacks a permission/);
  });

  it('a page that echoes the request shows nothing of what signed it: not the signature, key ID or session token', async () => {
    emu.fault({ kind: 'raw', status: 400, contentType: 'text/plain', body: 'Refused:\n', echoHeaders: ['x-amz-security-token', 'authorization'] });
    const result = await scale({}, { 'wait-for-minutes': '1' });
    const [error] = result.errors;
    expect(error.title).toBe('Not a Lambda answer (HTTP 400): app:4');
    // The values as they were sent, unlabelled.
    expect(error.message).toMatch(/: "Refused: \[redacted\] \[redacted\]"\n/);
    const shown = [error.message, ...result.logs, result.summary].join('\n');
    expect(shown).not.toMatch(/AWS4-HMAC-SHA256|Signature=|Credential=|AKIDEMULATOR|emulator-session-token/);
  });

  it.each([500, 429, 401])('a foreign %i page is not retried either: only a gateway’s error can pass', async (status) => {
    emu.fault({ kind: 'raw', status, contentType: 'text/html', body: `<html><body>${status}</body></html>`, times: 100 });
    const result = await scale();
    expect(statuses()).toEqual([`GetFunctionScalingConfig ${status}`]);
    expect(result.errors.map((e) => e.title)).toEqual([`Not a Lambda answer (HTTP ${status}): app:4`]);
  });

  it(`a gateway’s 503 page is tried ${TRIES} times, then reported with the count of tries`, async () => {
    emu.fault({ kind: 'error', status: 503, html: true, times: 100 });
    const result = await scale();
    expect(statuses()).toEqual(Array(TRIES).fill('GetFunctionScalingConfig 503'));
    expect(result.errors.map((e) => e.title)).toEqual(['Not a Lambda answer (HTTP 503): app:4']);
    expect(result.errors[0].message).toMatch(/with HTTP 503, text\/html: "503 Service Unavailable 503 Service Unavailable"\n.* The last of 8 tries was answered so \(retries ran out\)\.\n/);
    expect(result.logs).toContain(`GetFunctionScalingConfig app:4: a passing failure (not a Lambda answer: HTTP 503 text/html from ${emu.url}); retrying in 0.4 s`);
  });

  it('a gateway’s 502 in plain text, and an empty 504, are retried and the step succeeds', async () => {
    emu.fault({ operation: 'PutFunctionScalingConfig', kind: 'raw', status: 502, contentType: 'text/plain', body: 'upstream connect error or disconnect/reset before headers' });
    emu.fault({ operation: 'GetFunction', kind: 'raw', status: 504, body: '' });
    const result = await scale();
    expect(result.errors).toEqual([]);
    // The 504 meets the capacity check's GetFunction before the put.
    expect(statuses().slice(0, 6)).toEqual(['GetFunctionScalingConfig 200', 'GetFunction 504', 'GetFunction 200', 'GetCapacityProvider 200', 'PutFunctionScalingConfig 502', 'PutFunctionScalingConfig 202']);
    expect(emu.inspect('app', '4').applied).toEqual({ min: 2, max: 4 });
  });

  it('a gateway’s 503 until the deadline gives the tries it had, not the most it could have had', async () => {
    // 3 s: the backoffs (0.375, 0.75, 1.5, 3 s with this run's random) cross the deadline at the 4th.
    emu.fault({ kind: 'error', status: 503, html: true, times: 100 });
    const result = await scale({}, { 'wait-for-minutes': '0.05' });
    expect(statuses()).toEqual(Array(4).fill('GetFunctionScalingConfig 503'));
    expect(result.errors[0].message).toContain('The last of 4 tries was answered so (retries ran out).');
  });
});
