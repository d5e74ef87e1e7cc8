import { ActionError } from './errors.js';
import { functionId, LATEST_PUBLISHED, type FunctionRef } from './inputs.js';
import type { AliasRouting } from './lambda-api.js';

/** One function and qualifier as the user asked for them. */
export interface RequestedTarget {
  fn: FunctionRef;
  qualifier: string;
}

/** One version to configure; several requested targets can reach the same one. */
export interface VersionTarget {
  fn: FunctionRef;
  version: string;
  /** The qualifiers that reached this version, as written (`7`, `live`). */
  via: string[];
  /** False for a version an alias routes to by weight only. */
  primary: boolean;
}

/** Every function paired with every qualifier. */
export function pairTargets(functions: FunctionRef[], qualifiers: string[]): RequestedTarget[] {
  return functions.flatMap((fn) => qualifiers.map((qualifier) => ({ fn, qualifier })));
}

/** The scaling API takes only version numbers and $LATEST.PUBLISHED; anything else is an alias to resolve. */
export function isAlias(qualifier: string): boolean {
  return qualifier !== LATEST_PUBLISHED && !/^[0-9]+$/.test(qualifier);
}

/** The versions an alias routes to: its primary version first, then the weighted ones. */
export function aliasVersions(fn: FunctionRef, alias: string, routing: AliasRouting): string[] {
  const versions = [routing.version, ...routing.additionalVersions.filter((v) => v !== routing.version).sort((a, b) => Number(a) - Number(b))];
  const unpublished = versions.find((v) => v === '' || v === '$LATEST');
  if (unpublished !== undefined) {
    throw new ActionError(
      'Alias routes to an unpublished version',
      `Alias ${alias} of ${fn.name} routes to ${unpublished || 'no version'}, which has no scaling config. Point the alias at a published version, or give a version number or $LATEST.PUBLISHED as qualifier.`,
    );
  }
  return versions;
}

/** Merges the versions reached more than once (through two aliases, or an alias and its number). */
export function uniqueVersions(resolved: { target: RequestedTarget; versions: string[] }[]): VersionTarget[] {
  const byKey = new Map<string, VersionTarget>();
  for (const { target, versions } of resolved) {
    versions.forEach((version, index) => {
      const key = versionKey(target.fn, version);
      const existing = byKey.get(key);
      if (existing) {
        if (!existing.via.includes(target.qualifier)) existing.via.push(target.qualifier);
        existing.primary ||= index === 0;
      } else {
        byKey.set(key, { fn: target.fn, version, via: [target.qualifier], primary: index === 0 });
      }
    });
  }
  return [...byKey.values()];
}

/** Identifies one version of one function. */
export function versionKey(fn: FunctionRef, version: string): string {
  return `${functionId(fn)}\u0000${version}`;
}

export function targetLabel(fn: FunctionRef, qualifier: string): string {
  return `${fn.key}:${qualifier}`;
}

/**
 * The ARN of `version`, whether the service gave it qualified or not (whether GetFunctionScalingConfig
 * qualifies its FunctionArn is undocumented): `arn:partition:lambda:region:account:function:name[:qualifier]`.
 */
export function qualifiedArn(arn: string, version: string): string {
  const parts = arn.split(':');
  return parts.length === 7 && parts[5] === 'function' ? `${arn}:${version}` : arn;
}
