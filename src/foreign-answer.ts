/**
 * Recognises an HTTP answer that Lambda's API could not have sent (a web server's 404 page, a proxy's
 * 403, a 200 that is not JSON) and describes it for the user: which endpoint answered, with what, and
 * what to check. Lambda's REST-JSON API answers a JSON object, and every error of it carries its type
 * (the `x-amzn-errortype` header, or `code` / `__type` in the body, where the SDK looks for it).
 */

export interface HttpAnswer {
  status: number;
  /** Header names in lower case, as Node gives them. */
  headers: Record<string, string | undefined>;
  body: string;
}

/**
 * The variables that point the SDK at an endpoint, which it reads from the environment, and the proxy
 * variables, which it does not use but which tell of a network that wants a proxy.
 */
export const ENDPOINT_VARIABLES = ['AWS_ENDPOINT_URL_LAMBDA', 'AWS_ENDPOINT_URL', 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'] as const;

/** What a gateway answers while the service behind it is unreachable for a moment: worth another try. */
export const GATEWAY_STATUSES = new Set([502, 503, 504]);

/** Why `answer` cannot be Lambda's, or undefined when it can be. */
export function foreignReason(answer: HttpAnswer): string | undefined {
  const contentType = answer.headers['content-type'];
  const body = answer.body.trim();
  if (body !== '') {
    const parsed = parseJson(body);
    if (parsed === NOT_JSON) return 'its body is not JSON';
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'its body is not a JSON object';
    if (answer.status >= 300 && !hasErrorType(answer.headers, parsed)) return 'it is an error without the error type that every Lambda error carries';
  } else if (answer.status >= 300 && !answer.headers['x-amzn-errortype']) {
    return 'it is an error with no body and no error type';
  }
  if (contentType !== undefined && !/\bjson\b/i.test(contentType)) return `Lambda answers JSON, not ${mediaType(contentType)}`;
  return undefined;
}

const NOT_JSON = Symbol('not JSON');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

function hasErrorType(headers: HttpAnswer['headers'], body: object): boolean {
  if (headers['x-amzn-errortype']) return true;
  return Object.entries(body).some(([key, value]) => /^(code|__type)$/i.test(key) && typeof value === 'string' && value !== '');
}

/** `text/html; charset=utf-8` → `text/html`. */
export function mediaType(contentType: string): string {
  return contentType.split(';')[0].trim() || contentType;
}

/** How much of the body the message shows. */
export const BODY_START_CHARS = 120;
/** Only so much of a body is looked at: a page can be large, and the start is what tells. */
const BODY_SCAN_CHARS = 64 * 1024;

/**
 * Anything that looks like a request signature, a key ID or a session token, should a page echo the
 * request: as a query (`X-Amz-Signature=…`), a header (`X-Amz-Security-Token: …`) or JSON (`"x-amz-security-token":"…"`).
 */
const SECRET_LIKE =
  /\b(X-Amz-Security-Token|X-Amz-Signature|X-Amz-Credential)["']?\s*[:=]\s*["']?[^\s,;&"'<>]*|(AWS4-HMAC-SHA256|Credential=|Signature=|SignedHeaders=)[^\s,;&"'<>]*|\b(AKIA|ASIA)[A-Z0-9]{12,}\b/gi;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * The start of the body on one line: an HTML page as its text (title and visible text, not its markup),
 * control and invisible characters replaced, `secrets` (the values the request sent, such as its
 * Authorization header) and anything secret-looking redacted, cut at BODY_START_CHARS.
 */
export function bodyStart(body: string, contentType?: string, secrets: string[] = []): string {
  let text = body.slice(0, BODY_SCAN_CHARS);
  for (const secret of secrets) if (secret.length >= 8) text = text.split(secret).join('[redacted]');
  if (/html/i.test(contentType ?? '') || /^\s*</.test(text)) {
    text = text
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<[^>]*>/g, ' ')
      .replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (_, name: string) => ENTITIES[name]);
  }
  const line = text
    // Control and format characters (zero-width, bidirectional overrides), and line and paragraph separators.
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(SECRET_LIKE, '[redacted]');
  return line.length > BODY_START_CHARS ? `${line.slice(0, BODY_START_CHARS)}…` : line;
}

/** `scheme://host[:port]` of a request: no user, password, path or query. */
export function endpointOf(request: { protocol?: string; hostname?: string; port?: number }): string {
  const scheme = (request.protocol ?? 'https:').replace(/:?$/, '');
  return `${scheme}://${request.hostname ?? 'unknown host'}${request.port ? `:${request.port}` : ''}`;
}

/** The ENDPOINT_VARIABLES that are set (to something other than blanks), in that order. */
export function setVariables(env: Record<string, string | undefined>): string[] {
  return ENDPOINT_VARIABLES.filter((name) => env[name]?.trim());
}

export interface ForeignAnswerFacts {
  /** `scheme://host[:port]` the request went to. */
  endpoint: string;
  status: number;
  contentType?: string;
  /** See bodyStart. */
  bodyStart: string;
  /** See foreignReason. */
  reason: string;
  /** ENDPOINT_VARIABLES set when the request was made. */
  variables: string[];
}

/** An answer that is not Lambda's, thrown before the SDK would misread it as a JSON error or an empty result. */
export class ForeignAnswer extends Error {
  readonly $metadata: { httpStatusCode: number };

  constructor(readonly facts: ForeignAnswerFacts) {
    super(`HTTP ${facts.status} from ${facts.endpoint} is not an answer of the Lambda API (${facts.reason})`);
    this.name = 'ForeignAnswer';
    this.$metadata = { httpStatusCode: facts.status };
  }

  /** A gateway's 502, 503 or 504 can pass; any other page answers the same the next time. */
  get passing(): boolean {
    return GATEWAY_STATUSES.has(this.facts.status);
  }
}

export interface ForeignAnswerContext {
  operation?: string;
  target: string;
  region: string;
  /** How many times the request was sent. */
  tries?: number;
}

export function foreignAnswerTitle(facts: ForeignAnswerFacts): string {
  return `Not a Lambda answer (HTTP ${facts.status})`;
}

/** What answered, that it is not Lambda, and what to check: the variables that are set, and the region. */
export function foreignAnswerMessage(facts: ForeignAnswerFacts, context: ForeignAnswerContext): string {
  const request = context.operation ? `${context.operation} on ${context.target}` : `A request for ${context.target}`;
  const type = facts.contentType ? `, ${mediaType(facts.contentType)}` : ', no content type';
  const body = facts.bodyStart ? `: "${facts.bodyStart}"` : ', empty body';
  const endpointVars = facts.variables.filter((v) => v.startsWith('AWS_ENDPOINT_URL'));
  const proxyVars = facts.variables.filter((v) => !v.startsWith('AWS_ENDPOINT_URL'));
  const endpointsSet = endpointVars.length ? `set here: ${endpointVars.join(', ')}` : 'none set';
  // The SDK's HTTP handler connects directly whatever these say (NODE_USE_ENV_PROXY included): set, they
  // hint at a network that wants a proxy, whose firewall may answer a direct request.
  const proxies = proxyVars.length
    ? `Proxy variables set here: ${proxyVars.join(', ')}; the AWS SDK does not send its requests through them, so on a network that needs a proxy a direct request can meet its firewall's page.`
    : 'No proxy variable (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) is set.';
  return [
    `${request} was answered by ${facts.endpoint} with HTTP ${facts.status}${type}${body}`,
    [`This is not an answer of the Lambda API (${facts.reason}): the request reached something else, such as a wrong endpoint, a proxy or a firewall's page.`, retried(facts.status, context.tries)].filter(Boolean).join(' '),
    `Check the endpoint variables AWS_ENDPOINT_URL_LAMBDA and AWS_ENDPOINT_URL (${endpointsSet}) and the region (${context.region}). ${proxies}`,
  ].join('\n');
}

function retried(status: number, tries: number | undefined): string {
  if (!GATEWAY_STATUSES.has(status)) return 'Not retried: such a page answers the same the next time.';
  if (tries === undefined) return '';
  return tries > 1 ? `The last of ${tries} tries was answered so (retries ran out).` : 'Tried once: wait-for-minutes left no time to try again.';
}
