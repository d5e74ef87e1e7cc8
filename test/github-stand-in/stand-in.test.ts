import { startGitHubStandIn, type GitHubStandIn, type IssueComment } from './server.js';

// The stand-in's wire behaviour, as GitHub's REST API documents it, over plain fetch (no Octokit to smooth it).
let gh: GitHubStandIn;
beforeEach(async () => {
  gh = await startGitHubStandIn({ prefix: '/api/v3' });
  gh.addPullRequest('octo', 'shop', 7);
});
afterEach(() => gh.close());

const call = (method: string, path: string, body?: object, token = 'write-token') =>
  fetch(`${gh.url}${path}`, { method, headers: { authorization: `token ${token}`, accept: 'application/vnd.github+json' }, body: body && JSON.stringify(body) });

describe('the GitHub stand-in', () => {
  it('pages comments 30 at a time by default and at most 100, with next, last, first and prev links', async () => {
    for (let i = 0; i < 250; i++) gh.addComment('octo', 'shop', 7, `c${i}`);
    const first = await call('GET', '/repos/octo/shop/issues/7/comments');
    expect(((await first.json()) as IssueComment[]).map((c) => c.body)).toEqual(Array.from({ length: 30 }, (_, i) => `c${i}`));
    const links = (await call('GET', '/repos/octo/shop/issues/7/comments?per_page=500&page=2')).headers.get('link')!;
    const rel = (name: string) => new RegExp(`<([^>]+)>; rel="${name}"`).exec(links)?.[1];
    expect(rel('next')).toMatch(/\/api\/v3\/repositories\/\d+\/issues\/7\/comments\?per_page=100&page=3$/);
    expect(rel('last')).toMatch(/per_page=100&page=3$/);
    expect(rel('first')).toMatch(/per_page=100&page=1$/);
    expect(rel('prev')).toMatch(/per_page=100&page=1$/);
    const last = await fetch(rel('last')!, { headers: { authorization: 'Bearer write-token' } });
    expect(((await last.json()) as IssueComment[]).map((c) => c.body)).toEqual(Array.from({ length: 50 }, (_, i) => `c${200 + i}`));
    expect(last.headers.get('link')).not.toContain('rel="next"');
  });

  it('creates and updates comments, and answers errors as GitHub does', async () => {
    const created = await call('POST', '/repos/octo/shop/issues/7/comments', { body: 'hello' });
    expect(created.status).toBe(201);
    const comment = (await created.json()) as IssueComment;
    expect(comment).toMatchObject({ body: 'hello', user: { login: 'github-actions[bot]', type: 'Bot' } });
    expect((await call('PATCH', `/repos/octo/shop/issues/comments/${comment.id}`, { body: 'again' })).status).toBe(200);
    expect(gh.comments('octo', 'shop', 7).map((c) => c.body)).toEqual(['again']);

    const error = async (response: Promise<Response>) => {
      const r = await response;
      return [r.status, ((await r.json()) as { message: string }).message];
    };
    expect(await error(call('GET', '/repos/octo/shop/issues/7/comments', undefined, 'nope'))).toEqual([401, 'Bad credentials']);
    expect(await error(call('POST', '/repos/octo/shop/issues/7/comments', { body: 'x' }, 'read-only-token'))).toEqual([403, 'Resource not accessible by integration']);
    expect(await error(call('GET', '/repos/octo/shop/issues/8/comments'))).toEqual([404, 'Not Found']);
    expect(await error(call('PATCH', '/repos/octo/shop/issues/comments/1', { body: 'x' }))).toEqual([404, 'Not Found']);
    expect(await error(call('POST', '/repos/octo/shop/issues/7/comments', {}))).toEqual([422, 'Invalid request.\n\n"body" wasn\'t supplied.']);
    expect(await error(call('GET', '/repos/octo/shop/comments'))).toEqual([404, 'Not Found']);
    // Without the Enterprise Server prefix, nothing is there.
    expect((await fetch(`${gh.url.replace('/api/v3', '')}/repos/octo/shop/issues/7/comments`, { headers: { authorization: 'token write-token' } })).status).toBe(404);
  });
});
