import { readSavedPuts, StateError } from './action-state.js';
import { withConsoleLink } from './console-links.js';
import type { Annotation } from './errors.js';
import { InputError } from './input-values.js';
import { parseBoolean, parseWaitMinutes, type Inputs } from './inputs.js';
import { failureKind, leftAloneWarning, restoreFailure, restoreTargets, unknownPreviousFailure } from './restore.js';
import { buildRestoreSummary, restoreLogLine, unknownLogLine } from './restore-summary.js';
import { scaleTargets, type ActionIO, type RunOptions } from './run.js';
import { lastUpdateWarning } from './scale-target.js';

/**
 * The post step (runs when the job ends, with `restore: true`): puts back, on each version the main
 * step put a config on, the config applied before, through the same flow as the main step, within a
 * wait-for-minutes of its own. Resolves true when every one was restored or rightly left alone.
 */
export async function runPost(io: ActionIO, options: RunOptions): Promise<boolean> {
  const startedAt = options.clock.now();
  let restore: boolean;
  try {
    restore = parseBoolean(io.getInput, 'restore');
  } catch (error) {
    // The main step refused it already, before any request: it put nothing.
    if (error instanceof InputError) return true;
    throw error;
  }
  if (!restore) return true;
  let puts;
  try {
    puts = readSavedPuts(io.getState);
  } catch (error) {
    if (!(error instanceof StateError)) throw error;
    io.error({ title: 'Restore: unreadable state', message: `Nothing was restored: ${error.message}. Check the versions this job scaled, and put their configs back by hand.` });
    return false;
  }
  if (puts.length === 0) {
    io.info('Nothing to restore: the scaling step put no config (a dry run puts none, nor does a step that found each config already in effect or stopped before its first put).');
    return true;
  }
  // Parsed by the main step too, before its first put: it is valid.
  const budgetMs = parseWaitMinutes(io.getInput) * 60_000;
  const { targets, unknown } = restoreTargets(puts);
  io.info(`Restoring the config from before the scaling step on ${puts.length} version${puts.length === 1 ? '' : 's'}.`);
  const inputs: Inputs = { targets, wait: true, dryRun: false, budgetMs, regions: [...new Set(targets.map((t) => t.region))], restore: false };
  const progress = targets.length ? await scaleTargets(io, options, inputs, startedAt) : [];

  const errors: Annotation[] = unknown.map(unknownPreviousFailure);
  const warnings: Annotation[] = [];
  for (const p of progress) {
    const { region } = p.target;
    if (p.error) {
      const why = options.signal.aborted ? 'The post step was cancelled before the restore was in effect.' : `${failureKind(p)}: ${p.error.message}`;
      errors.push(withConsoleLink(restoreFailure(p, why), p, region));
    }
    if (p.leftAlone) warnings.push(withConsoleLink(leftAloneWarning(p, p.leftAlone.found), p, region));
    const deploy = lastUpdateWarning(p);
    if (deploy) warnings.push(withConsoleLink(deploy, p, region));
  }
  for (const p of progress) io.info(restoreLogLine(p));
  for (const put of unknown) io.info(unknownLogLine(put));
  for (const annotation of errors) io.error(annotation);
  for (const annotation of warnings) io.warning(annotation);
  await io.writeSummary(buildRestoreSummary(progress, unknown, { errors, warnings, links: await options.summaryLinks?.() }));
  return !options.signal.aborted && errors.length === 0;
}
