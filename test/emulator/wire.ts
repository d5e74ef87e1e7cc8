// Lambda's REST-JSON wire protocol, as far as the emulated operations need it: routes, input constraints
// and error encoding, all transcribed from the official service model (emulator.test.ts checks them against it).
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type ServerResponse } from 'node:http';

export type OperationName =
  | 'PutFunctionScalingConfig'
  | 'GetFunctionScalingConfig'
  | 'GetFunction'
  | 'GetFunctionConfiguration'
  | 'GetAlias'
  | 'GetCapacityProvider'
  | 'ListFunctionVersionsByCapacityProvider';

export interface ErrorShape {
  status: number;
  type: 'User' | 'Service';
  /** The model spells the message member differently per error. */
  messageMember: 'message' | 'Message';
}

export const ERRORS = {
  InvalidParameterValueException: { status: 400, type: 'User', messageMember: 'message' },
  ResourceConflictException: { status: 409, type: 'User', messageMember: 'message' },
  ResourceNotFoundException: { status: 404, type: 'User', messageMember: 'Message' },
  ServiceException: { status: 500, type: 'Service', messageMember: 'Message' },
  TooManyRequestsException: { status: 429, type: 'User', messageMember: 'message' },
  // Not in the model, but sent by the real service: ValidationException for a value that breaks the
  // model's own constraints (pattern, length, range, required), before the operation runs.
  ValidationException: { status: 400, type: 'User', messageMember: 'message' },
  AccessDeniedException: { status: 403, type: 'User', messageMember: 'message' },
  UnknownOperationException: { status: 404, type: 'User', messageMember: 'message' },
} as const satisfies Record<string, ErrorShape>;

export type ErrorName = keyof typeof ERRORS;

const ERRORTYPE_NAMESPACE = 'http://internal.amazon.com/coral/com.amazonaws.lambda/';

export class ApiError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
    readonly status: number = ERRORS[errorType as ErrorName]?.status ?? 500,
    readonly extra: { reason?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }
}

/** Constraints of the input shapes used by the emulated operations, verbatim from the model. */
export const SHAPES = {
  UnqualifiedFunctionName: {
    type: 'string',
    min: 1,
    max: 140,
    pattern: '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)',
  },
  NamespacedFunctionName: {
    type: 'string',
    min: 1,
    max: 256,
    pattern:
      '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?',
  },
  FunctionName: {
    type: 'string',
    min: 1,
    max: 140,
    pattern:
      '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?',
  },
  PublishedFunctionQualifier: { type: 'string', min: 1, max: 128, pattern: '(\\$LATEST\\.PUBLISHED|[0-9]+)' },
  NumericLatestPublishedOrAliasQualifier: { type: 'string', min: 1, max: 128, pattern: '\\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+' },
  Alias: { type: 'string', min: 1, max: 128, pattern: '(?!^[0-9]+$)([a-zA-Z0-9-_]+)' },
  CapacityProviderName: {
    type: 'string',
    min: 1,
    max: 140,
    pattern: '(arn:aws[a-zA-Z-]*:lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:capacity-provider:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+',
  },
  String: { type: 'string' },
  MaxFiftyListItems: { type: 'integer', min: 1, max: 50 },
} as const satisfies Record<string, { type: 'string' | 'integer'; min?: number; max?: number; pattern?: string }>;

export type ShapeName = keyof typeof SHAPES;

/** FunctionScalingConfigExecutionEnvironments. */
export const EXECUTION_ENVIRONMENTS_RANGE = { min: 0, max: 15000 } as const;

export interface ParamSpec {
  location: 'uri' | 'querystring';
  shape: ShapeName;
  required: boolean;
}

export interface Route {
  operation: OperationName;
  method: 'GET' | 'PUT';
  /** The model's requestUri. */
  uri: string;
  responseCode: number;
  params: Record<string, ParamSpec>;
  /** The errors the model lists for the operation. */
  errors: readonly ErrorName[];
}

const MODELED_ERRORS = ['InvalidParameterValueException', 'ServiceException', 'TooManyRequestsException', 'ResourceNotFoundException'] as const;
const SCALING_PARAMS: Route['params'] = {
  FunctionName: { location: 'uri', shape: 'UnqualifiedFunctionName', required: true },
  Qualifier: { location: 'querystring', shape: 'PublishedFunctionQualifier', required: true },
};
const GET_FUNCTION_PARAMS: Route['params'] = {
  FunctionName: { location: 'uri', shape: 'NamespacedFunctionName', required: true },
  Qualifier: { location: 'querystring', shape: 'NumericLatestPublishedOrAliasQualifier', required: false },
};

export const ROUTES: readonly Route[] = [
  {
    operation: 'PutFunctionScalingConfig',
    method: 'PUT',
    uri: '/2025-11-30/functions/{FunctionName}/function-scaling-config',
    responseCode: 202,
    params: SCALING_PARAMS,
    errors: [...MODELED_ERRORS, 'ResourceConflictException'],
  },
  {
    operation: 'GetFunctionScalingConfig',
    method: 'GET',
    uri: '/2025-11-30/functions/{FunctionName}/function-scaling-config',
    responseCode: 200,
    params: SCALING_PARAMS,
    errors: MODELED_ERRORS,
  },
  {
    operation: 'GetFunction',
    method: 'GET',
    uri: '/2015-03-31/functions/{FunctionName}',
    responseCode: 200,
    params: GET_FUNCTION_PARAMS,
    errors: MODELED_ERRORS,
  },
  {
    operation: 'GetFunctionConfiguration',
    method: 'GET',
    uri: '/2015-03-31/functions/{FunctionName}/configuration',
    responseCode: 200,
    params: GET_FUNCTION_PARAMS,
    errors: MODELED_ERRORS,
  },
  {
    operation: 'GetAlias',
    method: 'GET',
    uri: '/2015-03-31/functions/{FunctionName}/aliases/{Name}',
    responseCode: 200,
    params: {
      FunctionName: { location: 'uri', shape: 'FunctionName', required: true },
      Name: { location: 'uri', shape: 'Alias', required: true },
    },
    errors: MODELED_ERRORS,
  },
  {
    operation: 'GetCapacityProvider',
    method: 'GET',
    uri: '/2025-11-30/capacity-providers/{CapacityProviderName}',
    responseCode: 200,
    params: { CapacityProviderName: { location: 'uri', shape: 'CapacityProviderName', required: true } },
    errors: MODELED_ERRORS,
  },
  {
    operation: 'ListFunctionVersionsByCapacityProvider',
    method: 'GET',
    uri: '/2025-11-30/capacity-providers/{CapacityProviderName}/function-versions',
    responseCode: 200,
    params: {
      CapacityProviderName: { location: 'uri', shape: 'CapacityProviderName', required: true },
      Marker: { location: 'querystring', shape: 'String', required: false },
      MaxItems: { location: 'querystring', shape: 'MaxFiftyListItems', required: false },
    },
    errors: MODELED_ERRORS,
  },
];

export interface RouteMatch {
  route: Route;
  /** Decoded values of the route's params that the request carries. */
  values: Record<string, string>;
}

export function matchRoute(method: string, url: URL): RouteMatch | undefined {
  let segments: string[];
  try {
    segments = url.pathname.split('/').map(decodeURIComponent);
  } catch {
    return undefined; // malformed percent-encoding matches no operation
  }
  for (const route of ROUTES) {
    const template = route.uri.split('/');
    if (route.method !== method || template.length !== segments.length) continue;
    const values: Record<string, string> = {};
    const matches = template.every((part, i) => {
      const label = /^\{(\w+)\}$/.exec(part)?.[1];
      if (!label) return part === segments[i];
      values[label] = segments[i];
      return segments[i] !== '';
    });
    if (!matches) continue;
    for (const [name, param] of Object.entries(route.params)) {
      const value = param.location === 'querystring' ? url.searchParams.get(name) : null;
      if (value !== null) values[name] = value;
    }
    return { route, values };
  }
  return undefined;
}

/** Checks the params against the model the way the service's framework does, with its message format. */
export function validateParams({ route, values }: RouteMatch): void {
  const problems = Object.entries(route.params).flatMap(([name, param]) => {
    const value = values[name];
    if (value === undefined) return param.required ? [violation('null', name, 'Member must not be null')] : [];
    const shape: { type: 'string' | 'integer'; min?: number; max?: number; pattern?: string } = SHAPES[param.shape];
    const { min = -Infinity, max = Infinity, pattern } = shape;
    const quoted = `'${value}'`;
    if (shape.type === 'integer') {
      const n = Number(value);
      return [
        !/^-?\d+$/.test(value) && violation(quoted, name, 'Member must be an integer'),
        n < min && violation(quoted, name, `Member must have value greater than or equal to ${min}`),
        n > max && violation(quoted, name, `Member must have value less than or equal to ${max}`),
      ].filter((p): p is string => typeof p === 'string');
    }
    return [
      value.length < min && violation(quoted, name, `Member must have length greater than or equal to ${min}`),
      value.length > max && violation(quoted, name, `Member must have length less than or equal to ${max}`),
      pattern !== undefined && !new RegExp(`^(?:${pattern})$`).test(value) && violation(quoted, name, `Member must satisfy regular expression pattern: ${pattern}`),
    ].filter((p): p is string => typeof p === 'string');
  });
  throwValidation(problems);
}

export function violation(value: string, member: string, constraint: string): string {
  const path = member.replace(/(^|\.)([A-Z])/g, (_, dot: string, c: string) => dot + c.toLowerCase());
  return `Value ${value} at '${path}' failed to satisfy constraint: ${constraint}`;
}

export function throwValidation(problems: string[]): void {
  if (problems.length === 0) return;
  const count = problems.length === 1 ? '1 validation error' : `${problems.length} validation errors`;
  throw new ApiError('ValidationException', `${count} detected: ${problems.join('; ')}`);
}

function baseHeaders(contentType: string): Record<string, string> {
  return { 'content-type': contentType, 'x-amzn-requestid': randomUUID() };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, baseHeaders('application/json')).end(JSON.stringify(body));
}

export function sendError(res: ServerResponse, error: ApiError): void {
  const shape: ErrorShape = ERRORS[error.errorType as ErrorName] ?? {
    status: error.status,
    type: error.status >= 500 ? 'Service' : 'User',
    messageMember: 'message',
  };
  const headers: Record<string, string> = { ...baseHeaders('application/json'), 'x-amzn-errortype': `${error.errorType}:${ERRORTYPE_NAMESPACE}` };
  if (error.extra.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.extra.retryAfterSeconds);
  const body = { Type: shape.type, [shape.messageMember]: error.message, Reason: error.extra.reason };
  res.writeHead(error.status, headers).end(JSON.stringify(body));
}

/** What a load balancer in front of the service answers: no request id, no error type, an HTML page. */
export function sendHtmlError(res: ServerResponse, status: number): void {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  res
    .writeHead(status, { 'content-type': 'text/html' })
    .end(`<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`);
}

/** Only the status, the content type and the body given: what a host that is not Lambda answers. */
export function sendRaw(res: ServerResponse, { status, contentType, body }: { status: number; contentType?: string; body: string }): void {
  res.writeHead(status, contentType === undefined ? {} : { 'content-type': contentType }).end(body);
}
