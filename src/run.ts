import { putSaver } from './action-state.js';
import { CapacityCheck } from './capacity-check.js';
import type { Clock } from './clock.js';
import { withConsoleLink } from './console-links.js';
import { readPlan } from './dry-run.js';
import { annotationFor, type Annotation, type ErrorContext } from './errors.js';
import { heartbeatLine, withHeartbeat } from './heartbeat.js';
import { parseInputs, specWanted, type Inputs, type SpecTools } from './inputs.js';
import { InputError } from './input-values.js';
import { LambdaApi } from './lambda-api.js';
import { actionOutputs } from './outputs.js';
import { buildPlanSummary, planHeadline } from './plan-summary.js';
import { parsePrCommentInputs, type PrCommentInputs, type RunReport } from './pr-comment.js';
import { applyConfig, asTimeoutIfLate, confirmState, lastUpdateWarning, newProgress, waitUntilInEffect, type TargetContext, type TargetProgress } from './scale-target.js';
import { formatConfig } from './scaling-config.js';
import { buildSummary, commonGoal } from './summary.js';
import { aliasVersions, isAlias, targetLabel, uniqueVersions, versionKey } from './targets.js';

/** Everything the action does to the outside world besides AWS requests: @actions/core in production. */
export interface ActionIO {
  getInput(name: string): string;
  setOutput(name: string, value: string): void;
  info(message: string): void;
  debug(message: string): void;
  error(annotation: Annotation): void;
  warning(annotation: Annotation): void;
  notice(annotation: Annotation): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  writeSummary(markdown: string): Promise<void>;
  /** Hands a value to the post step (the runner's state). */
  saveState(name: string, value: string): void;
  /** A value the main step saved; '' when none. */
  getState(name: string): string;
}

export interface RunOptions {
  env: Record<string, string | undefined>;
  clock: Clock;
  /** Aborts on the runner's SIGINT/SIGTERM. */
  signal: AbortSignal;
  requestTimeoutMs?: number;
  random?: () => number;
  /** Markdown links for the summary: the run and, on pull_request events, the PR. */
  summaryLinks?: () => Promise<string[]>;
  /** With `pr-comment: true`: the report as a comment on the pull request, once the summary is written. */
  commentOnPullRequest?: (inputs: PrCommentInputs, report: RunReport) => Promise<void>;
}

/** Loaded only for a spec: the YAML parser is not on the path to any other step's first request. */
async function specTools(): Promise<SpecTools> {
  const [{ parseScalingSpec }, { readSpecFile }] = await Promise.all([import('./scaling-spec.js'), import('./spec-file.js')]);
  return { parse: parseScalingSpec, readFile: readSpecFile };
}

/** Runs the action once; resolves true when every target succeeded. Never throws for a user error. */
export async function run(io: ActionIO, options: RunOptions): Promise<boolean> {
  const startedAt = options.clock.now();
  let inputs: Inputs;
  let prComment: PrCommentInputs;
  try {
    inputs = parseInputs(io.getInput, options.env, specWanted(io.getInput) ? await specTools() : undefined);
    prComment = parsePrCommentInputs(io.getInput);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    for (const problem of error.problems) io.error({ title: `Invalid input: ${error.input}`, message: problem.message, file: problem.file, line: problem.line, column: problem.column });
    return false;
  }
  const progress = await scaleTargets(io, options, inputs, startedAt, inputs.restore ? putSaver((name, value) => io.saveState(name, value)) : undefined);
  return finish(io, options, inputs, progress, startedAt, prComment);
}

/**
 * The flow every run goes through, the main step's and the restore's alike: resolve the targets, then
 * apply each one's goal and wait until it is in effect (or only read, in a dry run). `onPut` is told of
 * each accepted put.
 */
export async function scaleTargets(io: ActionIO, options: RunOptions, inputs: Inputs, startedAt: number, onPut?: (p: TargetProgress) => void): Promise<TargetProgress[]> {
  const { clock, signal } = options;
  const deadline = startedAt + inputs.budgetMs;
  // Each region has quotas of its own: one client, one pace per region.
  const contexts = new Map(
    inputs.regions.map((region) => {
      const api = new LambdaApi({ region, clock, signal, deadline, logger: io, requestTimeoutMs: options.requestTimeoutMs, random: options.random });
      const ctx: TargetContext = { api, clock, signal, startedAt, deadline, budgetMinutes: inputs.budgetMs / 60_000, log: io.info, random: options.random, onPut };
      return [region, ctx];
    }),
  );
  const contextOf = (p: TargetProgress) => contexts.get(p.target.region)!;
  const capacity = new CapacityCheck(io);
  const settle = (p: TargetProgress, step: () => Promise<void>) =>
    step().catch((error: unknown) => {
      p.error = failureOf(contextOf(p), p, error, inputs);
    });

  let progress: TargetProgress[] = [];
  try {
    const resolve = () => resolveTargets(contexts, inputs, io);
    progress = await (inputs.targets.some((t) => isAlias(t.qualifier)) ? io.group('Resolve aliases', resolve) : resolve());
    const live = progress.filter((p) => !p.error);
    capacity.start(live);
    // One chain per target, all at once: a target stuck behind a conflict must not eat the others' wait.
    // A single target's log reads best in one group per phase; concurrent targets share one group.
    const single = live.length === 1;
    const phase = (name: string, step: () => Promise<void>) => (single ? io.group(name, step) : step());
    const scale = (p: TargetProgress) =>
      settle(p, async () => {
        const ctx = contextOf(p);
        try {
          const hooks = { afterRead: () => capacity.read(ctx, p), beforePut: () => capacity.beforePut(p) };
          await phase(`Apply ${formatConfig(p.target.goal)}`, () => applyConfig(ctx, p, hooks));
          if (p.leftAlone) return;
          if (inputs.wait) await phase('Wait until in effect', () => waitUntilInEffect(ctx, p));
          else if (!p.changed) await confirmState(ctx, p);
        } finally {
          // Also without a wait: a put can wait minutes for a deploy to end.
          p.waitedMs = clock.now() - startedAt;
        }
      }).then(() => {
        capacity.done(p);
        return capacity.explainFailure(p);
      });
    const beat = () => heartbeatLine(live, { now: clock.now(), startedAt, deadline, wait: inputs.wait });
    const scaleAll = () => withHeartbeat(clock, signal, io.info, beat, Promise.all(live.map(scale)).then(() => undefined));
    const goal = commonGoal(live);
    const applyGroup = `Apply ${goal ? formatConfig(goal) : "each target's config"} to ${live.length} targets${inputs.wait ? ' and wait until in effect' : ''}`;
    // A dry run reads each version and stops there: no put, no wait.
    if (inputs.dryRun) await io.group('Dry run: read the current config and state; nothing is changed', () => Promise.all(live.map((p) => settle(p, () => readPlan(contextOf(p), p, inputs.wait, () => capacity.read(contextOf(p), p)).then(() => capacity.plan(p))).then(() => capacity.done(p)))));
    else if (live.length > 0) await (single ? scaleAll() : io.group(applyGroup, scaleAll));
  } finally {
    for (const { api } of contexts.values()) api.close();
  }
  // A capacity failure's annotation gains the provider's numbers, read when the version failed.
  for (const p of progress) p.warning = lastUpdateWarning(p);
  for (const p of progress) [p.error, p.warning] = [capacity.explained(p, p.error), capacity.explained(p, p.warning)];
  return progress;
}

/** A target's failure as its annotation: cancelled, timed out, or what the error says. */
function failureOf(ctx: TargetContext, p: TargetProgress, error: unknown, inputs: Inputs): Annotation {
  return ctx.signal.aborted ? cancelled(p, inputs) : annotationFor(asTimeoutIfLate(ctx, p, error), errorContext(ctx, p.label, p.target.region));
}

/** Refused credentials after an earlier request of the step succeeded have expired during it. */
function errorContext({ api, clock }: TargetContext, target: string, region: string): ErrorContext {
  return { target, region, credentialsAgeMs: api.firstSuccessAt === undefined ? undefined : clock.now() - api.firstSuccessAt };
}

/** Outputs, one annotation per failed target and per failed deploy, the job summary, the PR comment. */
async function finish(io: ActionIO, options: RunOptions, inputs: Inputs, progress: TargetProgress[], startedAt: number, prComment: PrCommentInputs): Promise<boolean> {
  for (const [name, value] of Object.entries(actionOutputs(progress))) io.setOutput(name, value);
  for (const p of progress) if (p.error) io.error(withConsoleLink(p.error, p, p.target.region));
  for (const p of progress) if (p.warning) io.warning(withConsoleLink(p.warning, p, p.target.region));
  const links = await options.summaryLinks?.();
  // The clock's now() is ms since the epoch (Date.now()): the summary's timeline shows real instants.
  const summary = { wait: inputs.wait, links, startedAtEpochMs: startedAt };
  if (inputs.dryRun) io.info(planHeadline(progress));
  const markdown = inputs.dryRun ? buildPlanSummary(progress, summary) : buildSummary(progress, summary);
  await io.writeSummary(markdown);
  // The Lambda work has ended: only now a request to GitHub. It never fails the step (a failure is a warning).
  if (prComment.enabled) await options.commentOnPullRequest?.(prComment, { markdown, progress });
  return !options.signal.aborted && progress.every((p) => !p.error);
}

/**
 * Resolves aliases; the targets come back in the order requested, each version once. A version asked for
 * with two configs fails at once, with nothing put on it.
 */
async function resolveTargets(contexts: Map<string, TargetContext>, inputs: Inputs, io: ActionIO): Promise<TargetProgress[]> {
  const withRegion = inputs.regions.length > 1;
  const entries = await Promise.all(
    inputs.targets.map(async (target) => {
      if (!isAlias(target.qualifier)) return { target, versions: [target.qualifier] };
      const label = `${targetLabel(target.fn, target.qualifier)}${withRegion ? ` in ${target.region}` : ''}`;
      const ctx = contexts.get(target.region)!;
      try {
        const versions = aliasVersions(target.fn, target.qualifier, await ctx.api.getAlias(target.fn.name, target.qualifier));
        io.info(`${label} → version ${versions[0]}${versions.length > 1 ? ` (and ${versions.slice(1).join(', ')} by weight)` : ''}`);
        return { target, versions };
      } catch (error) {
        const failure = newProgress({ fn: target.fn, version: '', region: target.region, via: [target.qualifier], primary: true, goal: target.goal });
        failure.label = label;
        failure.error = failureOf(ctx, failure, error, inputs);
        return { target, versions: [], failure };
      }
    }),
  );
  const progressOf = new Map(
    uniqueVersions(entries).map((t) => {
      const p = newProgress(t, withRegion);
      if (t.conflict) p.error = t.conflict;
      return [versionKey(t.fn, t.version, t.region), p];
    }),
  );
  const ordered = entries.flatMap((e) => (e.failure ? [e.failure] : e.versions.map((v) => progressOf.get(versionKey(e.target.fn, v, e.target.region))!)));
  return [...new Set(ordered)];
}

function cancelled(p: TargetProgress, { dryRun, restore }: Inputs): Annotation {
  const { goal } = p.target;
  // With restore, the post step puts the previous config back; without, only the user can.
  const back = restore ? `the post step (restore: true) puts the previous config (${formatConfig(p.previous)}) back` : `Run the step again to wait for it, or put the previous config (${formatConfig(p.previous)}) back`;
  const last = p.state ? `The last state seen was ${p.state}.` : 'No state had been seen yet.';
  const put = dryRun
    ? 'It was a dry run: nothing was changed.'
    : p.changed === true
      ? `The config ${formatConfig(goal)} put before the cancel stays put: Lambda goes on applying it${restore ? ` until ${back}` : `. ${back}`}.`
      : p.changed === false
        ? 'Its config was already in effect; nothing was changed.'
        : p.deployNoted
          ? `The step was waiting for a deploy to end before putting ${formatConfig(goal)}, so it was most likely not put: check the version with aws lambda get-function-scaling-config.`
          : `The cancel came before or during the put of ${formatConfig(goal)}: check the version with aws lambda get-function-scaling-config.`;
  return { title: `Cancelled: ${p.label}`, message: `The job was cancelled while ${dryRun ? 'reading' : 'scaling'} ${p.label}. ${last} ${put}` };
}
