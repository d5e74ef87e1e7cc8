import { partition } from '@aws-sdk/core/client';
import { accountOf, versionConsoleUrl, versionLink, withConsoleLink } from '../../src/console-links.js';
import type { TargetProgress } from '../../src/scale-target.js';

// Regions of every partition, the newest of each included; the SDK's partition table says which is which.
const REGIONS = [
  'us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-2', 'ap-southeast-7', 'ap-east-2', 'sa-east-1', 'ca-west-1',
  'me-central-1', 'af-south-1', 'il-central-1', 'mx-central-1',
  'cn-north-1', 'cn-northwest-1',
  'us-gov-west-1', 'us-gov-east-1',
  'us-iso-east-1', 'us-iso-west-1', 'us-isob-east-1', 'us-isof-south-1', 'eu-isoe-west-1', 'eusc-de-east-1',
];
/** The console host of each partition that has a public one: per region in aws, bare in aws-cn and aws-us-gov. */
const CONSOLE_HOST: Record<string, ((region: string) => string) | undefined> = {
  aws: (region) => `${region}.console.aws.amazon.com`,
  'aws-cn': () => 'console.amazonaws.cn',
  'aws-us-gov': () => 'console.amazonaws-us-gov.com',
};

describe('versionConsoleUrl', () => {
  it('links a version in the standard partition, on its region’s console host', () => {
    expect(versionConsoleUrl('us-east-1', 'orders', '7')).toBe('https://us-east-1.console.aws.amazon.com/lambda/home?region=us-east-1#/functions/orders/versions/7?tab=configure');
    expect(versionConsoleUrl('eu-west-1', 'orders', '12')).toBe('https://eu-west-1.console.aws.amazon.com/lambda/home?region=eu-west-1#/functions/orders/versions/12?tab=configure');
  });

  it('uses the China and GovCloud console hosts', () => {
    expect(versionConsoleUrl('cn-northwest-1', 'orders', '7')).toBe('https://console.amazonaws.cn/lambda/home?region=cn-northwest-1#/functions/orders/versions/7?tab=configure');
    expect(versionConsoleUrl('us-gov-west-1', 'orders', '7')).toBe('https://console.amazonaws-us-gov.com/lambda/home?region=us-gov-west-1#/functions/orders/versions/7?tab=configure');
  });

  it.each(['us-iso-east-1', 'us-isob-east-1', 'us-isof-south-1', 'eu-isoe-west-1', 'eusc-de-east-1', 'narnia', ''])('gives no link in %p: no console host is known there', (region) => {
    expect(versionConsoleUrl(region, 'orders', '7')).toBeUndefined();
  });

  it.each(REGIONS)('agrees with the AWS SDK’s partition table for %s', (region) => {
    const host = CONSOLE_HOST[partition(region).name]?.(region);
    expect(versionConsoleUrl(region, 'f', '1')).toBe(host ? `https://${host}/lambda/home?region=${region}#/functions/f/versions/1?tab=configure` : undefined);
  });

  it('percent-encodes $LATEST.PUBLISHED, whose $ GitHub Markdown would take for math', () => {
    const url = versionConsoleUrl('us-east-1', 'orders', '$LATEST.PUBLISHED')!;
    expect(url).toMatch(/#\/functions\/orders\/versions\/%24LATEST\.PUBLISHED\?tab=configure$/);
    expect(url).not.toContain('$');
  });
});

describe('links in the report', () => {
  it('reads the account from an ARN, qualified or not', () => {
    expect(accountOf('arn:aws:lambda:us-east-1:123456789012:function:app:7')).toBe('123456789012');
    expect(accountOf('arn:aws-cn:lambda:cn-north-1:210987654321:function:app')).toBe('210987654321');
    expect(accountOf(undefined)).toBeUndefined();
  });

  it('makes a Markdown link with the account in its tooltip, or leaves the text bare', () => {
    expect(versionLink('7', 'https://x/7', '123456789012')).toBe('[7](https://x/7 "Lambda console, account 123456789012")');
    expect(versionLink('7', 'https://x/7', undefined)).toBe('[7](https://x/7)');
    expect(versionLink('7', undefined, '123456789012')).toBe('7');
  });

  const target = (extra: Partial<TargetProgress>): TargetProgress => ({
    target: { fn: { name: '111111111111:function:app', key: 'app', account: '111111111111' }, version: '7', region: 'us-east-1', via: ['7'], primary: true, goal: { min: 1, max: 1 } },
    label: 'app:7',
    states: [],
    ...extra,
  });
  const failure = { title: 'Version Failed: app:7', message: 'app:7 is Failed.' };

  it('adds the version’s console page to a failure annotation, naming the account', () => {
    expect(withConsoleLink(failure, target({ state: 'Failed' }), 'us-east-1')).toEqual({
      title: failure.title,
      message: 'app:7 is Failed.\nIn the Lambda console (account 111111111111): https://us-east-1.console.aws.amazon.com/lambda/home?region=us-east-1#/functions/app/versions/7?tab=configure',
    });
  });

  it('adds no link for a version no answer has shown to exist (it may not), nor where there is no console', () => {
    expect(withConsoleLink(failure, target({}), 'us-east-1')).toEqual(failure);
    expect(withConsoleLink(failure, target({ state: 'Failed' }), 'us-isob-east-1')).toEqual(failure);
  });
});
