// The emulated Lambda account: functions, versions and aliases, and the five operations on them.
import { createHash, randomUUID } from 'node:crypto';
import {
  createVersion,
  DEFAULT_APPLIED,
  observe,
  reportedState,
  republish,
  requestScaling,
  settle,
  type Republish,
  type ScalingConfig,
  type StateReason,
  type Timings,
  type VersionRecord,
  type VersionSpec,
  type VersionView,
} from './state.js';
import { ApiError, EXECUTION_ENVIRONMENTS_RANGE, throwValidation, validateParams, violation, type RouteMatch } from './wire.js';

export interface FunctionSpec {
  name: string;
  /**
   * Whether the function runs on Lambda Managed Instances (default true); only those accept scaling configs.
   * A name runs it on that capacity provider (added with addCapacityProvider); true on one of its own,
   * `NAME-capacity-provider`, with the default MaxVCpuCount.
   */
  capacityProvider?: boolean | string;
  /** MB per execution environment of its versions (default 2048). */
  memorySize?: number;
  /** ExecutionEnvironmentMemoryGiBPerVCpu of its versions (default: absent, which means 2.0). */
  memoryGiBPerVCpu?: number;
  /** Keyed by '1', '2', '$LATEST.PUBLISHED'…; `$LATEST` is implied when absent. */
  versions: Record<string, VersionSpec>;
  aliases?: Record<string, { version: string; weights?: Record<string, number> }>;
}

export interface InspectResult {
  state: string;
  applied: ScalingConfig;
  requested?: ScalingConfig;
  settledAt?: number;
}

export interface CapacityProviderSpec {
  name: string;
  /** Default 400, the service's. */
  maxVCpuCount?: number;
  state?: 'Pending' | 'Active' | 'Failed' | 'Deleting';
}

interface VersionEntry {
  record: VersionRecord;
  createdAt: number;
  revisionId: string;
  /** The capacity provider's name; none for a function without one. */
  provider?: string;
  /** The memory size of the code that serves. */
  memorySize: number;
  memoryGiBPerVCpu?: number;
  /**
   * The memory size of the last republish, in the configuration from its start (as an update's new config
   * is), serving once it succeeds; kept, and reported, after it failed.
   */
  deployedMemorySize?: number;
}

interface AliasEntry {
  version: string;
  weights?: Record<string, number>;
  revisionId: string;
}

interface FunctionEntry {
  name: string;
  capacityProvider: boolean;
  provider?: string;
  versions: Map<string, VersionEntry>;
  aliases: Map<string, AliasEntry>;
}

/** A function name as the caller wrote it: plain, partial ARN or full ARN, optionally with a qualifier. */
interface NameRef {
  name: string;
  region?: string;
  account?: string;
  qualifier?: string;
}

interface Resolved {
  fn: FunctionEntry;
  /** The qualifier as it appears in the ARN (alias or version), absent for an unqualified request. */
  qualifier?: string;
  versionKey: string;
  version: VersionEntry;
}

/** What a version gets when its environments do not fit in the capacity provider's MaxVCpuCount. */
export const CAPACITY_OVERFLOW: StateReason = {
  code: 'CapacityProviderScalingLimitExceeded',
  reason: 'The capacity provider has reached its maximum vCPU count (MaxVCpuCount) and cannot start the execution environments.',
};
const DEFAULT_MAX_VCPU_COUNT = 400;
const DEFAULT_MEMORY_SIZE = 2048;
const LIST_PAGE_SIZE = 50;

const PROVIDER_ARN = /^arn:aws[a-zA-Z-]*:lambda:(?<region>[^:]+):(?<account>\d{12}):capacity-provider:(?<name>[a-zA-Z0-9-_]+)$/;

const NAME_PARTS =
  /^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:)?(?:(?<region>[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d):)?(?:(?<account>\d{12}):)?(?:function:)?(?<name>[a-zA-Z0-9-_.]+)(?::(?<qualifier>\$LATEST(?:\.PUBLISHED)?|[a-zA-Z0-9-_]+))?$/;

export class LambdaService {
  private readonly functions = new Map<string, FunctionEntry>();
  private readonly providers = new Map<string, Required<CapacityProviderSpec> & { createdAt: number }>();

  constructor(
    readonly region: string,
    readonly account: string,
    private readonly now: () => number,
    private readonly timings: Timings,
  ) {}

  /** Adds a capacity provider, or replaces the settings of one (raising its MaxVCpuCount, say). */
  addCapacityProvider(spec: CapacityProviderSpec): void {
    const createdAt = this.providers.get(spec.name)?.createdAt ?? this.now();
    this.providers.set(spec.name, { maxVCpuCount: DEFAULT_MAX_VCPU_COUNT, state: 'Active', ...spec, createdAt });
  }

  /** Adds a function, or adds/replaces versions and aliases of an existing one (e.g. a newly published version). */
  addFunction(spec: FunctionSpec): void {
    const fn: FunctionEntry = this.functions.get(spec.name) ?? {
      name: spec.name,
      capacityProvider: true,
      versions: new Map(),
      aliases: new Map(),
    };
    fn.capacityProvider = spec.capacityProvider !== false;
    fn.provider = typeof spec.capacityProvider === 'string' ? spec.capacityProvider : fn.capacityProvider ? `${spec.name}-capacity-provider` : undefined;
    if (fn.provider && !this.providers.has(fn.provider)) {
      if (typeof spec.capacityProvider === 'string') throw new Error(`no capacity provider ${fn.provider}: add it first`);
      this.addCapacityProvider({ name: fn.provider });
    }
    const createdAt = this.now();
    const versions: Record<string, VersionSpec> = {
      ...(fn.versions.has('$LATEST') ? {} : { $LATEST: { state: fn.capacityProvider ? 'ActiveNonInvocable' : 'Active' } }),
      ...spec.versions,
    };
    for (const [key, versionSpec] of Object.entries(versions)) {
      fn.versions.set(key, {
        record: createVersion(versionSpec, createdAt, this.timings),
        createdAt,
        revisionId: randomUUID(),
        provider: fn.provider,
        memorySize: versionSpec.memorySize ?? spec.memorySize ?? DEFAULT_MEMORY_SIZE,
        memoryGiBPerVCpu: versionSpec.memoryGiBPerVCpu ?? spec.memoryGiBPerVCpu,
        deployedMemorySize: versionSpec.republish?.memorySize,
      });
    }
    for (const [alias, { version, weights }] of Object.entries(spec.aliases ?? {})) {
      const missing = [version, ...Object.keys(weights ?? {})].find((v) => !fn.versions.has(v));
      if (missing) throw new Error(`alias ${spec.name}:${alias} points to unknown version ${missing}`);
      fn.aliases.set(alias, { version, weights, revisionId: randomUUID() });
    }
    this.functions.set(spec.name, fn);
  }

  /** The version as it is, also where its answers hide a part of it (`noAppliedWhileSettling`). */
  inspect(name: string, qualifier: string): InspectResult {
    const entry = this.entry(name, qualifier);
    const { state, requested, settledAt } = this.view(entry);
    return { state, applied: this.settled(entry).applied, requested, settledAt };
  }

  /** Starts a deploy of new code to a version (or an alias's version) now. */
  republish(name: string, qualifier: string, spec: Republish): void {
    const version = this.entry(name, qualifier);
    version.record = republish(this.settled(version), spec, this.now());
    version.deployedMemorySize = spec.memorySize ?? version.deployedMemorySize;
  }

  handle(match: RouteMatch, body: string): { status: number; body: unknown } {
    validateParams(match);
    const { values } = match;
    const status = match.route.responseCode;
    switch (match.route.operation) {
      case 'GetFunction': {
        const target = this.read(this.resolve(values.FunctionName, values.Qualifier));
        const location = `https://awslambda-${this.region}-tasks.s3.${this.region}.amazonaws.com/snapshots/${this.account}/${target.fn.name}-${target.version.revisionId}`;
        return { status, body: { Configuration: this.configuration(target), Code: { RepositoryType: 'S3', Location: location } } };
      }
      case 'GetFunctionConfiguration':
        return { status, body: this.configuration(this.read(this.resolve(values.FunctionName, values.Qualifier))) };
      case 'GetAlias':
        return { status, body: this.alias(values.FunctionName, values.Name) };
      case 'GetFunctionScalingConfig': {
        const target = this.read(this.resolveScalable(values.FunctionName, values.Qualifier));
        const { applied, requested } = this.view(target.version);
        const { record } = target.version;
        return {
          status,
          body: {
            FunctionArn: record.noScalingArn ? undefined : this.arn(target.fn.name, record.unqualifiedScalingArn ? undefined : target.qualifier),
            AppliedFunctionScalingConfig: applied && toWire(applied),
            RequestedFunctionScalingConfig: requested && toWire(requested),
          },
        };
      }
      case 'PutFunctionScalingConfig': {
        const config = parseScalingConfig(body);
        const target = this.resolveScalable(values.FunctionName, values.Qualifier);
        const entry = target.version;
        const next = requestScaling(this.settled(entry), config, this.now());
        if (next === 'conflict') {
          const arn = this.arn(target.fn.name, target.qualifier);
          throw new ApiError('ResourceConflictException', `The operation cannot be performed at this time. An update is in progress for resource: ${arn}`);
        }
        entry.record = next;
        return { status, body: { FunctionState: reportedState(next, this.now()).state } };
      }
      case 'GetCapacityProvider':
        return { status, body: { CapacityProvider: this.capacityProvider(values.CapacityProviderName) } };
      case 'ListFunctionVersionsByCapacityProvider':
        return { status, body: this.versionsOn(values.CapacityProviderName, values.Marker, values.MaxItems) };
    }
  }

  private entry(name: string, qualifier: string): VersionEntry {
    const fn = this.functions.get(name);
    const version = fn?.versions.get(fn.aliases.get(qualifier)?.version ?? qualifier);
    if (!version) throw new Error(`no version ${name}:${qualifier}`);
    return version;
  }

  private settled(entry: VersionEntry): VersionRecord {
    if (entry.provider) this.settleProvider(entry.provider);
    else entry.record = settle(entry.record, this.now());
    return entry.record;
  }

  /**
   * Folds in the changes ended on a capacity provider in the order they ended, each judged against the
   * vCPUs its provider's Active versions held then: one that does not fit in MaxVCpuCount fails with
   * CapacityProviderScalingLimitExceeded (a republish fails its last update; the old code serves on).
   */
  private settleProvider(name: string): void {
    const { maxVCpuCount } = this.providers.get(name)!;
    const entries = [...this.functions.values()].flatMap((fn) => [...fn.versions.values()]).filter((e) => e.provider === name);
    const now = this.now();
    for (;;) {
      const due = entries.filter((e) => e.record.change && e.record.change.endsAt <= now).sort((a, b) => a.record.change!.endsAt - b.record.change!.endsAt)[0];
      if (!due) return;
      const change = due.record.change!;
      const held = entries.filter((e) => e !== due).reduce((sum, e) => sum + heldVCpus(e), 0);
      const memorySize = change.kind === 'republish' ? (due.deployedMemorySize ?? due.memorySize) : due.memorySize;
      const needs = change.kind === 'deactivate' ? 0 : change.target.min * vCpusPerEnvironment(memorySize, due.memoryGiBPerVCpu);
      due.record = settle(due.record, now, held + needs > maxVCpuCount ? CAPACITY_OVERFLOW : undefined);
      if (change.kind === 'republish' && !due.record.lastUpdateFailure) [due.memorySize, due.deployedMemorySize] = [memorySize, undefined];
    }
  }

  private providerArn(name: string): string {
    return `arn:aws:lambda:${this.region}:${this.account}:capacity-provider:${name}`;
  }

  /** The provider named (by name or ARN), or ResourceNotFoundException. */
  private providerNamed(nameOrArn: string): string {
    const parts = PROVIDER_ARN.exec(nameOrArn)?.groups;
    const name = parts?.name ?? nameOrArn;
    const foreign = parts !== undefined && (parts.region !== this.region || parts.account !== this.account);
    if (foreign || !this.providers.has(name)) {
      throw new ApiError('ResourceNotFoundException', `Capacity provider not found: ${parts ? nameOrArn : this.providerArn(name)}`);
    }
    return name;
  }

  private capacityProvider(nameOrArn: string): Record<string, unknown> {
    const name = this.providerNamed(nameOrArn);
    const provider = this.providers.get(name)!;
    return {
      CapacityProviderArn: this.providerArn(name),
      State: provider.state,
      VpcConfig: { SubnetIds: ['subnet-0a1b2c3d4e5f60718'], SecurityGroupIds: ['sg-0a1b2c3d4e5f60718'] },
      PermissionsConfig: { CapacityProviderOperatorRoleArn: `arn:aws:iam::${this.account}:role/${name}-operator` },
      CapacityProviderScalingConfig: { MaxVCpuCount: provider.maxVCpuCount, ScalingMode: 'Auto' },
      LastModified: new Date(provider.createdAt).toISOString().replace('Z', '+0000'),
    };
  }

  /** The provider's published versions, in the order added, a page at a time; the marker is the offset of the next page. */
  private versionsOn(nameOrArn: string, marker: string | undefined, maxItems: string | undefined): Record<string, unknown> {
    const name = this.providerNamed(nameOrArn);
    const all = [...this.functions.values()].flatMap((fn) =>
      [...fn.versions.entries()].filter(([key, e]) => key !== '$LATEST' && e.provider === name).map(([key, e]) => ({ FunctionArn: this.arn(fn.name, key), State: this.view(e).state })),
    );
    const start = marker === undefined ? 0 : Number(Buffer.from(marker, 'base64url').toString());
    if (!Number.isInteger(start) || start < 0 || start >= all.length) throw new ApiError('InvalidParameterValueException', 'The marker is not valid.');
    const end = start + (maxItems === undefined ? LIST_PAGE_SIZE : Number(maxItems));
    return {
      CapacityProviderArn: this.providerArn(name),
      FunctionVersions: all.slice(start, end),
      NextMarker: end < all.length ? Buffer.from(String(end)).toString('base64url') : undefined,
    };
  }

  private view(entry: VersionEntry): VersionView {
    return observe(this.settled(entry));
  }

  private arn(name: string, qualifier?: string, ref?: NameRef): string {
    const base = `arn:aws:lambda:${ref?.region ?? this.region}:${ref?.account ?? this.account}:function:${name}`;
    return qualifier === undefined ? base : `${base}:${qualifier}`;
  }

  private lookupFunction(rawName: string, qualifier?: string): { fn: FunctionEntry; ref: NameRef } {
    const ref = parseName(rawName);
    if (ref.qualifier !== undefined && qualifier !== undefined && ref.qualifier !== qualifier) {
      throw new ApiError('InvalidParameterValueException', 'The derived qualifier from the function name does not match the specified qualifier.');
    }
    const fn = this.functions.get(ref.name);
    const foreign = (ref.region ?? this.region) !== this.region || (ref.account ?? this.account) !== this.account;
    if (!fn || foreign) throw this.notFound(ref.name, ref.qualifier ?? qualifier, ref);
    return { fn, ref };
  }

  private notFound(name: string, qualifier?: string, ref?: NameRef): ApiError {
    return new ApiError('ResourceNotFoundException', `Function not found: ${this.arn(name, qualifier, ref)}`);
  }

  /** Resolves a version, an alias, `$LATEST` or (without qualifier) the unpublished `$LATEST`. */
  private resolve(rawName: string, queryQualifier?: string): Resolved {
    const { fn, ref } = this.lookupFunction(rawName, queryQualifier);
    const qualifier = queryQualifier ?? ref.qualifier;
    const versionKey = qualifier === undefined ? '$LATEST' : (fn.aliases.get(qualifier)?.version ?? qualifier);
    const version = fn.versions.get(versionKey);
    if (!version) throw this.notFound(fn.name, qualifier);
    return { fn, qualifier, versionKey, version };
  }

  /** A read that lags an accepted put (notFoundAfterPutMs) does not find the version yet; a put does. */
  private read(target: Resolved): Resolved {
    const until = target.version.record.notFoundUntil;
    if (until !== undefined && this.now() < until) throw this.notFound(target.fn.name, target.qualifier);
    return target;
  }

  /** The scaling operations' qualifier is a published version; the model's pattern already refused aliases. */
  private resolveScalable(rawName: string, qualifier: string): Resolved {
    const target = this.resolve(rawName, qualifier);
    if (!target.fn.capacityProvider) {
      throw new ApiError('AccessDeniedException', 'The function provided by the arn does not contain a capacity provider configuration');
    }
    return target;
  }

  private configuration({ fn, qualifier, versionKey, version }: Resolved): Record<string, unknown> {
    const view = this.view(version);
    const { state, stateReason } = reportedState(version.record, this.now());
    return {
      FunctionName: fn.name,
      FunctionArn: this.arn(fn.name, qualifier),
      Runtime: 'nodejs22.x',
      Role: `arn:aws:iam::${this.account}:role/${fn.name}-role`,
      Handler: 'index.handler',
      CodeSize: 1024,
      Description: '',
      Timeout: 30,
      MemorySize: version.deployedMemorySize ?? version.memorySize,
      LastModified: new Date(version.createdAt).toISOString().replace('Z', '+0000'),
      CodeSha256: createHash('sha256').update(`${fn.name}:${versionKey}`).digest('base64'),
      Version: versionKey,
      RevisionId: version.revisionId,
      State: state,
      StateReason: stateReason?.reason,
      StateReasonCode: stateReason?.code,
      ...(!version.record.noLastUpdateStatus && {
        LastUpdateStatus: view.lastUpdateStatus,
        LastUpdateStatusReason: view.lastUpdateReason?.reason,
        LastUpdateStatusReasonCode: view.lastUpdateReason?.code,
      }),
      PackageType: 'Zip',
      Architectures: ['x86_64'],
      CapacityProviderConfig: version.provider
        ? {
            LambdaManagedInstancesCapacityProviderConfig: {
              CapacityProviderArn: this.providerArn(version.provider),
              ExecutionEnvironmentMemoryGiBPerVCpu: version.memoryGiBPerVCpu,
            },
          }
        : undefined,
    };
  }

  private alias(rawName: string, name: string): Record<string, unknown> {
    const { fn } = this.lookupFunction(rawName);
    const alias = fn.aliases.get(name);
    const AliasArn = this.arn(fn.name, name);
    if (!alias) throw new ApiError('ResourceNotFoundException', `Alias not found: ${AliasArn}`);
    return {
      AliasArn,
      Name: name,
      FunctionVersion: alias.version,
      Description: '',
      RevisionId: alias.revisionId,
      RoutingConfig: alias.weights && { AdditionalVersionWeights: alias.weights },
    };
  }
}

/** The service's own rule: an environment takes its memory over the memory per vCPU (2 GiB when unset). */
function vCpusPerEnvironment(memorySize: number, memoryGiBPerVCpu = 2): number {
  return memorySize / 1024 / memoryGiBPerVCpu;
}

/** What a settled Active version holds of its provider: its applied min's environments; any other state, none. */
function heldVCpus(e: VersionEntry): number {
  return observe(e.record).state === 'Active' ? e.record.applied.min * vCpusPerEnvironment(e.memorySize, e.memoryGiBPerVCpu) : 0;
}

function parseName(raw: string): NameRef {
  const groups = NAME_PARTS.exec(raw)?.groups;
  return groups ? { name: groups.name, region: groups.region, account: groups.account, qualifier: groups.qualifier } : { name: raw };
}

/** No maximum travels as no MaxExecutionEnvironments member, as the service's default config does. */
function toWire({ min, max }: ScalingConfig) {
  return max === null ? { MinExecutionEnvironments: min } : { MinExecutionEnvironments: min, MaxExecutionEnvironments: max };
}

/**
 * The body of PutFunctionScalingConfig. Both members are optional in the model, and a member left out
 * reverts to its default (AWS guide): no Max is no maximum, no Min is 3.
 */
function parseScalingConfig(body: string): ScalingConfig {
  let parsed: unknown;
  try {
    parsed = body === '' ? {} : JSON.parse(body);
  } catch {
    throw new ApiError('InvalidParameterValueException', 'Could not parse request body into json: malformed JSON.');
  }
  const config = (parsed as { FunctionScalingConfig?: Record<string, unknown> } | null)?.FunctionScalingConfig ?? {};
  const { min: low, max: high } = EXECUTION_ENVIRONMENTS_RANGE;
  const member = (key: string) => `FunctionScalingConfig.${key}`;
  throwValidation(
    ['MinExecutionEnvironments', 'MaxExecutionEnvironments'].flatMap((key) => {
      const value = config[key];
      if (value === undefined || value === null) return [];
      if (!Number.isInteger(value)) return [violation(`'${JSON.stringify(value)}'`, member(key), 'Member must be an integer')];
      if ((value as number) < low) return [violation(`'${value}'`, member(key), `Member must have value greater than or equal to ${low}`)];
      if ((value as number) > high) return [violation(`'${value}'`, member(key), `Member must have value less than or equal to ${high}`)];
      return [];
    }),
  );
  const min = (config.MinExecutionEnvironments as number | undefined) ?? DEFAULT_APPLIED.min;
  const max = (config.MaxExecutionEnvironments as number | undefined) ?? null;
  if (max !== null && min > max) {
    throw new ApiError('InvalidParameterValueException', 'MinExecutionEnvironments must be less than or equal to MaxExecutionEnvironments.');
  }
  if (min === 0 && max !== 0) {
    throw new ApiError('InvalidParameterValueException', 'MinExecutionEnvironments can be 0 only when MaxExecutionEnvironments is also 0.');
  }
  return { min, max };
}
