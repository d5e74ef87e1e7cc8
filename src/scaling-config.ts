/** A scaling config in the action's terms; the SDK's shape is converted at the edge (lambda-api.ts). */
export interface ScalingConfig {
  min: number;
  /** `null`: no maximum, the service's default (the capacity provider's limit is then the only bound). */
  max: number | null;
}

export type GoalState = 'Active' | 'Deactivated';

/** The config of a version that was never given one (AWS guide: three execution environments, no maximum). */
export const DEFAULT_CONFIG: ScalingConfig = { min: 3, max: null };

/** 0/0 deactivates a version; anything else keeps (or brings) it Active. */
export function goalStateOf(config: ScalingConfig): GoalState {
  return config.min === 0 && config.max === 0 ? 'Deactivated' : 'Active';
}

export function sameConfig(a: ScalingConfig | undefined, b: ScalingConfig | undefined): boolean {
  return a !== undefined && b !== undefined && a.min === b.min && a.max === b.max;
}

/** `3/30`, `3/no max`; `none` when no config is known at all (none applied yet, or it could not be read). */
export function formatConfig(config: ScalingConfig | undefined): string {
  return config ? `${config.min}/${config.max ?? 'no max'}` : 'none';
}
