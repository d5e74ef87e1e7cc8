import { ActionError } from './errors.js';
import { functionId, LATEST_PUBLISHED, type FunctionRef } from './input-values.js';
import type { AliasRouting } from './lambda-api.js';
import { formatConfig, sameConfig, type ScalingConfig } from './scaling-config.js';

/** One function and qualifier as the user asked for them, with the config asked for it and its region. */
export interface RequestedTarget {
  fn: FunctionRef;
  qualifier: string;
  goal: ScalingConfig;
  region: string;
  /** Where a spec asked for it (`entry 2 (line 5)`); none for the single-config inputs. */
  source?: string;
  /** A restore's: put the goal only while this config (the one the step put) is still the latest. */
  expected?: ScalingConfig;
}

/** One version to configure; several requested targets can reach the same one. */
export interface VersionTarget {
  fn: FunctionRef;
  version: string;
  region: string;
  /** The qualifiers that reached this version, as written (`7`, `live`). */
  via: string[];
  /** False for a version an alias routes to by weight only. */
  primary: boolean;
  /** The config to put; reached with different configs, the first one asked for, and `conflict` says so. */
  goal: ScalingConfig;
  /** Reached by entries that ask for different configs: nothing is put on it. */
  conflict?: { title: string; message: string };
  /** A restore's: put the goal only while this config (the one the step put) is still the latest. */
  expected?: ScalingConfig;
}

/** Every function paired with every qualifier. */
export function pairTargets(functions: FunctionRef[], qualifiers: string[]): { fn: FunctionRef; qualifier: string }[] {
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

/**
 * Merges the versions reached more than once (through two aliases, an alias and its number, or two
 * entries of a spec). Reached with the same config, a version is configured once; with different ones it
 * gets a `conflict` naming both, and nothing is put on it.
 */
export function uniqueVersions(resolved: { target: RequestedTarget; versions: string[] }[]): VersionTarget[] {
  const byKey = new Map<string, VersionTarget & { askedBy: { target: RequestedTarget; version: string }[] }>();
  for (const { target, versions } of resolved) {
    versions.forEach((version, index) => {
      const key = versionKey(target.fn, version, target.region);
      const existing = byKey.get(key);
      if (existing) {
        if (!existing.via.includes(target.qualifier)) existing.via.push(target.qualifier);
        existing.primary ||= index === 0;
        const first = existing.askedBy[0];
        if (!sameConfig(first.target.goal, target.goal) && !existing.conflict) {
          existing.conflict = conflictOf(existing, first, { target, version });
        }
        existing.askedBy.push({ target, version });
      } else {
        byKey.set(key, { fn: target.fn, version, region: target.region, via: [target.qualifier], primary: index === 0, goal: target.goal, expected: target.expected, askedBy: [{ target, version }] });
      }
    });
  }
  return [...byKey.values()].map(({ askedBy: _, ...version }) => version);
}

function conflictOf(version: VersionTarget, a: { target: RequestedTarget; version: string }, b: { target: RequestedTarget; version: string }): { title: string; message: string } {
  const asked = ({ target, version: v }: { target: RequestedTarget; version: string }) =>
    `${target.source ?? 'the inputs'} asks for ${formatConfig(target.goal)} through ${target.qualifier === v ? `version ${v}` : `${target.qualifier} (version ${v})`}`;
  return {
    title: `Conflicting configs: ${version.fn.key}:${version.version}`,
    message: `${version.fn.key}:${version.version} is reached twice with different configs: ${asked(a)}, ${asked(b)}. Nothing was put on it. Give the version one config: fix one of the entries, or point the alias elsewhere.`,
  };
}

/** Identifies one version of one function: the same name in another account or region is another function. */
export function versionKey(fn: FunctionRef, version: string, region: string): string {
  return `${region}\u0000${functionId(fn)}\u0000${version}`;
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
