import { describePlan, planFor } from './plan.js';
import { readCurrentConfig, readState, type TargetContext, type TargetProgress } from './scale-target.js';

/**
 * Reads a version's config and state, and records what a real run would do (`changed`: would change).
 * Read operations only: GetFunctionScalingConfig and GetFunction (the state read takes `afterRead`'s answer, when it read one).
 */
export async function readPlan(ctx: TargetContext, p: TargetProgress, wait: boolean, afterRead?: () => Promise<void>): Promise<void> {
  const { goal } = p.target;
  const current = await readCurrentConfig(ctx, p);
  await afterRead?.();
  // Known from the config alone, so reported even when the state read fails.
  p.changed = planFor(goal, current, { wait }).change;
  await readState(ctx, p);
  const plan = planFor(goal, current, { state: p.state, lastUpdateStatus: p.lastUpdate?.status, wait });
  ctx.log(`${p.label}: ${plan.change ? 'would change ' : ''}${describePlan(goal, current, plan)}`);
}
