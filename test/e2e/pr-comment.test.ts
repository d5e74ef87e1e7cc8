import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../emulator/server.js';
import { startGitHubStandIn, type GitHubStandIn } from '../github-stand-in/server.js';
import { emulatorEnv } from '../support/aws-env.js';
import { runAction } from '../support/run-action.js';

// The built bundle on a pull_request event, as the runner runs it: Lambda is the emulator, GitHub's API the
// stand-in, served under /api/v3 as GitHub Enterprise Server does, reached through GITHUB_API_URL.
let emu: Emulator;
let gh: GitHubStandIn;
let eventDir: string;
beforeEach(async () => {
  emu = await startEmulator({ timings: { publishMs: 1000, activateMs: 1000, deactivateMs: 800, resizeMs: 800 } });
  gh = await startGitHubStandIn({ prefix: '/api/v3' });
  gh.addPullRequest('octo', 'shop', 7);
  eventDir = mkdtempSync(join(tmpdir(), 'event-'));
});
afterEach(async () => {
  rmSync(eventDir, { recursive: true, force: true });
  await Promise.all([emu.close(), gh.close()]);
});

/** The variables the runner sets for a step with id `scale` of job `plan`, on this event. */
function runnerEnv(eventName: string, payload: object): Record<string, string> {
  const eventPath = join(eventDir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(payload));
  return {
    ...emulatorEnv(emu.url),
    GITHUB_API_URL: gh.url,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'octo/shop',
    GITHUB_RUN_ID: '4242',
    GITHUB_WORKFLOW: 'Plan scaling',
    GITHUB_JOB: 'plan',
    GITHUB_ACTION: 'scale',
  };
}
const pullRequest = { number: 7, pull_request: { number: 7, html_url: 'https://github.example/octo/shop/pull/7' }, repository: { name: 'shop', owner: { login: 'octo' } } };

const inputs = (extra: Record<string, string>) => ({
  'function-name': 'app',
  qualifier: 'live',
  'min-execution-environments': '2',
  'max-execution-environments': '6',
  'pr-comment': 'true',
  'github-token': 'write-token',
  ...extra,
});
const comments = () => gh.comments('octo', 'shop', 7);

describe('the bundled action with pr-comment', () => {
  it('comments the dry run on the pull request, then updates the comment with the real run', async () => {
    emu.addFunction({ name: 'app', versions: { '3': { applied: { min: 1, max: 1 } } }, aliases: { live: { version: '3' } } });
    const planned = await runAction(inputs({ 'dry-run': 'true' }), runnerEnv('pull_request', pullRequest));
    expect(planned.errors).toEqual([]);
    expect(planned.warnings).toEqual([]);
    expect(planned.code).toBe(0);
    expect(comments()).toHaveLength(1);
    const [plan] = comments();
    expect(plan.body).toMatch(/^<!-- lambda-managed-instances-scaling-action workflow=Plan\+scaling&job=plan&step=scale -->\n## Lambda Managed Instances scaling: dry run\n/);
    expect(plan.body).toContain(planned.summary.trimEnd());
    expect(plan.body).toContain('[Workflow run 4242](https://github.example/octo/shop/actions/runs/4242) · [Pull request #7](https://github.example/octo/shop/pull/7)');
    expect(plan.body).toContain('| app | live | [3](https://us-east-1.console.aws.amazon.com/lambda/home?region=us-east-1#/functions/app/versions/3?tab=configure "Lambda console, account 123456789012") | Active | 1/1 → 2/6 |');
    expect(planned.stdout).toContain(`pr-comment: commented on pull request #7: ${plan.html_url}`);
    expect(gh.requests.every((r) => r.token === 'write-token')).toBe(true);
    expect(planned.stdout + planned.stderr).not.toContain('write-token');
    // No request to GitHub before the Lambda work has ended.
    expect(Math.min(...gh.requests.map((r) => r.at))).toBeGreaterThanOrEqual(Math.max(...emu.requests.map((r) => r.at)));

    gh.requests.length = 0;
    const applied = await runAction(inputs({}), runnerEnv('pull_request', pullRequest));
    expect(applied.code).toBe(0);
    expect(applied.warnings).toEqual([]);
    expect(gh.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 200', 'PATCH 200']);
    expect(comments()).toHaveLength(1);
    expect(comments()[0].body).toContain('## Lambda Managed Instances scaling\n\n✅ 1 target in effect with 2/6 in us-east-1.');
    expect(comments()[0].body).toContain(applied.summary.trimEnd());
    expect(emu.inspect('app', '3')).toMatchObject({ state: 'Active', applied: { min: 2, max: 6 } });
  });

  it("with a fork's read-only token: one warning, and the step's result is the scaling's", async () => {
    emu.addFunction({ name: 'app', versions: { '3': {} }, aliases: { live: { version: '3' } } });
    const run = await runAction(inputs({ 'github-token': 'read-only-token' }), runnerEnv('pull_request', pullRequest));
    expect(run.code).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.warnings).toEqual([{ title: 'Pull request comment not written', message: expect.stringContaining('GitHub answered 403 (Resource not accessible by integration). The token cannot write to the pull request: give the job `permissions: pull-requests: write`.') }]);
    expect(run.outputs).toMatchObject({ 'function-state': 'Active', changed: 'true', version: '3' });
    expect(run.summary).toContain('✅ 1 target in effect with 2/6');
    expect(comments()).toEqual([]);
  });

  it('on a push, one log line and no request to GitHub', async () => {
    emu.addFunction({ name: 'app', versions: { '3': {} }, aliases: { live: { version: '3' } } });
    const run = await runAction(inputs({ 'dry-run': 'true' }), runnerEnv('push', { ref: 'refs/heads/main' }));
    expect(run.code).toBe(0);
    expect(run.warnings).toEqual([]);
    expect(run.stdout).toContain('pr-comment: the event push has no pull request to comment on; comments are written on pull_request and pull_request_target events.');
    expect(gh.requests).toEqual([]);
  });
});
