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
import { classifyError, RequestFailure } from './errors.js';
import { bodyStart, endpointOf, ForeignAnswer, foreignReason, setVariables } from './foreign-answer.js';
import { RANK, RequestEngine, type Logger, type RequestEngineOptions } from './request-engine.js';
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

export interface LambdaApiOptions extends RequestEngineOptions {
  region: string;
  /** Per-request timeout: one stuck connection must not eat the whole wait. */
  requestTimeoutMs?: number;
}

/** The largest page ListFunctionVersionsByCapacityProvider answers. */
const LIST_PAGE_SIZE = 50;
const DEFAULT_REQUEST_TIMEOUT_MS = 5000;

/**
 * The Lambda operations the action uses and their SDK shapes, each sent through the request engine
 * (request-engine.ts: paced, retried, cut at the deadline). A put's conflict is thrown, not retried: a
 * put that meets a deploy waits for it by watching the version (scale-target.ts) rather than by
 * retrying on the shared control-plane quota.
 */
export class LambdaApi {
  private readonly client: LambdaClient;
  private readonly engine: RequestEngine;

  /** The step's log: the requests' debug lines, and the targets' about their requests. */
  readonly logger: Logger;

  constructor(options: LambdaApiOptions) {
    this.logger = options.logger;
    this.engine = new RequestEngine(options);
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
  }

  /** When a request of this step first succeeded: credentials refused after that have expired during the step. */
  get firstSuccessAt(): number | undefined {
    return this.engine.firstSuccessAt;
  }

  async getFunction(functionName: string, qualifier: string): Promise<VersionStatus> {
    const out = await this.engine.call('GetFunction', `${functionName}:${qualifier}`, 'getFunction', (abortSignal) =>
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
    const out = await this.engine.call('GetCapacityProvider', nameOrArn, 'capacityProvider', (abortSignal) =>
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
      const out = await this.engine.call('ListFunctionVersionsByCapacityProvider', nameOrArn, 'capacityProvider', (abortSignal) =>
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
    const out = await this.engine.call(
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
    const out = await this.engine.call(
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
    const out = await this.engine.call('GetAlias', `${functionName}:${alias}`, 'controlPlane', (abortSignal) =>
      this.client.send(new GetAliasCommand({ FunctionName: functionName, Name: alias }), { abortSignal }),
    );
    return { version: out.FunctionVersion ?? '', additionalVersions: Object.keys(out.RoutingConfig?.AdditionalVersionWeights ?? {}) };
  }

  /**
   * How often a target waiting for its config may read it back: every poll while the control-plane rate
   * allows one a second, less often while throttles have slowed it.
   */
  confirmationIntervalMs(pollIntervalMs: number): number {
    return this.engine.confirmationIntervalMs(pollIntervalMs);
  }

  close(): void {
    this.client.destroy();
  }
}

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
