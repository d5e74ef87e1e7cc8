import { createServer } from 'node:net';
import { getOctokit } from '@actions/github';
import type { Annotation } from '../../src/errors.js';
import { buildPlanSummary } from '../../src/plan-summary.js';
import { commentOnPullRequest, type GitHubContext } from '../../src/pr-comment-client.js';
import type { PrCommentInputs, RunReport } from '../../src/pr-comment.js';
import type { TargetProgress } from '../../src/scale-target.js';
import { startGitHubStandIn, MAX_BODY, type GitHubStandIn } from '../github-stand-in/server.js';
import { emulatorPerTest } from '../support/flow-fixture.js';
import { planTarget } from '../support/pr-comment-fixture.js';

// The real @actions/github client (Octokit) over real HTTP against the stand-in, as GitHub Enterprise
// Server serves it (under /api/v3): what the step does with the comment, and every way it can fail.
let gh: GitHubStandIn;
beforeEach(async () => {
  gh = await startGitHubStandIn({ prefix: '/api/v3' });
  gh.addPullRequest('octo', 'shop', 7);
});
afterEach(() => gh.close());

const context = (extra: Partial<GitHubContext> = {}): GitHubContext => ({
  eventName: 'pull_request',
  payload: { pull_request: { number: 7, html_url: 'https://github.example/octo/shop/pull/7' } },
  repo: { owner: 'octo', repo: 'shop' },
  workflow: 'Plan scaling',
  job: 'plan',
  action: 'scale',
  runId: 4242,
  serverUrl: 'https://github.example',
  apiUrl: gh.url,
  ...extra,
});

const target = planTarget;
/** A dry run's report, built as run.ts builds it: the plan summary's markdown and its targets. */
const report = (progress: TargetProgress[]): RunReport => ({
  markdown: buildPlanSummary(progress, { wait: true, links: ['[Workflow run 4242](https://github.example/octo/shop/actions/runs/4242)'] }),
  progress,
});
const plan = report([target('7', true), target('8', false)]);

const on = (key = '', token = 'write-token'): PrCommentInputs => ({ enabled: true, token, key });

function recorder() {
  const record = { logs: [] as string[], debug: [] as string[], warnings: [] as Annotation[] };
  const io = { info: (m: string) => void record.logs.push(m), debug: (m: string) => void record.debug.push(m), warning: (a: Annotation) => void record.warnings.push(a) };
  return { io, record };
}

async function comment(inputs: PrCommentInputs, r: RunReport, ctx = context(), options: { signal?: AbortSignal; timeoutMs?: number } = {}) {
  const { io, record } = recorder();
  await commentOnPullRequest(io, inputs, r, ctx, { signal: options.signal ?? new AbortController().signal, timeoutMs: options.timeoutMs });
  return record;
}

const routes = () => gh.requests.map((r) => `${r.route} ${r.status}`);
const ours = () => gh.comments('octo', 'shop', 7).filter((c) => c.user?.login === 'github-actions[bot]');

describe('the pull request comment', () => {
  it('writes the first comment: a hidden marker, the summary with its console links, the run', async () => {
    const result = await comment(on(), plan);
    expect(result.warnings).toEqual([]);
    expect(routes()).toEqual(['list 200', 'create 201']);
    expect(gh.requests.every((r) => r.path.startsWith('/api/v3/') && r.token === 'write-token')).toBe(true);
    const [written] = gh.comments('octo', 'shop', 7);
    expect(written.body).toMatch(/^<!-- lambda-managed-instances-scaling-action workflow=Plan\+scaling&job=plan&step=scale -->\n## Lambda Managed Instances scaling: dry run\n/);
    expect(written.body).toContain(plan.markdown);
    expect(written.body).toContain('](https://us-east-1.console.aws.amazon.com/lambda/home?region=us-east-1#/functions/app/versions/7?tab=configure "Lambda console, account 123456789012")');
    expect(written.body).toContain('in [run 4242](https://github.example/octo/shop/actions/runs/4242); updated in place on every run.</sub>\n');
    expect(result.logs).toEqual([`pr-comment: commented on pull request #7: ${written.html_url}`]);
    expect(result.debug).toEqual([
      expect.stringMatching(/^pr-comment: GET http:\/\/127\.0\.0\.1:\d+\/api\/v3\/repos\/octo\/shop\/issues\/7\/comments\?per_page=100 → 200$/),
      expect.stringMatching(/^pr-comment: POST .*\/api\/v3\/repos\/octo\/shop\/issues\/7\/comments → 201$/),
    ]);
  });

  it('updates its comment in place on the next run, next to the comments of others', async () => {
    gh.addComment('octo', 'shop', 7, 'Looks good to me');
    await comment(on(), plan);
    gh.addComment('octo', 'shop', 7, 'One more thing');
    gh.requests.length = 0;
    const next = report([target('7', true), target('8', true)]);
    const result = await comment(on(), next);
    expect(result.warnings).toEqual([]);
    expect(routes()).toEqual(['list 200', 'update 200']);
    expect(ours()).toHaveLength(1);
    expect(ours()[0].body).toContain(next.markdown);
    expect(gh.comments('octo', 'shop', 7).map((c) => c.body!.slice(0, 4))).toEqual(['Look', '<!--', 'One ']);
    expect(result.logs).toEqual([`pr-comment: updated the comment on pull request #7: ${ours()[0].html_url}`]);
  });

  it('finds its comment on a later page, following the Link header, and reads no page after it', async () => {
    for (let i = 0; i < 230; i++) gh.addComment('octo', 'shop', 7, `comment ${i}`);
    await comment(on(), plan);
    for (let i = 0; i < 150; i++) gh.addComment('octo', 'shop', 7, `later ${i}`);
    gh.requests.length = 0;
    const result = await comment(on(), report([target('7', false), target('8', false)]));
    expect(result.warnings).toEqual([]);
    // Ours is the 231st of 381: on page 3 of 4.
    expect(routes()).toEqual(['list 200', 'list 200', 'list 200', 'update 200']);
    expect(gh.requests[1].path).toMatch(/^\/api\/v3\/repositories\/\d+\/issues\/7\/comments\?per_page=100&page=2$/);
    expect(ours()).toHaveLength(1);
  });

  it('makes no update when the body is unchanged', async () => {
    await comment(on(), plan);
    const before = ours()[0].updated_at;
    gh.requests.length = 0;
    const result = await comment(on(), plan);
    expect(routes()).toEqual(['list 200']);
    expect(result.warnings).toEqual([]);
    expect(result.logs).toEqual([`pr-comment: the comment on pull request #7 is up to date: ${ours()[0].html_url}`]);
    expect(ours()[0].updated_at).toBe(before);
  });

  it('keeps one comment per comment-key, side by side, each updated on its own', async () => {
    await comment(on('blue'), plan);
    await comment(on('green'), plan);
    expect(ours().map((c) => c.body!.split('\n').slice(0, 2))).toEqual([
      ['<!-- lambda-managed-instances-scaling-action workflow=Plan+scaling&job=plan&step=scale&key=blue -->', '## Lambda Managed Instances scaling: dry run · blue'],
      ['<!-- lambda-managed-instances-scaling-action workflow=Plan+scaling&job=plan&step=scale&key=green -->', '## Lambda Managed Instances scaling: dry run · green'],
    ]);
    const green = ours()[1].body;
    gh.requests.length = 0;
    await comment(on('blue'), report([target('7', false), target('8', false)]));
    expect(routes()).toEqual(['list 200', 'update 200']);
    expect(gh.requests[1].path).toBe(`/api/v3/repos/octo/shop/issues/comments/${ours()[0].id}`);
    expect(ours()).toHaveLength(2);
    expect(ours()[1].body).toBe(green);
    // Without a key, the step's comment is a third one: the marker is the whole key.
    await comment(on(), plan);
    expect(ours()).toHaveLength(3);
  });

  it("a fork's read-only token: one warning naming the permission and the fork, no throw", async () => {
    const result = await comment(on('', 'read-only-token'), plan);
    expect(routes()).toEqual(['list 200', 'create 403']);
    expect(result.warnings).toEqual([
      {
        title: 'Pull request comment not written',
        message:
          "Could not comment on pull request #7: GitHub answered 403 (Resource not accessible by integration). The token cannot write to the pull request: give the job `permissions: pull-requests: write`. A pull request from a fork gets a read-only token on pull_request events, so there the report stays in the job summary. The step's result is the scaling's.",
      },
    ]);
    expect(result.logs).toEqual([]);
    expect(gh.comments('octo', 'shop', 7)).toEqual([]);
  });

  it('the same warning when the token may not update its earlier comment', async () => {
    await comment(on(), plan);
    const result = await comment(on('', 'read-only-token'), report([target('7', false), target('8', false)]));
    expect(routes()).toEqual(['list 200', 'create 201', 'list 200', 'update 403']);
    expect(result.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^Could not update the comment on pull request #7: GitHub answered 403 .*pull-requests: write/)]);
  });

  it('a 5xx from GitHub (a proxy page, no JSON): one warning, nothing written', async () => {
    gh.fault({ route: 'list', kind: 'error', status: 502, html: true });
    const result = await comment(on(), plan);
    expect(routes()).toEqual(['list 502']);
    expect(result.warnings.map((w) => w.message)).toEqual(["Could not read the comments of pull request #7: GitHub answered 502. GitHub's API failed; the next run writes the comment. The step's result is the scaling's."]);
  });

  it('a 5xx on the update: one warning, the earlier comment stays', async () => {
    await comment(on(), plan);
    gh.fault({ route: 'update', kind: 'error', status: 503, message: 'Service Unavailable' });
    const result = await comment(on(), report([target('7', false), target('8', false)]));
    expect(result.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^Could not update the comment on pull request #7: GitHub answered 503 \(Service Unavailable\)\. GitHub's API failed/)]);
    expect(ours()[0].body).toContain(plan.markdown);
  });

  it('cuts an oversized body to the limit: the headline and the changed rows stay, a line counts the rest', async () => {
    // 700 targets, every tenth one changing: some 130,000 characters of table.
    const many = report(Array.from({ length: 700 }, (_, i) => target(String(i + 1), i % 10 === 0)));
    expect(many.markdown.length).toBeGreaterThan(2 * MAX_BODY);
    const result = await comment(on(), many);
    expect(result.warnings).toEqual([]);
    expect(routes()).toEqual(['list 200', 'create 201']);
    const body = ours()[0].body!;
    expect(body.length).toBeLessThanOrEqual(MAX_BODY);
    expect(body).toContain('🔍 Dry run in us-east-1, nothing was changed: 70 of 700 targets would change to 2/6.');
    const rows = body.split('\n').filter((l) => l.startsWith('| app |'));
    expect(rows).toHaveLength(70);
    expect(rows.every((r) => r.includes('1/1 → 2/6'))).toBe(true);
    expect(body).toContain("_630 of 700 rows (none with a change) left out to keep within GitHub's comment size: everything is in [the run's summary](https://github.example/octo/shop/actions/runs/4242)._");
  });

  it('the stand-in holds bodies to GitHub\'s limit, in code points: the cut is what lets the comment through', async () => {
    const octokit = getOctokit('write-token', { baseUrl: gh.url });
    const create = (body: string) => octokit.rest.issues.createComment({ owner: 'octo', repo: 'shop', issue_number: 7, body });
    await expect(create('🔍'.repeat(MAX_BODY + 1))).rejects.toMatchObject({ status: 422, message: expect.stringContaining('Body is too long (maximum is 65536 characters)') });
    await expect(create('🔍'.repeat(MAX_BODY))).resolves.toMatchObject({ status: 201 });
  });

  it('on any other event, one log line and no request', async () => {
    const result = await comment(on(), plan, context({ eventName: 'push', payload: {} }));
    expect(result.logs).toEqual(['pr-comment: the event push has no pull request to comment on; comments are written on pull_request and pull_request_target events.']);
    expect(result.warnings).toEqual([]);
    expect(gh.requests).toEqual([]);
  });

  it('comments on pull_request_target events too', async () => {
    const result = await comment(on(), plan, context({ eventName: 'pull_request_target' }));
    expect(result.warnings).toEqual([]);
    expect(ours()).toHaveLength(1);
  });

  it('an empty github-token (a secret, on a fork): one warning, no request', async () => {
    const result = await comment(on('', ''), plan);
    expect(result.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^Could not comment on pull request #7: github-token is empty\. .*permissions: pull-requests: write/)]);
    expect(gh.requests).toEqual([]);
  });

  it('a token GitHub does not know: 401, one warning about the token', async () => {
    const result = await comment(on('', 'expired'), plan);
    expect(routes()).toEqual(['list 401']);
    expect(result.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/GitHub answered 401 \(Bad credentials\)\. GitHub refused the token: check the github-token input/)]);
  });

  it("a used-up rate limit is a rate limit, not a permission", async () => {
    gh.fault({ route: 'list', kind: 'error', status: 403, message: 'API rate limit exceeded for installation ID 1.', headers: { 'x-ratelimit-remaining': '0' } });
    const result = await comment(on(), plan);
    expect(result.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/GitHub answered 403 \(API rate limit exceeded for installation ID 1\.\)\. The token's API rate limit is used up/)]);
  });

  it('an API that never answers, on a later page too: one warning once the time is up', async () => {
    for (let i = 0; i < 120; i++) gh.addComment('octo', 'shop', 7, `comment ${i}`);
    gh.fault({ route: 'list', kind: 'hang', after: 1 });
    const result = await comment(on(), plan, context(), { timeoutMs: 300 });
    expect(routes()).toEqual(['list 200', 'list hang']);
    expect(result.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^Could not read the comments of pull request #7: no answer from GitHub's API at http:\/\/127\.0\.0\.1:\d+\/api\/v3 \(no answer within 0\.3 s\)\. Check that the runner can reach the API/)]);
  });

  it('nothing listening at GITHUB_API_URL: one warning naming the URL', async () => {
    const port = await freePort();
    const result = await comment(on(), plan, context({ apiUrl: `http://127.0.0.1:${port}/api/v3` }));
    expect(result.warnings.map((w) => w.message)).toEqual([expect.stringContaining(`no answer from GitHub's API at http://127.0.0.1:${port}/api/v3 (`)]);
  });

  it('a cancel while GitHub hangs ends the comment at once, with a log line rather than a warning', async () => {
    gh.fault({ route: 'list', kind: 'hang' });
    const cancel = new AbortController();
    const done = comment(on(), plan, context(), { signal: cancel.signal });
    while (!gh.requests.length) await new Promise((resolve) => setTimeout(resolve, 5));
    cancel.abort();
    const result = await done;
    expect(result.warnings).toEqual([]);
    expect(result.logs).toEqual(['pr-comment: the job was cancelled; the comment on pull request #7 may not be written.']);
  });

  it('after a cancel, makes no request', async () => {
    const cancel = new AbortController();
    cancel.abort();
    const result = await comment(on(), plan, context(), { signal: cancel.signal });
    expect(result.logs).toEqual(['pr-comment: the job was cancelled; the comment on pull request #7 is not written.']);
    expect(gh.requests).toEqual([]);
  });
});

describe('the pull request comment in a run', () => {
  const fixture = emulatorPerTest({ publishMs: 1000, activateMs: 2000, deactivateMs: 1000, resizeMs: 1000 });
  const inputs = (extra: Record<string, string>) => ({ 'function-name': 'app', qualifier: '7', 'min-execution-environments': '2', 'max-execution-environments': '6', 'dry-run': 'true', ...extra });

  it('comments the job summary once the Lambda work is done', async () => {
    fixture.emu.addFunction({ name: 'app', versions: { '7': { applied: { min: 1, max: 1 } } } });
    const { runFlow } = await import('../support/flow.js');
    const result = await runFlow(fixture.emu.url, inputs({ 'pr-comment': 'true', 'github-token': 'write-token' }), { clock: fixture.clock, github: context() });
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([]);
    expect(ours()[0].body).toContain(result.summary);
    expect(result.logs.at(-1)).toBe(`pr-comment: commented on pull request #7: ${ours()[0].html_url}`);
  });

  it('a failed comment is a warning, and the step succeeds', async () => {
    fixture.emu.addFunction({ name: 'app', versions: { '7': {} } });
    const { runFlow } = await import('../support/flow.js');
    const result = await runFlow(fixture.emu.url, inputs({ 'pr-comment': 'true', 'github-token': 'read-only-token' }), { clock: fixture.clock, github: context() });
    expect(result.ok).toBe(true);
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => w.title)).toEqual(['Pull request comment not written']);
  });

  it('makes no request to GitHub without pr-comment', async () => {
    fixture.emu.addFunction({ name: 'app', versions: { '7': {} } });
    const { runFlow } = await import('../support/flow.js');
    const result = await runFlow(fixture.emu.url, inputs({ 'github-token': 'write-token' }), { clock: fixture.clock, github: context() });
    expect(result.ok).toBe(true);
    expect(gh.requests).toEqual([]);
    expect(result.logs.some((l) => l.startsWith('pr-comment'))).toBe(false);
  });

  it('refuses a pr-comment that is not a boolean before any request', async () => {
    const { runFlow } = await import('../support/flow.js');
    const result = await runFlow(fixture.emu.url, inputs({ 'pr-comment': 'yes' }), { clock: fixture.clock, github: context() });
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([{ title: 'Invalid input: pr-comment', message: 'pr-comment "yes" is not a boolean. Use true or false.' }]);
    expect(fixture.emu.requests).toEqual([]);
    expect(gh.requests).toEqual([]);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
