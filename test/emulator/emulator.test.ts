// The emulator through the real AWS SDK (and once through the AWS CLI) over real HTTP, on a virtual clock.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  GetAliasCommand,
  GetCapacityProviderCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetFunctionScalingConfigCommand,
  LambdaClient,
  ListFunctionVersionsByCapacityProviderCommand,
  PutFunctionScalingConfigCommand,
} from '@aws-sdk/client-lambda';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ERRORS, FOREIGN_PAGES, ROUTES, SHAPES, startEmulator, type Emulator } from './server.js';
import { EXECUTION_ENVIRONMENTS_RANGE } from './wire.js';

const run = promisify(execFile);

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:demo-fn';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const START = 1_700_000_000_000;

let t: number;
let emu: Emulator;
let lambda: LambdaClient;

function client(options: { requestTimeout?: number } = {}): LambdaClient {
  return new LambdaClient({
    endpoint: emu.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAEMULATOR', secretAccessKey: 'emulator-secret' },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ requestTimeout: options.requestTimeout ?? 2000, throwOnRequestTimeout: true }),
  });
}

beforeEach(async () => {
  t = START;
  emu = await startEmulator({ now: () => t, timings: { publishMs: 3000, activateMs: 3000, deactivateMs: 2000, resizeMs: 2000 } });
  emu.addFunction({
    name: 'demo-fn',
    // 3/3: a config was put on them once (a fresh version's default has no maximum: see "the default config").
    versions: { '1': { applied: { min: 3, max: 3 } }, '2': { applied: { min: 3, max: 3 } }, '$LATEST.PUBLISHED': { applied: { min: 3, max: 3 } }, '3': { state: 'Deactivated' } },
    aliases: { live: { version: '2', weights: { '1': 0.1 } }, prod: { version: '2' } },
  });
  emu.addFunction({ name: 'plain-fn', capacityProvider: false, versions: { '1': {} } });
  lambda = client();
});

afterEach(async () => {
  lambda.destroy();
  await emu.close();
});

const put = (Qualifier: string, min: number, max: number, FunctionName = 'demo-fn') =>
  lambda.send(
    new PutFunctionScalingConfigCommand({
      FunctionName,
      Qualifier,
      FunctionScalingConfig: { MinExecutionEnvironments: min, MaxExecutionEnvironments: max },
    }),
  );
const getScaling = (Qualifier: string, FunctionName = 'demo-fn') => lambda.send(new GetFunctionScalingConfigCommand({ FunctionName, Qualifier }));
const getConfig = (Qualifier?: string, FunctionName = 'demo-fn') => lambda.send(new GetFunctionConfigurationCommand({ FunctionName, Qualifier }));
const scaling = (min: number, max: number) => ({ MinExecutionEnvironments: min, MaxExecutionEnvironments: max });
/** A version never given a config: min 3, no maximum. */
const DEFAULT = { MinExecutionEnvironments: 3 };

type AwsError = Error & { $metadata: { httpStatusCode?: number; requestId?: string }; [member: string]: unknown };

async function failure(call: Promise<unknown>): Promise<AwsError> {
  try {
    await call;
  } catch (error) {
    return error as AwsError;
  }
  throw new Error('expected the call to fail');
}

async function expectAwsError(call: Promise<unknown>, name: string, status: number, message?: string | RegExp): Promise<AwsError> {
  const error = await failure(call);
  expect(error.name).toBe(name);
  expect(error.$metadata.httpStatusCode).toBe(status);
  expect(error.$metadata.requestId).toMatch(UUID);
  if (message !== undefined) expect(error.message).toMatch(message);
  return error;
}

describe('successful operations', () => {
  test('GetFunctionScalingConfig returns the applied config and no requested one when settled', async () => {
    const out = await getScaling('1');
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.$metadata.requestId).toMatch(UUID);
    expect(out.FunctionArn).toBe(`${ARN}:1`);
    expect(out.AppliedFunctionScalingConfig).toEqual(scaling(3, 3));
    expect(out.RequestedFunctionScalingConfig).toBeUndefined();
  });

  test('PutFunctionScalingConfig answers 202 with the function state and is recorded', async () => {
    const out = await put('1', 2, 4);
    expect(out.$metadata.httpStatusCode).toBe(202);
    expect(out.FunctionState).toBe('Active');
    expect(emu.requests).toEqual([
      {
        at: START,
        operation: 'PutFunctionScalingConfig',
        method: 'PUT',
        path: '/2025-11-30/functions/demo-fn/function-scaling-config?Qualifier=1',
        functionName: 'demo-fn',
        qualifier: '1',
        status: 202,
        signed: true,
        region: 'us-east-1',
        body: { FunctionScalingConfig: scaling(2, 4) },
      },
    ]);
  });

  test('GetFunction on a version returns its qualified configuration and code location', async () => {
    const out = await lambda.send(new GetFunctionCommand({ FunctionName: 'demo-fn', Qualifier: '1' }));
    expect(out.Code).toEqual({ RepositoryType: 'S3', Location: expect.stringMatching(/^https:\/\//) });
    expect(out.Configuration).toMatchObject({
      FunctionName: 'demo-fn',
      FunctionArn: `${ARN}:1`,
      Version: '1',
      Runtime: expect.any(String),
      Role: expect.stringMatching(/^arn:aws:iam::123456789012:role\//),
      Handler: expect.any(String),
      MemorySize: expect.any(Number),
      Timeout: expect.any(Number),
      LastModified: new Date(START).toISOString().replace('Z', '+0000'),
      State: 'Active',
      LastUpdateStatus: 'Successful',
      CapacityProviderConfig: {
        LambdaManagedInstancesCapacityProviderConfig: { CapacityProviderArn: expect.stringMatching(/^arn:aws:lambda:us-east-1:123456789012:capacity-provider:/) },
      },
    });
    expect(out.Configuration?.StateReasonCode).toBeUndefined();
  });

  test('GetFunction without qualifier returns the unpublished $LATEST', async () => {
    const out = await lambda.send(new GetFunctionCommand({ FunctionName: 'demo-fn' }));
    expect(out.Configuration).toMatchObject({ FunctionArn: ARN, Version: '$LATEST', State: 'ActiveNonInvocable' });
  });

  test('GetFunctionConfiguration through an alias reports the alias ARN and its version', async () => {
    const out = await getConfig('live');
    expect(out).toMatchObject({ FunctionArn: `${ARN}:live`, Version: '2', State: 'Active' });
  });

  test('a function without capacity provider has no CapacityProviderConfig', async () => {
    const out = await getConfig('1', 'plain-fn');
    expect(out.State).toBe('Active');
    expect(out.CapacityProviderConfig).toBeUndefined();
  });

  test('GetAlias returns the alias with and without routing config', async () => {
    const live = await lambda.send(new GetAliasCommand({ FunctionName: 'demo-fn', Name: 'live' }));
    expect(live).toMatchObject({
      AliasArn: `${ARN}:live`,
      Name: 'live',
      FunctionVersion: '2',
      Description: '',
      RevisionId: expect.stringMatching(UUID),
      RoutingConfig: { AdditionalVersionWeights: { '1': 0.1 } },
    });
    const prod = await lambda.send(new GetAliasCommand({ FunctionName: ARN, Name: 'prod' }));
    expect(prod).toMatchObject({ AliasArn: `${ARN}:prod`, FunctionVersion: '2' });
    expect(prod.RoutingConfig).toBeUndefined();
  });

  test('function names may be full or partial ARNs and $LATEST.PUBLISHED is a scalable qualifier', async () => {
    await put('$LATEST.PUBLISHED', 4, 8, ARN);
    const out = await getScaling('$LATEST.PUBLISHED', '123456789012:function:demo-fn');
    expect(out.FunctionArn).toBe(`${ARN}:$LATEST.PUBLISHED`);
    expect(out.RequestedFunctionScalingConfig).toEqual(scaling(4, 8));
    expect(emu.requests[0].path).toBe(
      '/2025-11-30/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Ademo-fn/function-scaling-config?Qualifier=%24LATEST.PUBLISHED',
    );
    expect(emu.requests.map((r) => [r.functionName, r.qualifier])).toEqual([
      [ARN, '$LATEST.PUBLISHED'],
      ['123456789012:function:demo-fn', '$LATEST.PUBLISHED'],
    ]);
    const config = await getConfig('$LATEST.PUBLISHED');
    expect(config).toMatchObject({ Version: '$LATEST.PUBLISHED', FunctionArn: `${ARN}:$LATEST.PUBLISHED` });
  });

  test('GetFunction takes the qualifier from the function name too', async () => {
    const out = await lambda.send(new GetFunctionCommand({ FunctionName: `${ARN}:prod` }));
    expect(out.Configuration).toMatchObject({ FunctionArn: `${ARN}:prod`, Version: '2' });
    await expectAwsError(
      lambda.send(new GetFunctionCommand({ FunctionName: 'demo-fn:prod', Qualifier: '1' })),
      'InvalidParameterValueException',
      400,
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  });
});

describe('the default config and no maximum', () => {
  test('a version never given a config answers min 3 and no maximum', async () => {
    emu.addFunction({ name: 'fresh', versions: { '1': {} } });
    const out = await getScaling('1', 'fresh');
    expect(out.AppliedFunctionScalingConfig).toEqual({ MinExecutionEnvironments: 3 });
    expect(emu.inspect('fresh', '1').applied).toEqual({ min: 3, max: null });
  });

  test('a put without MaxExecutionEnvironments asks for no maximum, and one without Min for the default min', async () => {
    const noMax = await lambda.send(new PutFunctionScalingConfigCommand({ FunctionName: 'demo-fn', Qualifier: '1', FunctionScalingConfig: { MinExecutionEnvironments: 2 } }));
    expect(noMax.$metadata.httpStatusCode).toBe(202);
    expect((await getScaling('1')).RequestedFunctionScalingConfig).toEqual({ MinExecutionEnvironments: 2 });
    t += 2000;
    const settled = await getScaling('1');
    expect(settled.AppliedFunctionScalingConfig).toEqual({ MinExecutionEnvironments: 2 });
    expect(settled.RequestedFunctionScalingConfig).toBeUndefined();
    await lambda.send(new PutFunctionScalingConfigCommand({ FunctionName: 'demo-fn', Qualifier: '2', FunctionScalingConfig: { MaxExecutionEnvironments: 8 } }));
    t += 2000;
    expect((await getScaling('2')).AppliedFunctionScalingConfig).toEqual(scaling(3, 8));
    const zero = await failure(lambda.send(new PutFunctionScalingConfigCommand({ FunctionName: 'demo-fn', Qualifier: '1', FunctionScalingConfig: { MinExecutionEnvironments: 0 } })));
    expect([zero.name, zero.message]).toEqual(['InvalidParameterValueException', 'MinExecutionEnvironments can be 0 only when MaxExecutionEnvironments is also 0.']);
  });

  test('noAppliedWhileSettling answers without AppliedFunctionScalingConfig while a change settles', async () => {
    emu.addFunction({ name: 'settling', versions: { '1': { applied: { min: 1, max: 2 }, noAppliedWhileSettling: true } } });
    await put('1', 2, 4, 'settling');
    const during = await getScaling('1', 'settling');
    expect(during.AppliedFunctionScalingConfig).toBeUndefined();
    expect(during.RequestedFunctionScalingConfig).toEqual(scaling(2, 4));
    t += 2000;
    expect((await getScaling('1', 'settling')).AppliedFunctionScalingConfig).toEqual(scaling(2, 4));
  });
});

describe('regions', () => {
  test('a request reaches the account of the region it is signed for, with quotas of its own', async () => {
    emu.addFunction({ name: 'eu-only', versions: { '1': { applied: { min: 5, max: 5 } } } }, 'eu-west-1');
    const eu = new LambdaClient({ endpoint: emu.url, region: 'eu-west-1', credentials: { accessKeyId: 'AKIAEMULATOR', secretAccessKey: 'emulator-secret' }, maxAttempts: 1 });
    try {
      const out = await eu.send(new GetFunctionScalingConfigCommand({ FunctionName: 'eu-only', Qualifier: '1' }));
      expect(out.FunctionArn).toBe('arn:aws:lambda:eu-west-1:123456789012:function:eu-only:1');
      expect(out.AppliedFunctionScalingConfig).toEqual(scaling(5, 5));
      await expectAwsError(getScaling('1', 'eu-only'), 'ResourceNotFoundException', 404);
      await expectAwsError(eu.send(new GetFunctionScalingConfigCommand({ FunctionName: 'demo-fn', Qualifier: '1' })), 'ResourceNotFoundException', 404);
      expect(emu.requests.map((r) => r.region)).toEqual(['eu-west-1', 'us-east-1', 'eu-west-1']);
      emu.setQuota({ controlPlanePerSecond: 1 });
      await getScaling('1');
      await eu.send(new GetFunctionScalingConfigCommand({ FunctionName: 'eu-only', Qualifier: '1' }));
      await expectAwsError(getScaling('1'), 'TooManyRequestsException', 429);
    } finally {
      eu.destroy();
    }
  });
});

describe('state over time', () => {
  test('a resize keeps the version Active and applies the new config after resizeMs', async () => {
    expect((await put('1', 5, 10)).FunctionState).toBe('Active');
    t += 1999;
    expect(await getScaling('1')).toMatchObject({ AppliedFunctionScalingConfig: scaling(3, 3), RequestedFunctionScalingConfig: scaling(5, 10) });
    expect((await getConfig('1')).State).toBe('Active');
    t += 1;
    const settled = await getScaling('1');
    expect(settled.AppliedFunctionScalingConfig).toEqual(scaling(5, 10));
    expect(settled.RequestedFunctionScalingConfig).toBeUndefined();
    expect(emu.inspect('demo-fn', '1')).toEqual({ state: 'Active', applied: { min: 5, max: 10 }, requested: undefined, settledAt: START + 2000 });
  });

  test('0/0 deactivates the version through Deactivating', async () => {
    expect((await put('1', 0, 0)).FunctionState).toBe('Deactivating');
    expect(await getConfig('1')).toMatchObject({ State: 'Deactivating', LastUpdateStatus: 'Successful' });
    expect((await getScaling('1')).RequestedFunctionScalingConfig).toEqual(scaling(0, 0));
    t += 2000;
    expect(await getConfig('1')).toMatchObject({ State: 'Deactivated', StateReasonCode: 'Idle' });
    expect(await getScaling('1')).toMatchObject({ AppliedFunctionScalingConfig: scaling(0, 0) });
    expect((await getScaling('1')).RequestedFunctionScalingConfig).toBeUndefined();
  });

  test('a non-zero config reactivates a Deactivated version through Pending', async () => {
    expect(await getScaling('3')).toMatchObject({ AppliedFunctionScalingConfig: scaling(0, 0) });
    expect((await put('3', 2, 4)).FunctionState).toBe('Pending');
    t += 2999;
    expect(await getConfig('3')).toMatchObject({ State: 'Pending', StateReasonCode: 'Creating' });
    expect(await getScaling('3')).toMatchObject({ AppliedFunctionScalingConfig: scaling(0, 0), RequestedFunctionScalingConfig: scaling(2, 4) });
    t += 1;
    expect((await getConfig('3')).State).toBe('Active');
    expect(emu.inspect('demo-fn', '3')).toMatchObject({ state: 'Active', applied: { min: 2, max: 4 }, settledAt: START + 3000 });
  });

  test('asking for the applied config changes nothing', async () => {
    t += 500;
    expect((await put('1', 3, 3)).FunctionState).toBe('Active');
    expect((await put('3', 0, 0)).FunctionState).toBe('Deactivated');
    expect((await getScaling('1')).RequestedFunctionScalingConfig).toBeUndefined();
    expect(emu.inspect('demo-fn', '1').settledAt).toBe(START);
  });

  test('a put during a change replaces it; asking for the applied config again cancels it', async () => {
    await put('1', 5, 5);
    t += 1000;
    await put('1', 6, 6);
    t += 1500;
    expect(await getScaling('1')).toMatchObject({ AppliedFunctionScalingConfig: scaling(3, 3), RequestedFunctionScalingConfig: scaling(6, 6) });
    expect((await put('1', 3, 3)).FunctionState).toBe('Active');
    expect((await getScaling('1')).RequestedFunctionScalingConfig).toBeUndefined();
    expect(emu.inspect('demo-fn', '1').settledAt).toBe(START + 2500);
  });

  test('a just-published version is Pending/InProgress and refuses puts with 409 until it settles', async () => {
    emu.addFunction({ name: 'demo-fn', versions: { '4': { lastUpdateInProgressMs: 5000 }, '5': { state: 'Pending' } } });
    expect(await getConfig('4')).toMatchObject({
      State: 'Pending',
      StateReasonCode: 'Creating',
      StateReason: 'The function is being created.',
      LastUpdateStatus: 'InProgress',
      // Not in the model's LastUpdateStatusReasonCode enum, yet recorded from AWS.
      LastUpdateStatusReasonCode: 'Creating',
      LastUpdateStatusReason: 'The function is being created.',
    });
    await expectAwsError(
      put('4', 2, 2),
      'ResourceConflictException',
      409,
      `The operation cannot be performed at this time. An update is in progress for resource: ${ARN}:4`,
    );
    t += 3000;
    expect((await getConfig('5')).State).toBe('Active'); // timings.publishMs
    expect((await getConfig('4')).LastUpdateStatus).toBe('InProgress');
    t += 2000;
    expect(await getConfig('4')).toMatchObject({ State: 'Active', LastUpdateStatus: 'Successful' });
    expect((await put('4', 2, 2)).FunctionState).toBe('Active');
    expect(emu.requests.map((r) => r.status)).toEqual([200, 409, 200, 200, 200, 202]);
  });

  test('failOnActivate ends the next resize in Failed, keeping Applied and Requested; a later put recovers', async () => {
    const failOnActivate = { code: 'InsufficientCapacity', reason: 'Not enough capacity to start execution environments.' };
    emu.addFunction({ name: 'demo-fn', versions: { '6': { failOnActivate, timings: { resizeMs: 10_000 } } } });
    await put('6', 5, 5);
    t += 9999;
    expect((await getConfig('6')).State).toBe('Active');
    t += 1;
    expect(await getConfig('6')).toMatchObject({ State: 'Failed', StateReasonCode: 'InsufficientCapacity', StateReason: failOnActivate.reason });
    expect(await getScaling('6')).toMatchObject({ AppliedFunctionScalingConfig: DEFAULT, RequestedFunctionScalingConfig: scaling(5, 5) });
    expect((await put('6', 5, 5)).FunctionState).toBe('Pending');
    t += 3000;
    expect(emu.inspect('demo-fn', '6')).toEqual({ state: 'Active', applied: { min: 5, max: 5 }, requested: undefined, settledAt: t });
  });

  test('a publish that fails reports Failed in both State and LastUpdateStatus', async () => {
    const failOnActivate = { code: 'VcpuLimitExceeded', reason: 'vCPU limit exceeded.' };
    emu.addFunction({ name: 'demo-fn', versions: { '7': { lastUpdateInProgressMs: 1000, failOnActivate } } });
    t += 1000;
    expect(await getConfig('7')).toMatchObject({
      State: 'Failed',
      StateReasonCode: 'VcpuLimitExceeded',
      LastUpdateStatus: 'Failed',
      LastUpdateStatusReasonCode: 'VcpuLimitExceeded',
    });
  });
});

describe('after a deploy', () => {
  test('a republish keeps the version Active with LastUpdateStatus InProgress, refuses puts with 409, then ends Successful', async () => {
    t += 500;
    emu.republish('demo-fn', '$LATEST.PUBLISHED', { durationMs: 4000 });
    expect(await getConfig('$LATEST.PUBLISHED')).toMatchObject({
      State: 'Active',
      LastUpdateStatus: 'InProgress',
      LastUpdateStatusReasonCode: 'Updating',
      LastUpdateStatusReason: 'The function is being updated.',
    });
    await expectAwsError(
      put('$LATEST.PUBLISHED', 2, 2),
      'ResourceConflictException',
      409,
      `The operation cannot be performed at this time. An update is in progress for resource: ${ARN}:$LATEST.PUBLISHED`,
    );
    expect(await getScaling('$LATEST.PUBLISHED')).toMatchObject({ AppliedFunctionScalingConfig: scaling(3, 3) });
    t += 3999;
    expect((await getConfig('$LATEST.PUBLISHED')).LastUpdateStatus).toBe('InProgress');
    t += 1;
    expect(await getConfig('$LATEST.PUBLISHED')).toMatchObject({ State: 'Active', LastUpdateStatus: 'Successful' });
    expect(emu.inspect('demo-fn', '$LATEST.PUBLISHED').settledAt).toBe(START + 4500);
    expect((await put('$LATEST.PUBLISHED', 2, 2)).FunctionState).toBe('Active');
  });

  test('a republish can be scripted per version at creation, and through an alias', async () => {
    emu.addFunction({ name: 'demo-fn', versions: { '8': { republish: { durationMs: 2000 } } } });
    expect(await getConfig('8')).toMatchObject({ State: 'Active', LastUpdateStatus: 'InProgress' });
    expect((await getConfig('1')).LastUpdateStatus).toBe('Successful');
    emu.republish('demo-fn', 'prod', { durationMs: 1000 });
    expect((await getConfig('2')).LastUpdateStatus).toBe('InProgress');
    t += 2000;
    expect((await getConfig('8')).LastUpdateStatus).toBe('Successful');
    expect((await getConfig('2')).LastUpdateStatus).toBe('Successful');
  });

  test('a failed republish leaves State Active with LastUpdateStatus Failed and its reason; puts are accepted again', async () => {
    const fail = { code: 'FunctionError.InitTimeout', reason: 'Function initialization timed out.' };
    emu.republish('demo-fn', '1', { durationMs: 1000, fail });
    t += 1000;
    const config = await getConfig('1');
    expect(config).toMatchObject({ State: 'Active', LastUpdateStatus: 'Failed', LastUpdateStatusReasonCode: fail.code, LastUpdateStatusReason: fail.reason });
    expect(config.StateReasonCode).toBeUndefined();
    expect(emu.inspect('demo-fn', '1').settledAt).toBe(START);
    expect((await put('1', 4, 4)).FunctionState).toBe('Active');
    t += 2000;
    expect((await getConfig('1')).LastUpdateStatus).toBe('Failed');
    emu.republish('demo-fn', '1', { durationMs: 500 });
    t += 500;
    expect((await getConfig('1')).LastUpdateStatus).toBe('Successful');
  });

  test('a republish cannot start while a scaling change is in flight', async () => {
    await put('1', 5, 5);
    expect(() => emu.republish('demo-fn', '1', { durationMs: 1000 })).toThrow(/during a resize/);
  });

  test('GetFunctionScalingConfig can be made to answer an unqualified FunctionArn', async () => {
    emu.addFunction({ name: 'demo-fn', versions: { '8': { unqualifiedScalingArn: true } } });
    expect((await getScaling('8')).FunctionArn).toBe(ARN);
    expect((await getScaling('1')).FunctionArn).toBe(`${ARN}:1`);
    expect((await getConfig('8')).FunctionArn).toBe(`${ARN}:8`);
  });

  test('GetFunctionScalingConfig can be made to keep RequestedFunctionScalingConfig, equal to the applied one, once settled', async () => {
    emu.addFunction({ name: 'demo-fn', versions: { '8': { keepsRequested: true } } });
    expect(await getScaling('8')).toMatchObject({ AppliedFunctionScalingConfig: DEFAULT, RequestedFunctionScalingConfig: DEFAULT });
    await put('8', 5, 6);
    expect(await getScaling('8')).toMatchObject({ AppliedFunctionScalingConfig: DEFAULT, RequestedFunctionScalingConfig: scaling(5, 6) });
    t += 2000;
    expect(await getScaling('8')).toMatchObject({ AppliedFunctionScalingConfig: scaling(5, 6), RequestedFunctionScalingConfig: scaling(5, 6) });
    expect((await getScaling('1')).RequestedFunctionScalingConfig).toBeUndefined();
  });

  test('GetFunctionScalingConfig can be made to answer without FunctionArn, and GetFunction without LastUpdateStatus', async () => {
    emu.addFunction({ name: 'demo-fn', versions: { '8': { noScalingArn: true, noLastUpdateStatus: true } } });
    expect((await getScaling('8')).AppliedFunctionScalingConfig).toEqual(DEFAULT);
    expect((await getScaling('8')).FunctionArn).toBeUndefined();
    expect(await getConfig('8')).toMatchObject({ FunctionArn: `${ARN}:8`, State: 'Active' });
    expect(await getConfig('8')).not.toHaveProperty('LastUpdateStatus');
    expect((await getConfig('1')).LastUpdateStatus).toBe('Successful');
  });

  test('GetFunction and the put can be made to report the state from before a put for a while', async () => {
    emu.addFunction({ name: 'demo-fn', versions: { '8': { state: 'Failed', staleStateAfterPutMs: 1500, timings: { activateMs: 3000 } } } });
    expect((await put('8', 2, 5)).FunctionState).toBe('Failed');
    expect(await getConfig('8')).toMatchObject({ State: 'Failed', StateReasonCode: 'InternalError' });
    expect((await getScaling('8')).RequestedFunctionScalingConfig).toEqual(scaling(2, 5));
    t += 1500;
    expect(await getConfig('8')).toMatchObject({ State: 'Pending', StateReasonCode: 'Creating' });
    t += 1500;
    expect((await getConfig('8')).State).toBe('Active');
    expect((await put('1', 5, 5)).FunctionState).toBe('Active');
  });
});

describe('capacity providers', () => {
  const CP_ARN = 'arn:aws:lambda:us-east-1:123456789012:capacity-provider:shared-cp';
  const getProvider = (CapacityProviderName: string) => lambda.send(new GetCapacityProviderCommand({ CapacityProviderName }));
  const list = (CapacityProviderName: string, page: { Marker?: string; MaxItems?: number } = {}) =>
    lambda.send(new ListFunctionVersionsByCapacityProviderCommand({ CapacityProviderName, ...page }));
  const putNoMax = (FunctionName: string, Qualifier: string, min: number) =>
    lambda.send(new PutFunctionScalingConfigCommand({ FunctionName, Qualifier, FunctionScalingConfig: { MinExecutionEnvironments: min } }));

  beforeEach(() => {
    emu.addCapacityProvider({ name: 'shared-cp', maxVCpuCount: 48 });
    emu.addFunction({ name: 'big', capacityProvider: 'shared-cp', memorySize: 4096, versions: { '1': { applied: { min: 10, max: null } }, '2': { memoryGiBPerVCpu: 4, applied: { min: 4, max: null } } } });
  });

  test('GetCapacityProvider answers the provider by name or ARN, with its MaxVCpuCount', async () => {
    const byName = await getProvider('shared-cp');
    expect(byName.$metadata.httpStatusCode).toBe(200);
    expect(byName.CapacityProvider).toMatchObject({
      CapacityProviderArn: CP_ARN,
      State: 'Active',
      VpcConfig: { SubnetIds: [expect.stringMatching(/^subnet-/)], SecurityGroupIds: [expect.stringMatching(/^sg-/)] },
      PermissionsConfig: { CapacityProviderOperatorRoleArn: expect.stringMatching(/^arn:aws:iam::123456789012:role\//) },
      CapacityProviderScalingConfig: { MaxVCpuCount: 48, ScalingMode: 'Auto' },
      LastModified: new Date(START).toISOString().replace('Z', '+0000'),
    });
    expect((await getProvider(CP_ARN)).CapacityProvider?.CapacityProviderArn).toBe(CP_ARN);
    // A function on no named provider has one of its own, at the service's default limit.
    expect((await getProvider('demo-fn-capacity-provider')).CapacityProvider?.CapacityProviderScalingConfig?.MaxVCpuCount).toBe(400);
    expect(emu.requests.map((r) => [r.operation, r.capacityProvider, r.path])).toEqual([
      ['GetCapacityProvider', 'shared-cp', '/2025-11-30/capacity-providers/shared-cp'],
      ['GetCapacityProvider', CP_ARN, `/2025-11-30/capacity-providers/${encodeURIComponent(CP_ARN)}`],
      ['GetCapacityProvider', 'demo-fn-capacity-provider', '/2025-11-30/capacity-providers/demo-fn-capacity-provider'],
    ]);
  });

  test('an unknown or foreign provider is ResourceNotFoundException; a malformed name a ValidationException', async () => {
    await expectAwsError(getProvider('nope'), 'ResourceNotFoundException', 404, 'Capacity provider not found: arn:aws:lambda:us-east-1:123456789012:capacity-provider:nope');
    await expectAwsError(getProvider(CP_ARN.replace('us-east-1', 'eu-west-1')), 'ResourceNotFoundException', 404);
    await expectAwsError(list('nope'), 'ResourceNotFoundException', 404);
    await expectAwsError(getProvider('bad.name'), 'ValidationException', 400, "Value 'bad.name' at 'capacityProviderName' failed to satisfy constraint: Member must satisfy regular expression pattern");
  });

  test('GetFunction gives each version its memory size and ratio, and its provider', async () => {
    const one = (await lambda.send(new GetFunctionCommand({ FunctionName: 'big', Qualifier: '1' }))).Configuration;
    expect(one?.MemorySize).toBe(4096);
    expect(one?.CapacityProviderConfig).toEqual({ LambdaManagedInstancesCapacityProviderConfig: { CapacityProviderArn: CP_ARN } });
    const two = (await getConfig('2', 'big')).CapacityProviderConfig;
    expect(two).toEqual({ LambdaManagedInstancesCapacityProviderConfig: { CapacityProviderArn: CP_ARN, ExecutionEnvironmentMemoryGiBPerVCpu: 4 } });
    expect((await getConfig('1')).MemorySize).toBe(2048);
  });

  test('ListFunctionVersionsByCapacityProvider pages with Marker and MaxItems, published versions only', async () => {
    emu.addFunction({ name: 'other', capacityProvider: 'shared-cp', versions: { '3': { state: 'Deactivated' }, '$LATEST.PUBLISHED': {} } });
    const first = await list('shared-cp', { MaxItems: 3 });
    expect(first.CapacityProviderArn).toBe(CP_ARN);
    expect(first.FunctionVersions).toEqual([
      { FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:big:1', State: 'Active' },
      { FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:big:2', State: 'Active' },
      { FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:other:3', State: 'Deactivated' },
    ]);
    expect(first.NextMarker).toEqual(expect.any(String));
    const second = await list(CP_ARN, { Marker: first.NextMarker, MaxItems: 3 });
    expect(second.FunctionVersions).toEqual([{ FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:other:$LATEST.PUBLISHED', State: 'Active' }]);
    expect(second.NextMarker).toBeUndefined();
    expect((await list('shared-cp')).FunctionVersions).toHaveLength(4);
    expect(emu.requests[0].path).toBe('/2025-11-30/capacity-providers/shared-cp/function-versions?MaxItems=3');
    await expectAwsError(list('shared-cp', { MaxItems: 51 }), 'ValidationException', 400, "Value '51' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 50");
    await expectAwsError(list('shared-cp', { MaxItems: 0 }), 'ValidationException', 400, 'Member must have value greater than or equal to 1');
    await expectAwsError(list('shared-cp', { Marker: 'garbage' }), 'InvalidParameterValueException', 400);
  });

  test('a resize whose environments do not fit in MaxVCpuCount fails with CapacityProviderScalingLimitExceeded', async () => {
    // big:1 holds 10 × 2 vCPU and big:2 4 × 1: 24 of 48. 13 more environments of 2 vCPU do not fit; 12 do.
    await putNoMax('big', '1', 23);
    t += 2000;
    expect(await getConfig('1', 'big')).toMatchObject({ State: 'Failed', StateReasonCode: 'CapacityProviderScalingLimitExceeded', LastUpdateStatus: 'Successful' });
    expect(await getScaling('1', 'big')).toMatchObject({ AppliedFunctionScalingConfig: { MinExecutionEnvironments: 10 }, RequestedFunctionScalingConfig: { MinExecutionEnvironments: 23 } });
    // Failed, it holds nothing: big:2 may now grow to 48 environments of 1 vCPU.
    await putNoMax('big', '2', 48);
    t += 2000;
    expect(emu.inspect('big', '2')).toMatchObject({ state: 'Active', applied: { min: 48, max: null } });
  });

  test('changes are judged in the order they end: the first to end fits, the second does not', async () => {
    const deactivated = (activateMs: number) => ({ state: 'Deactivated' as const, timings: { activateMs } });
    emu.addFunction({ name: 'big', capacityProvider: 'shared-cp', memorySize: 4096, versions: { '3': deactivated(5000), '5': deactivated(1000) } });
    // 24 of 48 vCPU held: big:3 asks for 24 more and ends last, big:5 for 2 and ends first.
    await putNoMax('big', '3', 12);
    await putNoMax('big', '5', 1);
    t += 5000;
    expect(emu.inspect('big', '5')).toMatchObject({ state: 'Active', applied: { min: 1, max: null } });
    expect(await getConfig('3', 'big')).toMatchObject({ State: 'Failed', StateReasonCode: 'CapacityProviderScalingLimitExceeded' });
  });

  test('a publish that does not fit fails the version and its last update; a republish that does not fit fails only its last update', async () => {
    emu.addFunction({ name: 'big', capacityProvider: 'shared-cp', memorySize: 4096, versions: { '4': { lastUpdateInProgressMs: 1000, applied: { min: 13, max: null } } } });
    t += 1000;
    expect(await getConfig('4', 'big')).toMatchObject({ State: 'Failed', LastUpdateStatus: 'Failed', LastUpdateStatusReasonCode: 'CapacityProviderScalingLimitExceeded' });
    // big:2 at 4 × 1 vCPU republished with 4× the memory: 4 × 4 vCPU, 36 of 48 with big:1's 20.
    emu.republish('big', '2', { durationMs: 1000, memorySize: 16_384 });
    t += 1000;
    expect((await getConfig('2', 'big')).MemorySize).toBe(16_384);
    emu.republish('big', '2', { durationMs: 1000, memorySize: 32_768 }); // 4 × 8 vCPU: 52 of 48
    // The new config is reported from the update's start, as UpdateFunctionConfiguration's is.
    expect(await getConfig('2', 'big')).toMatchObject({ LastUpdateStatus: 'InProgress', MemorySize: 32_768 });
    t += 1000;
    const config = await getConfig('2', 'big');
    expect(config).toMatchObject({ State: 'Active', LastUpdateStatus: 'Failed', LastUpdateStatusReasonCode: 'CapacityProviderScalingLimitExceeded', MemorySize: 32_768 });
    // The old code serves on and holds what it held, 16 vCPU: big:1 may grow to 16 environments of 2 vCPU.
    await putNoMax('big', '1', 16);
    t += 2000;
    expect(emu.inspect('big', '1')).toMatchObject({ state: 'Active', applied: { min: 16, max: null } });
  });

  test('raising MaxVCpuCount lets the next put fit', async () => {
    await putNoMax('big', '1', 30);
    t += 2000;
    expect((await getConfig('1', 'big')).State).toBe('Failed');
    emu.addCapacityProvider({ name: 'shared-cp', maxVCpuCount: 64 });
    await putNoMax('big', '1', 30);
    t += 3000;
    expect(emu.inspect('big', '1')).toMatchObject({ state: 'Active', applied: { min: 30, max: null } });
    expect((await getProvider('shared-cp')).CapacityProvider?.CapacityProviderScalingConfig?.MaxVCpuCount).toBe(64);
  });
});

describe('errors', () => {
  test.each([
    ['an alias', 'live'],
    ['$LATEST', '$LATEST'],
  ])('the scaling operations refuse %s as qualifier with a 400 ValidationException', async (_, qualifier) => {
    const pattern = /Value '.*' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern/;
    await expectAwsError(put(qualifier, 1, 1), 'ValidationException', 400, pattern);
    await expectAwsError(getScaling(qualifier), 'ValidationException', 400, pattern);
  });

  test.each([
    [5, 4, 'InvalidParameterValueException', 'MinExecutionEnvironments must be less than or equal to MaxExecutionEnvironments.'],
    [0, 4, 'InvalidParameterValueException', 'MinExecutionEnvironments can be 0 only when MaxExecutionEnvironments is also 0.'],
    [1, 15001, 'ValidationException', "Value '15001' at 'functionScalingConfig.maxExecutionEnvironments' failed to satisfy constraint: Member must have value less than or equal to 15000"],
    [-1, 3, 'ValidationException', "Value '-1' at 'functionScalingConfig.minExecutionEnvironments' failed to satisfy constraint"],
    [1.5, 3, 'ValidationException', "Value '1.5' at 'functionScalingConfig.minExecutionEnvironments' failed to satisfy constraint: Member must be an integer"],
  ])('min %p max %p is refused with %s', async (min, max, name, message) => {
    const error = await expectAwsError(put('1', min, max), name, 400);
    expect(error.message).toContain(message);
    expect(error.Type).toBe('User');
  });

  test('unknown functions, versions and aliases and foreign ARNs are ResourceNotFoundException', async () => {
    await expectAwsError(getScaling('9'), 'ResourceNotFoundException', 404, `Function not found: ${ARN}:9`);
    await expectAwsError(put('1', 1, 1, 'nope'), 'ResourceNotFoundException', 404, 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope:1');
    await expectAwsError(getConfig('beta'), 'ResourceNotFoundException', 404, `Function not found: ${ARN}:beta`);
    await expectAwsError(lambda.send(new GetAliasCommand({ FunctionName: 'demo-fn', Name: 'beta' })), 'ResourceNotFoundException', 404, `Alias not found: ${ARN}:beta`);
    await expectAwsError(getConfig('1', 'arn:aws:lambda:eu-west-1:123456789012:function:demo-fn'), 'ResourceNotFoundException', 404);
    await expectAwsError(getScaling('1', '210987654321:function:demo-fn'), 'ResourceNotFoundException', 404);
  });

  test('scaling a function without capacity provider is AccessDeniedException', async () => {
    const message = 'The function provided by the arn does not contain a capacity provider configuration';
    await expectAwsError(put('1', 1, 1, 'plain-fn'), 'AccessDeniedException', 403, message);
    await expectAwsError(getScaling('1', 'plain-fn'), 'AccessDeniedException', 403, message);
  });

  test('answers go on the wire like the real service: fresh request id, errortype header, model-cased message', async () => {
    const ok = await fetch(`${emu.url}/2015-03-31/functions/demo-fn/configuration?Qualifier=1`);
    const again = await fetch(`${emu.url}/2015-03-31/functions/demo-fn/configuration?Qualifier=1`);
    expect(ok.headers.get('content-type')).toBe('application/json');
    expect(ok.headers.get('x-amzn-requestid')).toMatch(UUID);
    expect(again.headers.get('x-amzn-requestid')).not.toBe(ok.headers.get('x-amzn-requestid'));

    const notFound = await fetch(`${emu.url}/2015-03-31/functions/nope`);
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get('content-type')).toBe('application/json');
    expect(notFound.headers.get('x-amzn-requestid')).toMatch(UUID);
    expect(notFound.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.lambda/');
    expect(await notFound.json()).toEqual({ Type: 'User', Message: `Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope` });

    const noQualifier = await fetch(`${emu.url}/2025-11-30/functions/demo-fn/function-scaling-config`);
    expect(noQualifier.status).toBe(400);
    expect(await noQualifier.json()).toEqual({
      Type: 'User',
      message: "1 validation error detected: Value null at 'qualifier' failed to satisfy constraint: Member must not be null",
    });

    const malformed = await fetch(`${emu.url}/2025-11-30/functions/demo-fn/function-scaling-config?Qualifier=1`, { method: 'PUT', body: '{"FunctionScalingConfig":' });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('x-amzn-errortype')).toMatch(/^InvalidParameterValueException:/);

    const unknown = await fetch(`${emu.url}/2015-03-31/functions/demo-fn/policy`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('x-amzn-errortype')).toMatch(/^UnknownOperationException:/);
    expect(emu.requests.map((r) => [r.operation, r.status, r.signed])).toEqual([
      ['GetFunctionConfiguration', 200, false],
      ['GetFunctionConfiguration', 200, false],
      ['GetFunction', 404, false],
      ['GetFunctionScalingConfig', 400, false],
      ['PutFunctionScalingConfig', 400, false],
      ['Unknown', 404, false],
    ]);
    expect(emu.requests[4].body).toBe('{"FunctionScalingConfig":');
  });
});

describe('faults', () => {
  test('a throttle carries Retry-After and Reason', async () => {
    emu.fault({ kind: 'error', status: 429, retryAfterSeconds: 3 });
    const error = await expectAwsError(getScaling('1'), 'TooManyRequestsException', 429, 'Rate exceeded');
    expect(error.retryAfterSeconds).toBe('3');
    expect(error.Reason).toBe('CallerRateLimitExceeded');
    expect((await getScaling('1')).$metadata.httpStatusCode).toBe(200);
  });

  test('faults are consumed FIFO by matching operations, `times` times', async () => {
    emu.fault({ operation: 'PutFunctionScalingConfig', kind: 'error', status: 500, times: 2 });
    emu.fault({ kind: 'error', status: 409, message: 'busy' });
    await expectAwsError(getScaling('1'), 'ResourceConflictException', 409, 'busy');
    await expectAwsError(put('1', 1, 1), 'ServiceException', 500, 'An internal error occurred.');
    await expectAwsError(put('1', 1, 1), 'ServiceException', 500);
    expect((await put('1', 1, 1)).FunctionState).toBe('Active');
    emu.fault({ kind: 'error', status: 500 });
    emu.clearFaults();
    expect((await getScaling('1')).$metadata.httpStatusCode).toBe(200);
  });

  test('a fault with `after` lets that many matching requests through first, then applies', async () => {
    emu.fault({ operation: 'GetFunctionScalingConfig', kind: 'error', status: 429, retryAfterSeconds: 1, after: 2 });
    expect((await put('1', 1, 1)).FunctionState).toBe('Active');
    for (let i = 0; i < 2; i++) expect((await getScaling('1')).$metadata.httpStatusCode).toBe(200);
    await expectAwsError(getScaling('1'), 'TooManyRequestsException', 429);
    expect((await getScaling('1')).$metadata.httpStatusCode).toBe(200);
  });

  test('an HTML 503 from a load balancer reaches the SDK as a SyntaxError carrying the status', async () => {
    emu.fault({ kind: 'error', status: 503, html: true });
    const error = await failure(getScaling('1'));
    expect(error.name).toBe('SyntaxError');
    expect(error.$metadata.httpStatusCode).toBe(503);
    expect(error.$metadata.requestId).toBeUndefined();
    expect(emu.requests[0].status).toBe(503);
  });

  test.each(Object.entries(FOREIGN_PAGES))('a raw answer (%s) has only the status, content type and body given', async (_name, page) => {
    emu.fault({ kind: 'raw', ...page });
    const response = await fetch(`${emu.url}/2015-03-31/functions/demo-fn?Qualifier=1`);
    expect(response.status).toBe(page.status);
    expect(response.headers.get('content-type')).toBe(page.contentType);
    expect(response.headers.get('x-amzn-requestid')).toBeNull();
    expect(response.headers.get('x-amzn-errortype')).toBeNull();
    expect(await response.text()).toBe(page.body);
    expect(emu.requests[0]).toMatchObject({ operation: 'GetFunction', status: page.status });
  });

  test('a raw answer can echo the request’s headers after its body', async () => {
    emu.fault({ kind: 'raw', status: 200, contentType: 'text/plain', body: 'You sent:\n', echoHeaders: ['x-probe', 'x-other'] });
    const response = await fetch(`${emu.url}/2015-03-31/functions/demo-fn`, { headers: { 'x-probe': 'p1', 'x-other': 'p2', 'x-not': 'p3' } });
    expect(await response.text()).toBe('You sent:\np1\np2\n');
  });

  // What the SDK alone makes of each: the action recognises them before it (src/foreign-answer.ts).
  test.each([
    ['html404', 'SyntaxError', /^Unexpected token '<'[\s\S]*is not valid JSON\n {2}Deserialization error: to see the raw response, inspect the hidden field \{error\}\.\$response/],
    ['proxy403', 'SyntaxError', /is not valid JSON/],
    ['text200', 'SyntaxError', /is not valid JSON/],
    ['json404', 'Unknown', /^Not Found$/],
  ] as const)('the SDK turns %s into a %s without a request ID', async (page, name, message) => {
    emu.fault({ kind: 'raw', ...FOREIGN_PAGES[page] });
    const error = await failure(getScaling('1'));
    expect(error.name).toBe(name);
    expect(error.message).toMatch(message);
    expect(error.$metadata).toMatchObject({ httpStatusCode: FOREIGN_PAGES[page].status, requestId: undefined });
  });

  test('notFoundAfterPutMs: reads after an accepted put answer ResourceNotFoundException for that long; the put and the reads before it find the version', async () => {
    emu.addFunction({ name: 'demo-fn', versions: { '9': { notFoundAfterPutMs: 2000 } } });
    expect((await getConfig('9')).State).toBe('Active');
    expect((await put('9', 2, 2)).FunctionState).toBe('Active');
    t += 1999;
    await expectAwsError(getConfig('9'), 'ResourceNotFoundException', 404, `Function not found: ${ARN}:9`);
    await expectAwsError(lambda.send(new GetFunctionCommand({ FunctionName: 'demo-fn', Qualifier: '9' })), 'ResourceNotFoundException', 404);
    await expectAwsError(getScaling('9'), 'ResourceNotFoundException', 404);
    expect((await put('9', 2, 3)).FunctionState).toBe('Active');
    t += 1999;
    await expectAwsError(getScaling('9'), 'ResourceNotFoundException', 404);
    t += 1;
    expect((await getScaling('9')).AppliedFunctionScalingConfig).toEqual(scaling(2, 3));
    expect((await getConfig('1')).State).toBe('Active');
  });

  test('a reset connection fails the call without a response', async () => {
    emu.fault({ kind: 'reset' });
    const error = await failure(getScaling('1'));
    // Plain Node gets TimeoutError/ECONNRESET; under Jest's VM realm the SDK wraps it ("AWS SDK error wrapper for …").
    expect(error.message).toMatch(/socket hang up/);
    expect(error.$metadata.httpStatusCode).toBeUndefined();
    expect(emu.requests[0].status).toBe('reset');
  });

  test('a hanging request times out on the client and does not keep close() waiting', async () => {
    const impatient = client({ requestTimeout: 300 });
    emu.fault({ operation: 'GetFunction', kind: 'hang' });
    const error = await failure(impatient.send(new GetFunctionCommand({ FunctionName: 'demo-fn', Qualifier: '1' })));
    expect(error.name).toBe('TimeoutError');
    expect(emu.requests[0].status).toBe('hang');
    impatient.destroy();
  });

  test('a delay answers normally, late', async () => {
    emu.fault({ kind: 'delay', ms: 150 });
    const started = performance.now();
    expect((await getScaling('1')).AppliedFunctionScalingConfig).toEqual(scaling(3, 3));
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(emu.requests[0].status).toBe(200);
  });
});

describe('account quota', () => {
  const getFunction = (Qualifier: string) => lambda.send(new GetFunctionCommand({ FunctionName: 'demo-fn', Qualifier }));
  const getAlias = () => lambda.send(new GetAliasCommand({ FunctionName: 'demo-fn', Name: 'live' }));

  test('is off by default', async () => {
    for (let i = 0; i < 20; i++) await getScaling('1');
    expect(emu.requests.every((r) => r.status === 200)).toBe(true);
  });

  test('control-plane operations share 15 per second; the 16th in any second is throttled as Lambda does', async () => {
    emu.setQuota(true);
    for (let i = 0; i < 5; i++) {
      await getScaling('1');
      await getAlias();
      await put('1', 2, 6);
      t += 100;
    }
    // 15 in 500 ms: the next one, of any control-plane operation, is over the quota.
    const error = await expectAwsError(getAlias(), 'TooManyRequestsException', 429, 'Rate exceeded');
    expect(error.retryAfterSeconds).toBe('1');
    expect(error.Reason).toBe('CallerRateLimitExceeded');
    expect(emu.requests.at(-1)?.status).toBe(429);
    // GetFunction has its own budget.
    expect((await getFunction('1')).$metadata.httpStatusCode).toBe(200);
    // A sliding window: the first request leaves it 1 s after it came, not at a second boundary.
    t = START + 999;
    await expectAwsError(getScaling('1'), 'TooManyRequestsException', 429);
    // At START + 1000 the three requests of START have left; those of START + 100 have not.
    t = START + 1000;
    for (let i = 0; i < 3; i++) expect((await getScaling('1')).$metadata.httpStatusCode).toBe(200);
    await expectAwsError(getScaling('1'), 'TooManyRequestsException', 429);
  });

  test('throttled requests do not use the budget', async () => {
    emu.setQuota({ controlPlanePerSecond: 2 });
    await getScaling('1');
    t += 500;
    await getScaling('1');
    for (let i = 0; i < 5; i++) await expectAwsError(getScaling('1'), 'TooManyRequestsException', 429);
    t = START + 1000;
    expect((await getScaling('1')).$metadata.httpStatusCode).toBe(200);
  });

  test('capacity-provider reads share 15 per second of their own', async () => {
    emu.setQuota(true);
    const CapacityProviderName = 'demo-fn-capacity-provider';
    for (let i = 0; i < 7; i++) {
      await lambda.send(new GetCapacityProviderCommand({ CapacityProviderName }));
      await lambda.send(new ListFunctionVersionsByCapacityProviderCommand({ CapacityProviderName }));
    }
    await lambda.send(new GetCapacityProviderCommand({ CapacityProviderName }));
    await expectAwsError(lambda.send(new ListFunctionVersionsByCapacityProviderCommand({ CapacityProviderName })), 'TooManyRequestsException', 429, 'Rate exceeded');
    expect(emu.requests.map((r) => r.status)).toEqual([...Array(15).fill(200), 429]);
    expect((await getScaling('1')).$metadata.httpStatusCode).toBe(200);
    expect((await getFunction('1')).$metadata.httpStatusCode).toBe(200);
  });

  test('GetFunction has 100 per second of its own', async () => {
    emu.setQuota(true);
    for (let i = 0; i < 100; i++) await getFunction('1');
    await expectAwsError(getFunction('1'), 'TooManyRequestsException', 429);
    expect((await getScaling('1')).$metadata.httpStatusCode).toBe(200);
    emu.setQuota(false);
    expect((await getFunction('1')).$metadata.httpStatusCode).toBe(200);
  });
});

describe('official service model', () => {
  // Reads the botocore model the AWS CLI ships, so the emulator's protocol facts are checked, not trusted.
  const MODEL_SCRIPT = `
import botocore, gzip, json, os, sys
path = os.path.join(os.path.dirname(botocore.__file__), 'data/lambda/2015-03-31/service-2.json.gz')
model = json.load(gzip.open(path))
shapes = model['shapes']
wanted = json.loads(sys.argv[1])
def operation(name):
    op = model['operations'][name]
    request = shapes[op['input']['shape']]
    return {
        'http': op['http'],
        'params': {k: {'location': v['location'], 'shape': v['shape'], 'required': k in request.get('required', [])}
                   for k, v in request['members'].items() if v.get('location') in ('uri', 'querystring')},
        'errors': [e['shape'] for e in op.get('errors', [])],
    }
def error(name):
    if name not in shapes: return None
    return {'status': shapes[name]['error']['httpStatusCode'], 'fault': shapes[name].get('fault', False), 'members': list(shapes[name]['members'])}
def constraints(name):
    return {k: shapes[name][k] for k in ('type', 'min', 'max', 'pattern') if k in shapes[name]}
print(json.dumps({
    'operations': {name: operation(name) for name in wanted['operations']},
    'errors': {name: error(name) for name in wanted['errors']},
    'shapes': {name: constraints(name) for name in wanted['shapes']},
}))
`;

  test('routes, input constraints and errors match botocore’s Lambda model', async () => {
    const wanted = {
      operations: ROUTES.map((r) => r.operation),
      errors: Object.keys(ERRORS),
      shapes: [...Object.keys(SHAPES), 'FunctionScalingConfigExecutionEnvironments'],
    };
    const { stdout } = await run('python3', ['-c', MODEL_SCRIPT, JSON.stringify(wanted)]);
    const model = JSON.parse(stdout);
    for (const route of ROUTES) {
      const op = model.operations[route.operation];
      expect({ operation: route.operation, ...op.http }).toEqual({
        operation: route.operation,
        method: route.method,
        requestUri: route.uri,
        responseCode: route.responseCode,
      });
      expect(route.params).toEqual(op.params);
      expect([...route.errors].sort()).toEqual([...op.errors].sort());
    }
    for (const [name, shape] of Object.entries(ERRORS)) {
      const modeled = model.errors[name];
      if (name === 'AccessDeniedException' || name === 'UnknownOperationException' || name === 'ValidationException') {
        expect(modeled).toBeNull(); // sent by the real service, yet absent from its model
        continue;
      }
      expect({ name, status: shape.status, type: shape.type }).toEqual({ name, status: modeled.status, type: modeled.fault ? 'Service' : 'User' });
      expect(modeled.members).toContain(shape.messageMember);
    }
    const { FunctionScalingConfigExecutionEnvironments: range, ...shapes } = model.shapes;
    expect(SHAPES).toEqual(shapes);
    expect({ type: 'integer', ...EXECUTION_ENVIRONMENTS_RANGE }).toEqual(range);
  });
});

describe('AWS CLI v1 (botocore parses the answers against the official model)', () => {
  const cliEnv = () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'AKIAEMULATOR',
      AWS_SECRET_ACCESS_KEY: 'emulator-secret',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    };
    delete env.AWS_PROFILE; // would name a profile the empty config lacks
    return env;
  };

  test('get-capacity-provider and list-function-versions-by-capacity-provider (its paginator follows NextMarker)', async () => {
    emu.addFunction({ name: 'many', capacityProvider: 'demo-fn-capacity-provider', versions: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [String(i + 1), {}])) });
    const common = ['--capacity-provider-name', 'demo-fn-capacity-provider', '--endpoint-url', emu.url, '--region', 'us-east-1', '--output', 'json'];
    const aws = async (...args: string[]) => JSON.parse((await run('aws', ['lambda', ...args, ...common], { env: cliEnv() })).stdout);
    const provider = await aws('get-capacity-provider');
    expect(provider.CapacityProvider).toMatchObject({ CapacityProviderArn: 'arn:aws:lambda:us-east-1:123456789012:capacity-provider:demo-fn-capacity-provider', CapacityProviderScalingConfig: { MaxVCpuCount: 400 } });
    expect(typeof provider.CapacityProvider.LastModified).toBe('string');
    const listed = await aws('list-function-versions-by-capacity-provider');
    // demo-fn's 1, 2, $LATEST.PUBLISHED and 3, then many's 60: two pages of at most 50.
    expect(listed.FunctionVersions).toHaveLength(64);
    expect(listed.FunctionVersions[0]).toEqual({ FunctionArn: `${ARN}:1`, State: 'Active' });
    expect(emu.requests.map((r) => [r.operation, r.status])).toEqual([
      ['GetCapacityProvider', 200],
      ['ListFunctionVersionsByCapacityProvider', 200],
      ['ListFunctionVersionsByCapacityProvider', 200],
    ]);
  });

  test('put-function-scaling-config then get-function-scaling-config', async () => {
    const env = cliEnv();
    const common = ['--function-name', 'demo-fn', '--qualifier', '1', '--endpoint-url', emu.url, '--region', 'us-east-1', '--output', 'json'];
    const aws = async (...args: string[]) => JSON.parse((await run('aws', ['lambda', ...args, ...common], { env })).stdout);

    const scalingConfig = 'MinExecutionEnvironments=2,MaxExecutionEnvironments=4';
    expect(await aws('put-function-scaling-config', '--function-scaling-config', scalingConfig)).toEqual({ FunctionState: 'Active' });
    expect(await aws('get-function-scaling-config')).toEqual({
      FunctionArn: `${ARN}:1`,
      AppliedFunctionScalingConfig: scaling(3, 3),
      RequestedFunctionScalingConfig: scaling(2, 4),
    });
    expect(emu.requests.map((r) => [r.operation, r.status, r.signed])).toEqual([
      ['PutFunctionScalingConfig', 202, true],
      ['GetFunctionScalingConfig', 200, true],
    ]);
  });
});
