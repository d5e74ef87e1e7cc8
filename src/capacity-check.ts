// The capacity check's reads: each target's GetFunction, one GetCapacityProvider per provider per step,
// and, only when a version failed for capacity, the provider's other versions. Never in the way: a read
// that fails skips the check, with one notice for the step.
import {
  CAPACITY_LIMIT_CODE,
  capacityCell,
  failureExplanation,
  maxVCpuCountOf,
  providerName,
  sharedFinding,
  skippedNotice,
  targetFindings,
  vCpuPerEnvironment,
  type OtherVersion,
  type ProviderLimit,
  type TargetNeed,
} from './capacity.js';
import { RequestFailure, type Annotation } from './errors.js';
import type { VersionStatus } from './lambda-api.js';
import { DeadlineReached } from './request-pacer.js';
import type { TargetContext, TargetProgress } from './scale-target.js';
import { qualifiedArn } from './targets.js';

export interface CapacityIO {
  warning(annotation: Annotation): void;
  notice(annotation: Annotation): void;
  debug(message: string): void;
}

/** The provider's other versions whose scaling config a failure's explanation reads, at most. */
export const MAX_OTHER_VERSIONS_READ = 20;

interface Known {
  p: TargetProgress;
  ctx: TargetContext;
  providerArn: string;
  /** The version's ARN as GetFunction gave it. */
  functionArn?: string;
  need: TargetNeed;
}

/**
 * How long after the step's start a put may wait for the other targets' reads, so that a warning that
 * their mins cannot fit together comes before it: the reads of a step of a few targets are in by then,
 * and a step of hundreds loses nothing (the control plane serves reads while its puts wait).
 */
export const SHARED_CHECK_WAIT_MS = 2000;

export class CapacityCheck {
  /** Each target's GetFunction answer, as far as the check needs it; settled once read, or once the target's chain ended without. */
  private readonly reads = new Map<TargetProgress, { known: Promise<Known | undefined>; settle: (known: Known | undefined) => void }>();
  private readonly providers = new Map<string, Promise<ProviderLimit | undefined>>();
  /** Per provider: whether the step's targets on it cannot fit together, once all are read (said once). */
  private readonly shared = new Map<string, Promise<boolean>>();
  private readonly explanations = new Map<TargetProgress, string>();
  private skipNoticed = false;

  constructor(private readonly io: CapacityIO) {}

  /** The step's targets: the mins of those on one provider add up, so each target's read is awaited for the sum. */
  start(targets: TargetProgress[]): void {
    for (const p of targets) {
      let settle!: (known: Known | undefined) => void;
      const known = new Promise<Known | undefined>((resolve) => (settle = resolve));
      this.reads.set(p, { known, settle });
    }
  }

  /**
   * Right after the config read, GetFunction (its own quota) for the memory size and the provider. A state
   * read of the target with nothing put since takes this answer (`earlyState`) instead of reading again:
   * only a target that is put costs one more GetFunction.
   */
  async read(ctx: TargetContext, p: TargetProgress): Promise<void> {
    const read = ctx.api.getFunction(p.target.fn.name, p.target.version);
    // A failure too: the state read fails with it, as it would have failed itself, without asking again.
    p.earlyState = read;
    const status = await read.catch((error: unknown) => {
      this.io.debug(`Capacity check of ${p.label}: GetFunction failed (${reasonOf(error)})`);
      return undefined;
    });
    this.reads.get(p)?.settle(known(ctx, p, status));
  }

  /** The target's chain has ended: a target never read no longer holds up the sum of the mins. */
  done(p: TargetProgress): void {
    this.reads.get(p)?.settle(undefined);
  }

  /**
   * Before the put: a warning when the min cannot fit, a notice when the max cannot, and a warning when
   * the mins of the step's targets on the provider cannot fit together, which the put waits for until
   * SHARED_CHECK_WAIT_MS after the step's start at the most (it is said once known, put or not).
   */
  async beforePut(p: TargetProgress): Promise<void> {
    const found = await this.assess(p);
    if (!found) return;
    const findings = targetFindings(found.known.need, found.limit);
    if (findings.warning) this.io.warning(findings.warning);
    if (findings.notice) this.io.notice(findings.notice);
    const { ctx } = found.known;
    const waitMs = ctx.startedAt + SHARED_CHECK_WAIT_MS - ctx.clock.now();
    if (waitMs <= 0) return;
    const stop = new AbortController();
    const shared = this.sharedOf(found.known, found.limit).finally(() => stop.abort());
    await Promise.race([shared, ctx.clock.sleep(waitMs, AbortSignal.any([stop.signal, ctx.signal])).catch(() => undefined)]);
  }

  /** A dry run: the same warnings for a target that would change, and the plan's capacity cell for every target. */
  async plan(p: TargetProgress): Promise<void> {
    const found = await this.assess(p);
    if (!found) return;
    const findings = targetFindings(found.known.need, found.limit);
    p.capacityNote = capacityCell(found.known.need, found.limit, findings, await this.sharedOf(found.known, found.limit));
    found.known.ctx.log(`${p.label}: capacity: ${p.capacityNote}`);
    if (!p.changed) return;
    if (findings.warning) this.io.warning(findings.warning);
    if (findings.notice) this.io.notice(findings.notice);
  }

  /** After a target's chain: when its version (or its last update) failed for capacity, reads what explains it. */
  async explainFailure(p: TargetProgress): Promise<void> {
    const failedForCapacity = (p.state === 'Failed' && p.stateReasonCode === CAPACITY_LIMIT_CODE) || (p.lastUpdate?.status === 'Failed' && p.lastUpdate.reasonCode === CAPACITY_LIMIT_CODE);
    if (!failedForCapacity) return;
    const known = await this.reads.get(p)?.known;
    if (!known) return;
    const limit = await this.provider(known.ctx, known.providerArn);
    if (!limit) return;
    const others = await this.otherVersions(known);
    this.explanations.set(p, failureExplanation({ label: p.label, limit, goal: p.target.goal, perEnvironment: known.need.perEnvironment, ...others }));
  }

  /** The annotation with the numbers behind its CapacityProviderScalingLimitExceeded, when there are any. */
  explained(p: TargetProgress, annotation: Annotation | undefined): Annotation | undefined {
    const explanation = this.explanations.get(p);
    if (!annotation || !explanation || !annotation.message.includes(CAPACITY_LIMIT_CODE)) return annotation;
    return { ...annotation, message: `${annotation.message}\n${explanation}` };
  }

  /** The target's need and its provider's limit, as soon as both are read. */
  private async assess(p: TargetProgress): Promise<{ known: Known; limit: ProviderLimit } | undefined> {
    const known = await this.reads.get(p)?.known;
    if (!known) return undefined;
    const limit = await this.provider(known.ctx, known.providerArn);
    return limit && { known, limit };
  }

  /** Once per provider, when every target of the step is read: whether their mins fit together (said once). */
  private sharedOf(first: Known, limit: ProviderLimit): Promise<boolean> {
    let shared = this.shared.get(first.providerArn);
    if (!shared) {
      shared = Promise.all([...this.reads.values()].map((r) => r.known)).then((all) => {
        const onProvider = all.filter((k): k is Known => k?.providerArn === first.providerArn);
        const warning = sharedFinding(
          onProvider.map((k) => k.need),
          limit,
        );
        if (warning) this.io.warning(warning);
        return warning !== undefined;
      });
      this.shared.set(first.providerArn, shared);
    }
    return shared;
  }

  /** At most one GetCapacityProvider per provider per step, shared by its targets however many run at once. */
  private provider(ctx: TargetContext, arn: string): Promise<ProviderLimit | undefined> {
    let limit = this.providers.get(arn);
    if (!limit) {
      limit = ctx.api.getCapacityProvider(arn).then(
        (provider) => ({ name: providerName(arn), maxVCpuCount: maxVCpuCountOf(provider.maxVCpuCount) }),
        (error: unknown) => this.skip(ctx, 'GetCapacityProvider', error),
      );
      this.providers.set(arn, limit);
    }
    return limit;
  }

  /** The provider's versions but this one, with their scaling configs (read on the control plane's pace). */
  private async otherVersions({ ctx, p, providerArn, functionArn }: Known): Promise<{ others?: OtherVersion[]; unread?: number }> {
    let listed;
    try {
      listed = await ctx.api.listFunctionVersionsByCapacityProvider(providerArn);
    } catch (error) {
      this.skip(ctx, 'ListFunctionVersionsByCapacityProvider', error);
      return {};
    }
    const own = functionArn && qualifiedArn(functionArn, p.target.version);
    const others = listed.filter((v) => v.functionArn !== own);
    const read = others.slice(0, MAX_OTHER_VERSIONS_READ);
    const described = await Promise.all(
      read.map(async (v): Promise<OtherVersion> => {
        const { functionArn, label, qualifier } = splitVersionArn(v.functionArn);
        if (!qualifier || !/^([0-9]+|\$LATEST\.PUBLISHED)$/.test(qualifier)) return { label, state: v.state };
        try {
          const scaling = await ctx.api.getScalingConfig(functionArn, qualifier);
          return { label, state: v.state, config: scaling.applied };
        } catch (error) {
          this.io.debug(`Capacity check: GetFunctionScalingConfig of ${label} failed (${reasonOf(error)})`);
          return { label, state: v.state };
        }
      }),
    );
    return { others: described, unread: others.length - read.length };
  }

  /** A failed capacity read skips the check: one notice for the step, none when the step is being cancelled or is out of time. */
  private skip(ctx: TargetContext, operation: string, error: unknown): undefined {
    this.io.debug(`Capacity check: ${operation} failed (${reasonOf(error)})`);
    if (ctx.signal.aborted || error instanceof DeadlineReached || this.skipNoticed) return undefined;
    this.skipNoticed = true;
    this.io.notice(skippedNotice(operation, reasonOf(error)));
    return undefined;
  }
}

/** What the capacity check needs of a target's GetFunction answer; undefined for a version without provider or memory size. */
function known(ctx: TargetContext, p: TargetProgress, status: VersionStatus | undefined): Known | undefined {
  const provider = status?.capacityProvider;
  if (!provider || status.memorySize === undefined) return undefined;
  const perEnvironment = vCpuPerEnvironment(status.memorySize, provider.memoryGiBPerVCpu);
  return { p, ctx, providerArn: provider.arn, functionArn: status.functionArn, need: { label: p.label, goal: p.target.goal, perEnvironment } };
}

/** `arn:aws:lambda:r:a:function:name:7` → the unqualified ARN, `name:7` and `7`. */
function splitVersionArn(arn: string): { functionArn: string; label: string; qualifier?: string } {
  const parts = arn.split(':');
  return { functionArn: parts.slice(0, 7).join(':'), label: parts.slice(6).join(':'), qualifier: parts[7] };
}

function reasonOf(error: unknown): string {
  const cause = error instanceof RequestFailure ? error.cause : error;
  const err = cause as { name?: string; message?: string };
  return [err?.name, err?.message].filter(Boolean).join(': ') || String(cause);
}
