/** Links from the run to a function version in the AWS Lambda console. */
import type { Annotation } from './errors.js';
import type { TargetProgress } from './scale-target.js';

// The console host of each partition that has a public one, keyed by the partition's region pattern
// (the patterns are those of the AWS SDK's partition table, which a unit test holds them to).
const CONSOLE_HOSTS: { regions: RegExp; host: (region: string) => string }[] = [
  { regions: /^(?:us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d+$/, host: (region) => `${region}.console.aws.amazon.com` },
  // The China and GovCloud consoles are sure to answer on their bare hosts; the region is in ?region=.
  { regions: /^cn-[a-z]+-\d+$/, host: () => 'console.amazonaws.cn' },
  { regions: /^us-gov-[a-z]+-\d+$/, host: () => 'console.amazonaws-us-gov.com' },
];

/**
 * The console page of one version, in its region; undefined where no public console host is known (the
 * ISO partitions, anything else): no link is better than one that leads nowhere. `$` is percent-encoded:
 * it is a math delimiter in GitHub Markdown.
 */
export function versionConsoleUrl(region: string, functionName: string, version: string): string | undefined {
  const host = CONSOLE_HOSTS.find((h) => h.regions.test(region))?.host(region);
  if (!host || !functionName || !version) return undefined;
  return `https://${host}/lambda/home?region=${region}#/functions/${encodeURIComponent(functionName)}/versions/${encodeURIComponent(version)}?tab=configure`;
}

/** The account of a Lambda ARN (arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]). */
export function accountOf(arn: string | undefined): string | undefined {
  return /^arn:[^:]+:lambda:[^:]*:(\d{12}):function:/.exec(arn ?? '')?.[1];
}

/**
 * A version's cell: a Markdown link to it in the console, with the account in its tooltip (the console
 * shows the account you are signed in to, which may not be the function's), or the bare text.
 */
export function versionLink(text: string, url: string | undefined, account: string | undefined): string {
  if (!url) return text;
  return `[${text}](${url}${account ? ` "Lambda console, account ${account}"` : ''})`;
}

/** A target's console page, once an answer of the API has shown that its version exists. */
export function targetConsoleUrl(p: TargetProgress, region: string): string | undefined {
  const found = p.functionArn !== undefined || p.state !== undefined || p.changed !== undefined;
  return found ? versionConsoleUrl(region, p.target.fn.key, p.target.version) : undefined;
}

/** The summary cell of a target's version: linked once the version is known to exist. */
export function targetVersionCell(p: TargetProgress, region: string): string {
  return versionLink(p.target.version || '—', targetConsoleUrl(p, region), accountOf(p.functionArn) ?? p.target.fn.account);
}

/** A failure annotation with the version's console page on a line of its own, when there is one. */
export function withConsoleLink(annotation: Annotation, p: TargetProgress, region: string): Annotation {
  const url = targetConsoleUrl(p, region);
  if (!url) return annotation;
  const account = accountOf(p.functionArn) ?? p.target.fn.account;
  return { ...annotation, message: `${annotation.message}\nIn the Lambda console${account ? ` (account ${account})` : ''}: ${url}` };
}
