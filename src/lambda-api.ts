import {
  GetAliasCommand,
  GetCapacityProviderCommand,
  GetFunctionCommand,
  GetFunctionScalingConfigCommand,
  LambdaClient,
  ListFunctionVersionsByCapacityProviderCommand,
  PutFunctionScalingConfigCommand,
  type FunctionScalingConfig,
  type LambdaManagedInstancesCapacityProviderConfig,
} from '@aws-sdk/client-lambda';
import { AdaptiveRate } from './adaptive-rate.js';
import { backoffMs } from './backoff.js';
import type { Clock } from './clock.js';
import { classifyError, RequestFailure } from './errors.js';
import { bodyStart, endpointOf, ForeignAnswer, foreignReason, mediaType, setVariables } from './foreign-answer.js';
import { DeadlineReached, RequestPacer } from './request-pacer.js';
import { DEFAULT_CONFIG, type ScalingConfig } from './scaling-config.js';

export interface VersionStatus {
  state?: string;
  stateReasonCode?: string;
  stateReason?: string;
  /** Whether the version's last update (a deploy) is `InProgress`, `Successful` or `Failed`. */
  lastUpdateStatus?: string;
  lastUpdateStatusReasonCode?: string;
  lastUpdateStatusReason?: string;
  functionArn?: string;
  /** MB of memory of each execution environment. */
  memorySize?: number;
  /** The capacity provider the version runs on (Managed Instances functions only). */
  capacityProvider?: { arn: string; memoryGiBPerVCpu?: number };
}

export interface CapacityProvider {
  arn: string;
  state?: string;
  /** Absent when the provider has no scaling config: the service's default then applies. */
  maxVCpuCount?: number;
}

export interface ProviderVersion {
  /** Qualified: `arn:…:function:NAME:VERSION`. */
  functionArn: string;
  state?: string;
}

export interface ScalingStatus {
  functionArn?: string;
  applied?: ScalingConfig;
  requested?: ScalingConfig;
}

export interface AliasRouting {
  version: string;
  additionalVersions: string[];
}

export interface Logger {
  info(message: string): void;
  debug(message: string): void;
}

export interface LambdaApiOptions {
  region: string;
  clock: Clock;
  logger: Logger;
  /** Cancellation (the runner's SIGINT/SIGTERM). */
  signal: AbortSignal;
  /** Absolute clock time after which no retry starts and in-flight requests are cut. */
  deadline: number;
  /** Per-request timeout: one stuck connection must not eat the whole wait. */
  requestTimeoutMs?: number;
  random?: () => number;
}

/**
 * Lambda's control-plane quota is 15/s per account and region; the step keeps well under it, and lower
 * while Lambda throttles (other jobs of a matrix, other pipelines of the account share the quota).
 */
export const CONTROL_PLANE_PER_SECOND = 8;
/** GetFunction has a quota of its own (100/s). */
export const GET_FUNCTION_PER_SECOND = 40;
/** Capacity-provider reads have a quota of their own (15/s per account, not per region): stay well under it. */
export const CAPACITY_PROVIDER_PER_SECOND = 5;
/** The largest page ListFunctionVersionsByCapacityProvider answers. */
const LIST_PAGE_SIZE = 50;
/** 5xx answers and network faults: one request is tried this many times at most, then reported. */
export const MAX_TRANSIENT_ATTEMPTS = 8;
const DEFAULT_REQUEST_TIMEOUT_MS = 5000;

type Pace = 'controlPlane' | 'getFunction' | 'capacityProvider';

/**
 * The order of requests waiting for the same pace, lower first (RequestPacer). With many targets the
 * control plane is the bottleneck: a put goes first (a change started sooner ends sooner), then the other
 * work that leads to puts (first reads, aliases), then the read-backs that only confirm a change, the one
 * put first read first (the most likely to be done). On the tests' virtual clock, 200 targets with
 * 20-40 s changes end half a second after the last one settles this way, seven in the order asked.
 */
export const RANK = { put: 0, work: 1, readBack: (putAtMs: number) => 2 + putAtMs };

/**
 * The Lambda operations the action uses, each paced under its quota and retried, within the
 * deadline, on conflicts, throttles, 5xx answers and network faults. Anything else is thrown at once,
 * and so is a put's conflict: a put that meets a deploy waits for it by watching the version
 * (scale-target.ts) rather than by retrying on the shared control-plane quota.
 */
export class LambdaApi {
  private readonly client: LambdaClient;
  private readonly pacers: Record<Pace, RequestPacer>;
  /** Aborts at the deadline: cuts a request in flight then. */
  private readonly budget: AbortSignal;
  /** Aborts on cancellation or at the deadline: given to every request. */
  private readonly stop: AbortSignal;
  /** When a request of this step first succeeded: credentials refused after that have expired during the step. */
  firstSuccessAt?: number;
  /** Each quota being busy is said once per step; each retry goes to the debug log. */
  private readonly quotaBusyLogged = new Set<Pace>();

  /** The step's log: the requests' debug lines, and the targets' about their requests. */
  readonly logger: Logger;

  constructor(private readonly options: LambdaApiOptions) {
    this.logger = options.logger;
    const timeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.client = new LambdaClient({
      region: options.region,
      // Retries are ours: they must share one pace across targets, honour Retry-After and stop at the deadline.
      maxAttempts: 1,
      // Without throwOnRequestTimeout the handler only logs a warning and a hung request hangs the step.
      requestHandler: { connectionTimeout: timeout, requestTimeout: timeout, throwOnRequestTimeout: true },
    });
    // Inside the deserializer: it sees the raw answer before the SDK misreads a page as a JSON error.
    this.client.middlewareStack.addRelativeTo(foreignAnswerGuard, { relation: 'after', toMiddleware: 'deserializerMiddleware', name: 'foreignAnswerGuard' });
    this.pacers = {
      controlPlane: new RequestPacer(new AdaptiveRate({ ceiling: CONTROL_PLANE_PER_SECOND }), options.clock),
      getFunction: new RequestPacer(new AdaptiveRate({ ceiling: GET_FUNCTION_PER_SECOND }), options.clock),
      capacityProvider: new RequestPacer(new AdaptiveRate({ ceiling: CAPACITY_PROVIDER_PER_SECOND }), options.clock),
    };
    this.budget = AbortSignal.timeout(Math.max(1, options.deadline - options.clock.now()));
    this.stop = AbortSignal.any([options.signal, this.budget]);
  }

  async getFunction(functionName: string, qualifier: string): Promise<VersionStatus> {
    const out = await this.call('GetFunction', `${functionName}:${qualifier}`, 'getFunction', (abortSignal) =>
      this.client.send(new GetFunctionCommand({ FunctionName: functionName, Qualifier: qualifier }), { abortSignal }),
    );
    const c = out.Configuration ?? {};
    return {
      state: c.State,
      stateReasonCode: c.StateReasonCode,
      stateReason: c.StateReason,
      lastUpdateStatus: c.LastUpdateStatus,
      lastUpdateStatusReasonCode: c.LastUpdateStatusReasonCode,
      lastUpdateStatusReason: c.LastUpdateStatusReason,
      functionArn: c.FunctionArn,
      memorySize: c.MemorySize,
      capacityProvider: capacityProviderOf(c.CapacityProviderConfig?.LambdaManagedInstancesCapacityProviderConfig),
    };
  }

  /** `nameOrArn`: the model takes either. */
  async getCapacityProvider(nameOrArn: string): Promise<CapacityProvider> {
    const out = await this.call('GetCapacityProvider', nameOrArn, 'capacityProvider', (abortSignal) =>
      this.client.send(new GetCapacityProviderCommand({ CapacityProviderName: nameOrArn }), { abortSignal }),
    );
    const provider = out.CapacityProvider;
    return { arn: provider?.CapacityProviderArn ?? nameOrArn, state: provider?.State, maxVCpuCount: provider?.CapacityProviderScalingConfig?.MaxVCpuCount };
  }

  /** Every version on the provider, page by page (a provider holds at most 100). */
  async listFunctionVersionsByCapacityProvider(nameOrArn: string): Promise<ProviderVersion[]> {
    const versions: ProviderVersion[] = [];
    let marker: string | undefined;
    do {
      const out = await this.call('ListFunctionVersionsByCapacityProvider', nameOrArn, 'capacityProvider', (abortSignal) =>
        this.client.send(new ListFunctionVersionsByCapacityProviderCommand({ CapacityProviderName: nameOrArn, Marker: marker, MaxItems: LIST_PAGE_SIZE }), { abortSignal }),
      );
      for (const v of out.FunctionVersions ?? []) if (v.FunctionArn) versions.push({ functionArn: v.FunctionArn, state: v.State });
      marker = out.NextMarker || undefined;
    } while (marker);
    return versions;
  }

  async getScalingConfig(functionName: string, qualifier: string): Promise<ScalingStatus> {
    return this.readScalingConfig(functionName, qualifier, false);
  }

  /**
   * A read-back while waiting for a change: a throttle is not retried but answered with `undefined`. The
   * wait reads back at its next turn, at the pace the throttle slowed, and watches the state meanwhile; a
   * retry would come after the Retry-After and a random spread, seconds after the change may have settled.
   * `putAtMs` (since the step started) ranks it among the read-backs: the change put first is read first.
   */
  async readBackScalingConfig(functionName: string, qualifier: string, putAtMs: number): Promise<ScalingStatus | undefined> {
    try {
      return await this.readScalingConfig(functionName, qualifier, true, RANK.readBack(putAtMs));
    } catch (error) {
      if (error instanceof RequestFailure && classifyError(error.cause).kind === 'throttle') return undefined;
      throw error;
    }
  }

  private async readScalingConfig(functionName: string, qualifier: string, throwThrottles: boolean, rank = RANK.work): Promise<ScalingStatus> {
    const out = await this.call(
      'GetFunctionScalingConfig',
      `${functionName}:${qualifier}`,
      'controlPlane',
      (abortSignal) => this.client.send(new GetFunctionScalingConfigCommand({ FunctionName: functionName, Qualifier: qualifier }), { abortSignal }),
      { throwThrottles, rank },
    );
    return {
      functionArn: out.FunctionArn,
      applied: fromSdk(out.AppliedFunctionScalingConfig),
      requested: fromSdk(out.RequestedFunctionScalingConfig),
    };
  }

  /** Returns the FunctionState that the service reported. A ResourceConflictException is thrown, not retried. */
  async putScalingConfig(functionName: string, qualifier: string, config: ScalingConfig): Promise<string | undefined> {
    const out = await this.call(
      'PutFunctionScalingConfig',
      `${functionName}:${qualifier}`,
      'controlPlane',
      (abortSignal) =>
        this.client.send(
          new PutFunctionScalingConfigCommand({
            FunctionName: functionName,
            Qualifier: qualifier,
            FunctionScalingConfig: toSdk(config),
          }),
          { abortSignal },
        ),
      { throwConflicts: true, rank: RANK.put },
    );
    return out.FunctionState;
  }

  async getAlias(functionName: string, alias: string): Promise<AliasRouting> {
    const out = await this.call('GetAlias', `${functionName}:${alias}`, 'controlPlane', (abortSignal) =>
      this.client.send(new GetAliasCommand({ FunctionName: functionName, Name: alias }), { abortSignal }),
    );
    return { version: out.FunctionVersion ?? '', additionalVersions: Object.keys(out.RoutingConfig?.AdditionalVersionWeights ?? {}) };
  }

  /**
   * How often a target waiting for its config may read it back: every poll while the control-plane rate
   * allows one a second, less often while throttles have slowed it.
   */
  confirmationIntervalMs(pollIntervalMs: number): number {
    return Math.max(pollIntervalMs, 1000 / this.pacers.controlPlane.rate.perSecond());
  }

  close(): void {
    this.client.destroy();
  }

  /**
   * `target` (function:qualifier) only labels the log lines. A conflict (`throwConflicts`) or a throttle
   * (`throwThrottles`) is thrown at once instead of retried; a throttle still slows and pauses the pace.
   * `rank` orders the request in its pace (see RANK).
   */
  private async call<T extends { $metadata: { requestId?: string; httpStatusCode?: number } }>(
    operation: string,
    target: string,
    pace: Pace,
    send: (abortSignal: AbortSignal) => Promise<T>,
    { throwConflicts = false, throwThrottles = false, rank = RANK.work } = {},
  ): Promise<T> {
    const { clock, logger, signal, deadline } = this.options;
    const random = this.options.random ?? Math.random;
    let transientFailures = 0;
    let lastError: unknown;
    let tries = 0;
    const giveUp = (error: unknown) => new RequestFailure(operation, error, tries);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.pacers[pace].take(signal, deadline, rank);
      } catch (error) {
        if (error instanceof DeadlineReached && lastError !== undefined) throw giveUp(lastError);
        throw error;
      }
      const started = clock.now();
      tries++;
      try {
        const out = await send(this.stop);
        this.firstSuccessAt ??= started;
        this.pacers[pace].rate.succeeded(clock.now());
        const id = out.$metadata.requestId ? `request ID ${out.$metadata.requestId}` : 'no request ID';
        logger.debug(`${operation} ${target}: HTTP ${out.$metadata.httpStatusCode}, ${id}, ${clock.now() - started} ms`);
        return out;
      } catch (error) {
        lastError = error;
        const failure = classifyError(error);
        logger.debug(`${operation} ${target}: ${describe(error)} after ${clock.now() - started} ms`);
        if (signal.aborted) throw signal.reason;
        if (this.budget.aborted) throw new DeadlineReached();
        if (failure.kind === 'fatal' || failure.kind === 'aborted' || (failure.kind === 'conflict' && throwConflicts)) throw giveUp(error);
        if (failure.kind === 'transient' && ++transientFailures >= MAX_TRANSIENT_ATTEMPTS) throw giveUp(error);
        const now = clock.now();
        const { rate } = this.pacers[pace];
        // A throttle slows this pace for every target of the step, and holds them all past the Retry-After.
        const resumeAt =
          failure.kind === 'throttle'
            ? rate.throttled(now, started, failure.retryAfterMs, random)
            : now + (failure.kind === 'conflict' ? backoffMs(attempt, 1000, 8000, random) : backoffMs(attempt, 500, 8000, random));
        if (failure.kind === 'throttle') {
          if (!this.quotaBusyLogged.has(pace)) logger.info(QUOTA_BUSY[pace]);
          this.quotaBusyLogged.add(pace);
          // Also when this request gives up: the other targets' requests would meet the same throttle.
          // Not retried, the caller's next turn at the slowed pace spreads it: the pause holds only the Retry-After.
          this.pacers[pace].pause(throwThrottles ? rate.retryAt(now, failure.retryAfterMs) : resumeAt);
        }
        if (failure.kind === 'throttle' && throwThrottles) {
          logger.debug(`${operation} ${target}: ${retryReason(failure.kind, error)}; not retried, read again at the next turn`);
          throw giveUp(error);
        }
        if (resumeAt >= deadline) throw giveUp(error);
        const delay = resumeAt - now;
        const retrying = `${operation} ${target}: ${retryReason(failure.kind, error)}; retrying in ${(delay / 1000).toFixed(1)} s`;
        if (failure.kind === 'throttle') logger.debug(retrying);
        else logger.info(retrying);
        await clock.sleep(delay, signal);
      }
    }
  }
}

const QUOTA_BUSY: Record<Pace, string> = {
  controlPlane:
    "Lambda's request quota for this account and region is busy (15 control-plane requests per second, shared by every job and pipeline of the account): " +
    'this step slows its requests down and keeps trying until wait-for-minutes runs out. To avoid it, scale many targets in one step, or cap a matrix with max-parallel.',
  getFunction:
    "Lambda's GetFunction quota for this account and region is busy (100 requests per second, shared by every job and pipeline of the account): " +
    'this step slows its state reads down and keeps trying until wait-for-minutes runs out. Other pipelines of the account may be polling GetFunction hard.',
  capacityProvider:
    "Lambda's quota for capacity-provider reads is busy (15 requests per second, shared by every job and pipeline of the account): " +
    "this step slows its capacity-provider reads down and keeps trying until wait-for-minutes runs out. Other pipelines of the account may be reading capacity providers hard.",
};

function capacityProviderOf(config: LambdaManagedInstancesCapacityProviderConfig | undefined): VersionStatus['capacityProvider'] {
  return config?.CapacityProviderArn ? { arn: config.CapacityProviderArn, memoryGiBPerVCpu: config.ExecutionEnvironmentMemoryGiBPerVCpu } : undefined;
}

/** No maximum is asked for by leaving MaxExecutionEnvironments out: an unspecified bound is the default. */
function toSdk(config: ScalingConfig): FunctionScalingConfig {
  return config.max === null ? { MinExecutionEnvironments: config.min } : { MinExecutionEnvironments: config.min, MaxExecutionEnvironments: config.max };
}

/**
 * Both members are optional in the model, and an unspecified bound is its default: no Max is no maximum
 * (the default config answers `{MinExecutionEnvironments: 3}`), no Min is the default min. A config
 * with neither is no config at all.
 */
function fromSdk(config: FunctionScalingConfig | undefined): ScalingConfig | undefined {
  if (config?.MinExecutionEnvironments === undefined && config?.MaxExecutionEnvironments === undefined) return undefined;
  return { min: config.MinExecutionEnvironments ?? DEFAULT_CONFIG.min, max: config.MaxExecutionEnvironments ?? null };
}

function retryReason(kind: 'conflict' | 'throttle' | 'transient', error: unknown): string {
  if (kind === 'conflict') return 'the version is busy with another update';
  if (kind === 'throttle') return "throttled by Lambda's API quota";
  return `a passing failure (${describe(error)})`;
}

function describe(error: unknown): string {
  if (error instanceof ForeignAnswer) {
    const { status, contentType, endpoint } = error.facts;
    return `not a Lambda answer: HTTP ${status}${contentType ? ` ${mediaType(contentType)}` : ''} from ${endpoint}`;
  }
  const err = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number; requestId?: string } };
  const status = err.$metadata?.httpStatusCode ? ` HTTP ${err.$metadata.httpStatusCode}` : '';
  const id = err.$metadata?.requestId ? `, request ID ${err.$metadata.requestId}` : '';
  return `${err.code ?? err.name ?? 'Error'}${status}${id}`;
}

/** The parts of the SDK's HTTP request and response that the guard reads: scheme, host, port; status, headers, body. */
interface RawRequest {
  protocol?: string;
  hostname?: string;
  port?: number;
  headers?: Record<string, string | undefined>;
}

interface RawResponse {
  statusCode: number;
  headers: Record<string, string | undefined>;
  body?: unknown;
}

/**
 * Reads each answer's body before the SDK's deserializer does (an answer of these operations is a few KB),
 * and throws a ForeignAnswer for one that Lambda cannot have sent: the SDK would report a page as a JSON
 * SyntaxError without its body, a JSON 404 without error type as `Unknown`, and a 200 with an empty HTML
 * page as a success with nothing in it.
 */
function foreignAnswerGuard<A extends { request: unknown }, R extends { response: unknown }>(next: (args: A) => Promise<R>) {
  return async (args: A): Promise<R> => {
    const result = await next(args);
    const response = result.response as RawResponse;
    const bytes = await readAll(response.body);
    response.body = bytes;
    const text = new TextDecoder().decode(bytes);
    const reason = foreignReason({ status: response.statusCode, headers: response.headers, body: text });
    if (reason === undefined) return result;
    const request = args.request as RawRequest;
    const contentType = response.headers['content-type'];
    // A page that echoes the request must not show what signed it.
    const sent = Object.entries(request.headers ?? {}).flatMap(([name, value]) => (/^(authorization|x-amz-security-token)$/i.test(name) && value ? [value] : []));
    // The variables as the SDK read them: from the process environment.
    throw new ForeignAnswer({ endpoint: endpointOf(request), status: response.statusCode, contentType, bodyStart: bodyStart(text, contentType, sent), reason, variables: setVariables(process.env) });
  };
}

async function readAll(body: unknown): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (body === undefined || body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
  return new Uint8Array(Buffer.concat(chunks));
}
