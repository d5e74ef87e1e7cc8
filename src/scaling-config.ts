/** A scaling config in the action's terms; the SDK's shape is converted at the edge (lambda-api.ts). */
export interface ScalingConfig {
  min: number;
  max: number;
}

export type GoalState = 'Active' | 'Deactivated';

/** 0/0 deactivates a version; anything else keeps (or brings) it Active. */
export function goalStateOf(config: ScalingConfig): GoalState {
  return config.min === 0 && config.max === 0 ? 'Deactivated' : 'Active';
}

export function sameConfig(a: ScalingConfig | undefined, b: ScalingConfig | undefined): boolean {
  return a !== undefined && b !== undefined && a.min === b.min && a.max === b.max;
}

export function formatConfig(config: ScalingConfig | undefined): string {
  return config ? `${config.min}/${config.max}` : 'none';
}
