// What a scaling config needs of its capacity provider, and what to tell the user about it: pure decisions.
import type { Annotation } from './errors.js';
import { formatConfig, type ScalingConfig } from './scaling-config.js';

export const CAPACITY_LIMIT_CODE = 'CapacityProviderScalingLimitExceeded';
/** GiB of memory per vCPU of an execution environment when the version's config does not say. */
export const DEFAULT_MEMORY_GIB_PER_VCPU = 2;
/** A provider's MaxVCpuCount when its config does not say. */
export const DEFAULT_MAX_VCPU_COUNT = 400;
export const CAPACITY_PERMISSIONS = ['lambda:GetCapacityProvider', 'lambda:ListFunctionVersionsByCapacityProvider'] as const;

/** One target as the capacity check sees it. */
export interface TargetNeed {
  label: string;
  goal: ScalingConfig;
  /** vCPUs of one execution environment. */
  perEnvironment: number;
}

export interface ProviderLimit {
  /** The provider's name (the last part of its ARN). */
  name: string;
  maxVCpuCount: number;
}

/**
 * vCPUs one execution environment takes: its memory over the provider's memory per vCPU. Instances keep
 * some vCPUs for themselves, so a config takes at least this many per environment.
 */
export function vCpuPerEnvironment(memorySizeMb: number, memoryGiBPerVCpu: number | undefined): number {
  return memorySizeMb / 1024 / (memoryGiBPerVCpu ?? DEFAULT_MEMORY_GIB_PER_VCPU);
}

export function providerName(arn: string): string {
  return arn.slice(arn.lastIndexOf(':') + 1);
}

export function maxVCpuCountOf(maxVCpuCount: number | undefined): number {
  return maxVCpuCount ?? DEFAULT_MAX_VCPU_COUNT;
}

/** `2`, `0.5`, `1.33`: vCPU counts as a user reads them. */
export function formatVCpu(vCpu: number): string {
  return String(Math.round(vCpu * 100) / 100);
}

/** The vCPUs that many environments take at least. */
export function vCpusFor(environments: number, perEnvironment: number): number {
  return environments * perEnvironment;
}

/** How many environments fit in the provider at most (fewer, once the instances' own vCPUs are counted). */
export function environmentsThatFit(limit: ProviderLimit, perEnvironment: number): number {
  return Math.floor(limit.maxVCpuCount / perEnvironment);
}

/** `min 40 × 2 vCPU = at least 80 vCPU` */
function need(bound: string, environments: number, perEnvironment: number): string {
  return `${bound} ${environments} × ${formatVCpu(perEnvironment)} vCPU = at least ${formatVCpu(vCpusFor(environments, perEnvironment))} vCPU`;
}

function fewerFit(limit: ProviderLimit, perEnvironment: number): string {
  const fit = environmentsThatFit(limit, perEnvironment);
  return fit === 0
    ? `not even one execution environment of ${formatVCpu(perEnvironment)} vCPU fits in ${limit.maxVCpuCount} vCPU, so lower the function's memory size instead`
    : `at most ${fit} execution environment${fit === 1 ? '' : 's'} of ${formatVCpu(perEnvironment)} vCPU fit in ${limit.maxVCpuCount} vCPU, fewer once the instances' own vCPUs are counted`;
}

export interface TargetFindings {
  /** The min alone cannot fit: the version will fail. */
  warning?: Annotation;
  /** The max cannot fit: the version cannot scale up to it. */
  notice?: Annotation;
}

/** What one target's config asks of its provider: a warning when its min cannot fit, else a notice when its max cannot. */
export function targetFindings(target: TargetNeed, limit: ProviderLimit): TargetFindings {
  const { label, goal, perEnvironment } = target;
  const allows = `capacity provider ${limit.name} allows ${limit.maxVCpuCount}`;
  const minNeed = vCpusFor(goal.min, perEnvironment);
  if (minNeed > limit.maxVCpuCount) {
    return {
      warning: {
        title: `Capacity: ${label} cannot fit`,
        message:
          `${label}: ${need('min', goal.min, perEnvironment)}; ${allows}. The version will fail with ${CAPACITY_LIMIT_CODE}. ` +
          `Raise the capacity provider's MaxVCpuCount to at least ${Math.ceil(minNeed)}, or lower the min (${fewerFit(limit, perEnvironment)}).`,
      },
    };
  }
  if (goal.max !== null && vCpusFor(goal.max, perEnvironment) > limit.maxVCpuCount) {
    const fit = environmentsThatFit(limit, perEnvironment);
    return {
      notice: {
        title: `Capacity: ${label} cannot reach its max`,
        message:
          `${label}: ${need('max', goal.max, perEnvironment)}; ${allows}: at most ${fit} execution environments can run, ` +
          `fewer once the instances' own vCPUs and the provider's other versions are counted. Lambda scales the version no further than that.`,
      },
    };
  }
  return {};
}

/**
 * The mins of a step's targets on one provider add up. A warning when together they cannot fit though
 * each one alone does (one that cannot fit alone has its own warning).
 */
export function sharedFinding(targets: TargetNeed[], limit: ProviderLimit): Annotation | undefined {
  const active = targets.filter((t) => t.goal.min > 0);
  if (active.length < 2) return undefined;
  if (active.some((t) => vCpusFor(t.goal.min, t.perEnvironment) > limit.maxVCpuCount)) return undefined;
  const total = active.reduce((sum, t) => sum + vCpusFor(t.goal.min, t.perEnvironment), 0);
  if (total <= limit.maxVCpuCount) return undefined;
  return {
    title: `Capacity: ${active.length} targets cannot fit together on ${limit.name}`,
    message:
      `${active.map((t) => t.label).join(', ')} run on capacity provider ${limit.name}; their mins together need at least ${formatVCpu(total)} vCPU ` +
      `(${active.map((t) => `${t.label}: ${need('min', t.goal.min, t.perEnvironment)}`).join('; ')}); it allows ${limit.maxVCpuCount}. ` +
      `A version will fail with ${CAPACITY_LIMIT_CODE}. Raise the capacity provider's MaxVCpuCount to at least ${Math.ceil(total)}, lower their mins, or give them providers of their own.`,
  };
}

/** The plan's capacity cell: what the requested min needs and what the provider allows. */
export function capacityCell(target: TargetNeed, limit: ProviderLimit, findings: TargetFindings, shared: boolean): string {
  const { goal, perEnvironment } = target;
  const fit = environmentsThatFit(limit, perEnvironment);
  const what = `min ≥ ${formatVCpu(vCpusFor(goal.min, perEnvironment))} of ${limit.maxVCpuCount} vCPU (${limit.name}; ${formatVCpu(perEnvironment)} each, ≤ ${fit} fit)`;
  const flags = [findings.warning && '⚠️ min cannot fit', shared && '⚠️ mins together cannot fit', findings.notice && 'max cannot fit'].filter(Boolean);
  return flags.length ? `${what}: ${flags.join('; ')}` : what;
}

export interface OtherVersion {
  label: string;
  state?: string;
  /** Absent when its scaling config could not be read. */
  config?: ScalingConfig;
}

export interface FailureFacts {
  label: string;
  limit: ProviderLimit;
  goal: ScalingConfig;
  perEnvironment: number;
  /** The provider's other versions; undefined when they could not be listed. */
  others?: OtherVersion[];
  /** More versions on the provider than were read. */
  unread?: number;
}

/** The numbers behind a CapacityProviderScalingLimitExceeded failure, and what to change. */
export function failureExplanation(f: FailureFacts): string {
  const ownNeed = vCpusFor(f.goal.min, f.perEnvironment);
  const lines = [
    `Capacity provider ${f.limit.name} allows ${f.limit.maxVCpuCount} vCPU (MaxVCpuCount); ${f.label} needs ${need('min', f.goal.min, f.perEnvironment)}.`,
  ];
  if (f.others === undefined) lines.push('Its other versions could not be listed.');
  else if (f.others.length === 0) lines.push('No other version runs on it.');
  else {
    const described = f.others.map((o) => `${o.label}${o.state ? ` (${o.state})` : ''}: ${o.config ? formatConfig(o.config) : 'config not readable'}`);
    const more = f.unread ? `, and ${f.unread} more not read` : '';
    const mins = f.others.reduce((sum, o) => sum + (o.config?.min ?? 0), 0);
    lines.push(`Other versions on it (min/max): ${described.join('; ')}${more}; together a min of ${mins} execution environments.`);
  }
  const ways =
    ownNeed > f.limit.maxVCpuCount
      ? `This version's min alone cannot fit: raise MaxVCpuCount to at least ${Math.ceil(ownNeed)}, or lower its min (${fewerFit(f.limit, f.perEnvironment)}).`
      : `Raise the capacity provider's MaxVCpuCount, lower the min of this version or of the others, or set versions no longer used to 0/0 (or delete them: a Failed version may still hold capacity).`;
  lines.push(ways);
  return lines.join('\n');
}

/** Why the capacity check was skipped, once per step; the step goes on as without it. */
export function skippedNotice(operation: string, reason: string): Annotation {
  return {
    title: 'Capacity check skipped',
    message:
      `The check of the scaling config against its capacity provider was skipped: ${operation} failed (${reason}). ` +
      `The step goes on without it. To enable it, allow ${CAPACITY_PERMISSIONS.join(' and ')} on the capacity provider (both optional).`,
  };
}
