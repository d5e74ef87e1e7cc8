// A local AWS Lambda endpoint (node:http only) for the scaling-config operations, with a virtual clock,
// scriptable faults and a record of every request.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccountQuota, LAMBDA_QUOTA, type QuotaLimits } from './quota.js';
import { LambdaService, type CapacityProviderSpec, type FunctionSpec, type InspectResult } from './service.js';
import type { RawAnswer } from './foreign-pages.js';
import { DEFAULT_TIMINGS, type Republish, type Timings } from './state.js';
import { ApiError, matchRoute, sendError, sendHtmlError, sendJson, sendRaw, type OperationName } from './wire.js';

export { CAPACITY_OVERFLOW, type CapacityProviderSpec, type FunctionSpec, type InspectResult } from './service.js';
export { LAMBDA_QUOTA, type QuotaLimits } from './quota.js';
export { FOREIGN_PAGES, type RawAnswer } from './foreign-pages.js';
export type { Republish, ScalingConfig, State, StateReason, Timings, VersionSpec } from './state.js';
export { ROUTES, SHAPES, ERRORS, type ErrorName, type OperationName, type Route } from './wire.js';

export type FaultSpec = {
  /** Only requests for this operation consume the fault (default: any request). */
  operation?: OperationName;
  /** How many matching requests it applies to (default 1). */
  times?: number;
  /** How many matching requests pass untouched first (default 0): a fault for a read-back, not the first read. */
  after?: number;
} & (
  | {
      kind: 'error';
      status: number;
      /** Defaults to the modeled error for the status, else ServiceException. */
      errorType?: string;
      message?: string;
      retryAfterSeconds?: number;
      /** Answer with a load balancer's HTML error page instead of a Lambda error. */
      html?: boolean;
    }
  /** Answer exactly this status, content type and body, and no other header: no request ID, no error type. FOREIGN_PAGES has what other hosts answer. */
  | ({ kind: 'raw' } & RawAnswer)
  /** Destroy the socket without answering. */
  | { kind: 'reset' }
  /** Never answer (until close()). */
  | { kind: 'hang' }
  /** Answer normally after a real-time delay. */
  | { kind: 'delay'; ms: number }
);

export interface RequestRecord {
  /** now() when the request arrived. */
  at: number;
  operation: OperationName | 'Unknown';
  method: string;
  /** Path and query string as received (still URL-encoded). */
  path: string;
  /** The FunctionName path parameter, decoded, as the caller wrote it (name, partial or full ARN). */
  functionName?: string;
  /** The Qualifier query parameter, or GetAlias's alias name. */
  qualifier?: string;
  /** The CapacityProviderName path parameter, decoded (a name or an ARN). */
  capacityProvider?: string;
  /** 'hang' also while the answer is still pending. */
  status: number | 'reset' | 'hang';
  /** Authorization header present and SigV4. */
  signed: boolean;
  /** The region the request was signed for: the emulator holds one account per region. */
  region: string;
  /** Parsed JSON body, or the raw text when it is not JSON. */
  body?: unknown;
}

export interface EmulatorOptions {
  port?: number;
  host?: string;
  now?: () => number;
  region?: string;
  account?: string;
  timings?: Partial<Timings>;
  log?: (line: string) => void;
  /** Enforce Lambda's account-wide request quotas (off by default): true for Lambda's own limits. */
  quota?: boolean | Partial<QuotaLimits>;
}

export interface Emulator {
  url: string;
  /** The default region: the one of addFunction, republish and inspect without a region. */
  region: string;
  account: string;
  /** Adds a function in `region` (default: the emulator's); a request reaches the region it is signed for. */
  addFunction(spec: FunctionSpec, region?: string): void;
  /** Adds a capacity provider in `region` (or changes one: its MaxVCpuCount, say), for functions to name. */
  addCapacityProvider(spec: CapacityProviderSpec, region?: string): void;
  /** Starts a deploy of new code to a settled version now: Active stays, LastUpdateStatus is InProgress meanwhile. */
  republish(name: string, qualifier: string, spec: Republish, region?: string): void;
  fault(spec: FaultSpec): void;
  clearFaults(): void;
  /** Turns the account-wide quotas on (true: Lambda's own limits) or off, starting from an empty window. */
  setQuota(quota: boolean | Partial<QuotaLimits>): void;
  requests: RequestRecord[];
  inspect(name: string, qualifier: string, region?: string): InspectResult;
  close(): Promise<void>;
}

const DEFAULT_ERROR_TYPES: Record<number, string> = {
  400: 'InvalidParameterValueException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  409: 'ResourceConflictException',
  429: 'TooManyRequestsException',
};

const DEFAULT_MESSAGES: Record<string, string> = {
  TooManyRequestsException: 'Rate exceeded',
  ServiceException: 'An internal error occurred.',
};

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const { port = 0, host = '127.0.0.1', now = Date.now, region = 'us-east-1', account = '123456789012', log } = options;
  // Each region is an account of its own: its functions and its quotas.
  const services = new Map<string, LambdaService>();
  const serviceIn = (r = region) => {
    if (!services.has(r)) services.set(r, new LambdaService(r, account, now, { ...DEFAULT_TIMINGS, ...options.timings }));
    return services.get(r)!;
  };
  const requests: RequestRecord[] = [];
  let faults: FaultSpec[] = [];
  const delays = new Set<NodeJS.Timeout>();
  let quotaLimits: QuotaLimits | undefined;
  const quotas = new Map<string, AccountQuota>();
  const quotaIn = (r: string) => {
    if (quotaLimits && !quotas.has(r)) quotas.set(r, new AccountQuota(quotaLimits));
    return quotas.get(r);
  };
  const setQuota = (spec: boolean | Partial<QuotaLimits> = false) => {
    quotaLimits = spec === false ? undefined : { ...LAMBDA_QUOTA, ...(spec === true ? {} : spec) };
    quotas.clear();
  };
  setQuota(options.quota);

  function takeFault(operation: RequestRecord['operation']): FaultSpec | undefined {
    const index = faults.findIndex((f) => f.operation === undefined || f.operation === operation);
    if (index < 0) return undefined;
    const fault = faults[index];
    if (fault.after) {
      faults[index] = { ...fault, after: fault.after - 1 };
      return undefined;
    }
    const times = (fault.times ?? 1) - 1;
    if (times > 0) faults[index] = { ...fault, times };
    else faults.splice(index, 1);
    return fault;
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = now();
    const url = new URL(req.url ?? '/', 'http://emulator');
    const match = matchRoute(req.method ?? '', url);
    const body = await readBody(req);
    const record: RequestRecord = {
      at,
      operation: match?.route.operation ?? 'Unknown',
      method: req.method ?? '',
      path: req.url ?? '',
      functionName: match?.values.FunctionName,
      qualifier: match?.values.Qualifier ?? match?.values.Name,
      capacityProvider: match?.values.CapacityProviderName,
      status: 'hang',
      signed: req.headers.authorization?.startsWith('AWS4-HMAC-SHA256') ?? false,
      region: SIGNED_REGION.exec(req.headers.authorization ?? '')?.[1] ?? region,
      body: body === '' ? undefined : parseJsonOrText(body),
    };
    requests.push(record);
    const finish = (status: RequestRecord['status']) => {
      record.status = status;
      log?.(`${record.method} ${record.path} -> ${status} (${record.operation})`);
    };

    // The record is complete before the first byte leaves, so a caller that got its answer sees it.
    const replyError = (error: ApiError) => {
      finish(error.status);
      sendError(res, error);
    };
    const answer = () => {
      if (!match) return replyError(new ApiError('UnknownOperationException', `No operation matches ${req.method} ${url.pathname}`));
      let result: { status: number; body: unknown };
      try {
        result = serviceIn(record.region).handle(match, body);
      } catch (error) {
        return replyError(error instanceof ApiError ? error : new ApiError('ServiceException', String(error)));
      }
      finish(result.status);
      sendJson(res, result.status, result.body);
    };

    const fault = takeFault(record.operation);
    switch (fault?.kind) {
      case undefined: {
        const admission = match ? quotaIn(record.region)?.admit(match.route.operation, at) : undefined;
        if (admission?.ok === false) return replyError(throttle(admission.retryAfterSeconds));
        return answer();
      }
      case 'error': {
        if (fault.html) {
          finish(fault.status);
          return sendHtmlError(res, fault.status);
        }
        const errorType = fault.errorType ?? DEFAULT_ERROR_TYPES[fault.status] ?? 'ServiceException';
        const message = fault.message ?? DEFAULT_MESSAGES[errorType] ?? `Injected ${errorType}`;
        if (errorType === 'TooManyRequestsException') return replyError(throttle(fault.retryAfterSeconds, message, fault.status));
        return replyError(new ApiError(errorType, message, fault.status, { retryAfterSeconds: fault.retryAfterSeconds }));
      }
      case 'raw':
        finish(fault.status);
        return sendRaw(res, { ...fault, body: fault.body + (fault.echoHeaders ?? []).map((name) => `${req.headers[name]}\n`).join('') });
      case 'reset':
        finish('reset');
        req.socket.destroy();
        return;
      case 'hang':
        finish('hang');
        return;
      case 'delay': {
        const timer = setTimeout(() => {
          delays.delete(timer);
          answer();
        }, fault.ms);
        delays.add(timer);
        return;
      }
    }
  }

  // A client that drops the connection mid-request only ends that exchange.
  const server = createServer((req, res) => void onRequest(req, res).catch(() => req.socket.destroy()));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const { port: boundPort } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${boundPort}`,
    region,
    account,
    requests,
    addFunction: (spec, r) => serviceIn(r).addFunction(spec),
    addCapacityProvider: (spec, r) => serviceIn(r).addCapacityProvider(spec),
    republish: (name, qualifier, spec, r) => serviceIn(r).republish(name, qualifier, spec),
    inspect: (name, qualifier, r) => serviceIn(r).inspect(name, qualifier),
    fault: (spec) => void faults.push(spec),
    setQuota,
    clearFaults: () => {
      faults = [];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        delays.forEach(clearTimeout);
        delays.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        // Also ends hanging and keep-alive connections, which server.close() alone would wait for.
        server.closeAllConnections();
      }),
  };
}

/** The region of a SigV4 Authorization header's credential scope: `Credential=AKID/20261201/eu-west-1/lambda/aws4_request`. */
const SIGNED_REGION = /Credential=[^/,]+\/\d{8}\/([a-z0-9-]+)\/lambda\//;

/** What Lambda answers past its request quota: 429, Retry-After and Reason CallerRateLimitExceeded. */
function throttle(retryAfterSeconds?: number, message = DEFAULT_MESSAGES.TooManyRequestsException, status = 429): ApiError {
  return new ApiError('TooManyRequestsException', message, status, { reason: 'CallerRateLimitExceeded', retryAfterSeconds });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
