// A local stand-in (node:http only) for the GitHub REST routes the pull request comment uses: list an issue's
// comments (paginated with Link headers, as GitHub does), create one, update one. It answers as GitHub does:
// the comment objects are typed by GitHub's OpenAPI description (@octokit/openapi-types), errors are JSON
// with `message` and `documentation_url`, a read-only token gets 403 on writes, a body over 65,536
// characters gets 422. It records every request and plays scripted faults.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { components } from '@octokit/openapi-types';

export type IssueComment = components['schemas']['issue-comment'];
export type RouteName = 'list' | 'create' | 'update' | 'unknown';

/** What a token may do: `write` as a job with `pull-requests: write`, `read` as a fork's pull_request token. */
export type Access = 'write' | 'read';

export interface GitHubRequest {
  /** Date.now() when the request arrived. */
  at: number;
  route: RouteName;
  method: string;
  /** Path and query as received, the API prefix included. */
  path: string;
  status: number | 'hang' | 'reset';
  /** The token of the Authorization header (`token X` or `Bearer X`). */
  token?: string;
  body?: { body?: string };
}

export type GitHubFault = {
  /** Only requests of this route consume the fault (default: any). */
  route?: RouteName;
  /** How many matching requests it applies to (default 1). */
  times?: number;
  /** How many matching requests pass untouched first (default 0). */
  after?: number;
} & (
  | { kind: 'error'; status: number; message?: string; headers?: Record<string, string>; /** A proxy's HTML page instead of GitHub's JSON. */ html?: boolean }
  | { kind: 'hang' }
  | { kind: 'reset' }
);

export interface StandInOptions {
  /** The API's path prefix: '' as on github.com, '/api/v3' as on GitHub Enterprise Server. */
  prefix?: string;
  /** The tokens GitHub knows; any other gets 401 Bad credentials. */
  tokens?: Record<string, Access>;
}

export interface GitHubStandIn {
  /** The API's base URL, as GITHUB_API_URL gives it. */
  url: string;
  requests: GitHubRequest[];
  /** Opens a pull request (its comments are the issue's). */
  addPullRequest(owner: string, repo: string, number: number): void;
  /** A comment by someone else, or by `login`; returns it. */
  addComment(owner: string, repo: string, number: number, body: string, login?: string): IssueComment;
  comments(owner: string, repo: string, number: number): IssueComment[];
  fault(spec: GitHubFault): void;
  close(): Promise<void>;
}

const DOCS = 'https://docs.github.com/rest/issues/comments';
/** GitHub's limit on a comment body, in characters (code points). */
export const MAX_BODY = 65_536;
const BOT = 'github-actions[bot]';

export async function startGitHubStandIn(options: StandInOptions = {}): Promise<GitHubStandIn> {
  const { prefix = '', tokens = { 'write-token': 'write', 'read-only-token': 'read' } } = options;
  const requests: GitHubRequest[] = [];
  let faults: GitHubFault[] = [];
  // Pull requests by "owner/repo#number", each with its repository's id and its comments in order.
  const pulls = new Map<string, { repoId: number; owner: string; repo: string; number: number; comments: IssueComment[] }>();
  const repoIds = new Map<string, number>();
  let nextCommentId = 1_000_001;
  let url = '';

  const pullOf = (owner: string, repo: string, number: number) => pulls.get(`${owner}/${repo}#${number}`);

  function newComment(pull: { owner: string; repo: string; number: number; repoId: number }, body: string, login: string): IssueComment {
    const id = nextCommentId++;
    const now = new Date().toISOString();
    return {
      id,
      node_id: `IC_${id}`,
      url: `${url}/repos/${pull.owner}/${pull.repo}/issues/comments/${id}`,
      html_url: `https://github.example/${pull.owner}/${pull.repo}/pull/${pull.number}#issuecomment-${id}`,
      body,
      user: user(login),
      created_at: now,
      updated_at: now,
      issue_url: `${url}/repos/${pull.owner}/${pull.repo}/issues/${pull.number}`,
      author_association: login === BOT ? 'NONE' : 'CONTRIBUTOR',
    };
  }

  function takeFault(route: RouteName): GitHubFault | undefined {
    const index = faults.findIndex((f) => f.route === undefined || f.route === route);
    if (index < 0) return undefined;
    const fault = faults[index];
    if (fault.after) {
      faults[index] = { ...fault, after: fault.after - 1 };
      return undefined;
    }
    if ((fault.times ?? 1) > 1) faults[index] = { ...fault, times: (fault.times ?? 1) - 1 };
    else faults.splice(index, 1);
    return fault;
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const address = new URL(req.url ?? '/', 'http://stand-in');
    const text = await readBody(req);
    const token = /^(?:token|Bearer) (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const match = matchRoute(req.method ?? '', address.pathname.startsWith(prefix) ? address.pathname.slice(prefix.length) : '');
    const record: GitHubRequest = { at: Date.now(), route: match?.route ?? 'unknown', method: req.method ?? '', path: req.url ?? '', status: 'hang', token };
    if (text) record.body = JSON.parse(text) as { body?: string };
    requests.push(record);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-github-request-id': `STANDIN:${requests.length}`, 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999', ...headers });
      res.end(JSON.stringify(body));
    };
    const fail = (status: number, message: string, headers?: Record<string, string>, extra: object = {}) =>
      send(status, { message, ...extra, documentation_url: DOCS, status: String(status) }, headers);

    const fault = takeFault(record.route);
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'reset') {
      record.status = 'reset';
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'error') {
      if (fault.html) {
        record.status = fault.status;
        res.writeHead(fault.status, { 'content-type': 'text/html' });
        res.end(`<html><body><h1>${fault.status} Bad Gateway</h1></body></html>\n`);
        return;
      }
      return fail(fault.status, fault.message ?? 'Server Error', fault.headers);
    }
    if (!match) return fail(404, 'Not Found');
    if (!token || !(token in tokens)) return fail(401, 'Bad credentials');
    const access = tokens[token];

    if (match.route === 'list') {
      const pull = match.repoId !== undefined ? [...pulls.values()].find((p) => p.repoId === match.repoId && p.number === match.number) : pullOf(match.owner!, match.repo!, match.number!);
      if (!pull) return fail(404, 'Not Found');
      // GitHub's paging: per_page up to 100 (default 30), page from 1; Link has next, last, first and prev.
      const perPage = Math.min(100, Math.max(1, Number(address.searchParams.get('per_page') ?? 30) || 30));
      const page = Math.max(1, Number(address.searchParams.get('page') ?? 1) || 1);
      const last = Math.max(1, Math.ceil(pull.comments.length / perPage));
      const pageUrl = (n: number) => `<${new URL(`${prefix}/repositories/${pull.repoId}/issues/${pull.number}/comments?per_page=${perPage}&page=${n}`, url).href}>`;
      const links = [
        ...(page < last ? [`${pageUrl(page + 1)}; rel="next"`, `${pageUrl(last)}; rel="last"`] : []),
        ...(page > 1 ? [`${pageUrl(1)}; rel="first"`, `${pageUrl(page - 1)}; rel="prev"`] : []),
      ];
      return send(200, pull.comments.slice((page - 1) * perPage, page * perPage), links.length ? { link: links.join(', ') } : {});
    }

    if (access === 'read') return fail(403, 'Resource not accessible by integration');
    const body = record.body?.body;
    if (typeof body !== 'string') return fail(422, 'Invalid request.\n\n"body" wasn\'t supplied.');
    if ([...body].length > MAX_BODY) {
      return fail(422, 'Validation Failed', undefined, { errors: [{ resource: 'IssueComment', code: 'unprocessable', field: 'data', message: `Body is too long (maximum is ${MAX_BODY} characters)` }] });
    }
    if (match.route === 'create') {
      const pull = pullOf(match.owner!, match.repo!, match.number!);
      if (!pull) return fail(404, 'Not Found');
      const comment = newComment(pull, body, BOT);
      pull.comments.push(comment);
      return send(201, comment, { location: comment.url });
    }
    const pull = [...pulls.values()].find((p) => p.owner === match.owner && p.repo === match.repo && p.comments.some((c) => c.id === match.commentId));
    const comment = pull?.comments.find((c) => c.id === match.commentId);
    if (!comment) return fail(404, 'Not Found');
    comment.body = body;
    comment.updated_at = new Date().toISOString();
    return send(200, comment);
  }

  const server = createServer((req, res) => void onRequest(req, res).catch(() => req.socket.destroy()));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`;

  return {
    url,
    requests,
    addPullRequest(owner, repo, number) {
      const full = `${owner}/${repo}`;
      if (!repoIds.has(full)) repoIds.set(full, 4_200_000 + repoIds.size);
      pulls.set(`${full}#${number}`, { repoId: repoIds.get(full)!, owner, repo, number, comments: [] });
    },
    addComment(owner, repo, number, body, login = 'reviewer') {
      const pull = pullOf(owner, repo, number);
      if (!pull) throw new Error(`no pull request ${owner}/${repo}#${number}: addPullRequest first`);
      const comment = newComment(pull, body, login);
      pull.comments.push(comment);
      return comment;
    },
    comments: (owner, repo, number) => pullOf(owner, repo, number)?.comments ?? [],
    fault: (spec) => void faults.push(spec),
    close: () =>
      new Promise<void>((resolve, reject) => {
        faults = [];
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

interface RouteMatch {
  route: Exclude<RouteName, 'unknown'>;
  owner?: string;
  repo?: string;
  number?: number;
  repoId?: number;
  commentId?: number;
}

/** The three routes, as GitHub's REST API spells them; `/repositories/{id}/…` is where its Link headers point. */
function matchRoute(method: string, path: string): RouteMatch | undefined {
  const segment = '([^/]+)';
  const list = new RegExp(`^/repos/${segment}/${segment}/issues/(\\d+)/comments$`).exec(path);
  if (list && method === 'GET') return { route: 'list', owner: decodeURIComponent(list[1]), repo: decodeURIComponent(list[2]), number: Number(list[3]) };
  if (list && method === 'POST') return { route: 'create', owner: decodeURIComponent(list[1]), repo: decodeURIComponent(list[2]), number: Number(list[3]) };
  const byId = /^\/repositories\/(\d+)\/issues\/(\d+)\/comments$/.exec(path);
  if (byId && method === 'GET') return { route: 'list', repoId: Number(byId[1]), number: Number(byId[2]) };
  const update = new RegExp(`^/repos/${segment}/${segment}/issues/comments/(\\d+)$`).exec(path);
  if (update && method === 'PATCH') return { route: 'update', owner: decodeURIComponent(update[1]), repo: decodeURIComponent(update[2]), commentId: Number(update[3]) };
  return undefined;
}

function user(login: string): NonNullable<IssueComment['user']> {
  const api = `https://api.github.example/users/${encodeURIComponent(login)}`;
  return {
    login,
    id: login === BOT ? 41898282 : 1000 + login.length,
    node_id: `U_${login}`,
    avatar_url: `https://avatars.github.example/u/${login}`,
    gravatar_id: '',
    url: api,
    html_url: `https://github.example/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: login === BOT ? 'Bot' : 'User',
    site_admin: false,
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
