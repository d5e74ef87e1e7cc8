// Answers of things that are not Lambda, as a misconfigured runner meets them: a web server at a wrong
// endpoint, another service's JSON API, a host that answers every path with 200, a corporate proxy.
export interface RawAnswer {
  status: number;
  contentType?: string;
  body: string;
  /** Follow the body with the values of these headers of the request, one a line, as a service that echoes them answers. */
  echoHeaders?: string[];
}

export const FOREIGN_PAGES = {
  /** nginx's own page for a path it does not serve. */
  html404: {
    status: 404,
    contentType: 'text/html',
    body: '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
  },
  /** Another service's JSON API: an error with a message and no error type. */
  json404: { status: 404, contentType: 'application/json', body: '{"message":"Not Found"}' },
  /** A host that answers every path: a health check, a login page. */
  text200: { status: 200, contentType: 'text/plain; charset=utf-8', body: 'OK' },
  /** A proxy that blocks the host, with its styled page. */
  proxy403: {
    status: 403,
    contentType: 'text/html; charset=utf-8',
    body:
      '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Access Denied</title><style>body { font-family: sans-serif; }</style></head>\n' +
      "<body><h1>Access Denied</h1><p>Your organization's web policy blocks lambda.us-east-1.amazonaws.com.</p><!-- policy 17 --></body></html>\n",
  },
} as const satisfies Record<string, RawAnswer>;
