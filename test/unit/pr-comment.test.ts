import { buildPlanSummary } from '../../src/plan-summary.js';
import {
  commentAction,
  commentBody,
  commentMarker,
  commentWarning,
  findOwnComment,
  MAX_COMMENT_LENGTH,
  noPullRequestLine,
  parsePrCommentInputs,
  pullRequestNumber,
  type CommentContext,
} from '../../src/pr-comment.js';
import type { TargetProgress } from '../../src/scale-target.js';
import { buildSummary } from '../../src/summary.js';
import { withDefaults } from '../support/run-action.js';
import { planTarget } from '../support/pr-comment-fixture.js';

const ctx: CommentContext = {
  eventName: 'pull_request',
  payload: { pull_request: { number: 7 } },
  owner: 'octo',
  repo: 'shop',
  workflow: 'Plan',
  job: 'plan',
  step: 'scale',
  runId: 42,
  serverUrl: 'https://github.com',
  apiUrl: 'https://api.github.com',
};

describe('parsePrCommentInputs', () => {
  const read = (values: Record<string, string>) => (name: string) => withDefaults(values)[name] ?? '';

  it("is off by default, with action.yml's token and no key", () => {
    expect(parsePrCommentInputs(read({}))).toEqual({ enabled: false, token: '${{ github.token }}', key: '' });
  });

  it('reads the three inputs, trimmed', () => {
    expect(parsePrCommentInputs(read({ 'pr-comment': 'True', 'github-token': ' ghs_x ', 'comment-key': ' blue ' }))).toEqual({ enabled: true, token: 'ghs_x', key: 'blue' });
    expect(parsePrCommentInputs(read({ 'pr-comment': 'FALSE' })).enabled).toBe(false);
  });

  it('refuses a pr-comment that is not a boolean', () => {
    expect(() => parsePrCommentInputs(read({ 'pr-comment': 'yes' }))).toThrow(expect.objectContaining({ input: 'pr-comment', message: 'pr-comment "yes" is not a boolean. Use true or false.' }));
    expect(() => parsePrCommentInputs(read({ 'pr-comment': '' }))).toThrow(expect.objectContaining({ input: 'pr-comment' }));
  });
});

describe('pullRequestNumber', () => {
  it('is the pull request of pull_request and pull_request_target events only', () => {
    const payload = { pull_request: { number: 12 } };
    expect(pullRequestNumber({ eventName: 'pull_request', payload })).toBe(12);
    expect(pullRequestNumber({ eventName: 'pull_request_target', payload })).toBe(12);
    expect(pullRequestNumber({ eventName: 'pull_request_review', payload })).toBeUndefined();
    expect(pullRequestNumber({ eventName: 'push', payload: {} })).toBeUndefined();
    expect(pullRequestNumber({ eventName: 'pull_request', payload: {} })).toBeUndefined();
  });

  it('says why there is no comment', () => {
    expect(noPullRequestLine('workflow_dispatch')).toBe('pr-comment: the event workflow_dispatch has no pull request to comment on; comments are written on pull_request and pull_request_target events.');
    expect(noPullRequestLine('')).toMatch(/^pr-comment: the event \(none\) has no pull request/);
  });
});

describe('commentMarker', () => {
  it('keys the comment by workflow, job, step and comment-key', () => {
    expect(commentMarker(ctx, '')).toBe('<!-- lambda-managed-instances-scaling-action workflow=Plan&job=plan&step=scale -->');
    expect(commentMarker(ctx, 'eu west')).toBe('<!-- lambda-managed-instances-scaling-action workflow=Plan&job=plan&step=scale&key=eu+west -->');
    const markers = [commentMarker(ctx, ''), commentMarker(ctx, 'a'), commentMarker({ ...ctx, workflow: 'Other' }, ''), commentMarker({ ...ctx, job: 'other' }, ''), commentMarker({ ...ctx, step: '__octo_action_2' }, '')];
    expect(new Set(markers).size).toBe(markers.length);
  });

  it('cannot be closed early by a value: > is encoded', () => {
    const marker = commentMarker({ ...ctx, workflow: 'a --> b' }, '--!> <!--');
    expect(marker.indexOf('>')).toBe(marker.length - 1);
    expect(marker).toContain('workflow=a+--%3E+b');
  });
});

describe('findOwnComment', () => {
  const marker = commentMarker(ctx, '');
  it('is the first comment that starts with the marker line', () => {
    const comments = [
      { id: 1, body: 'Nice plan' },
      { id: 2, body: `Quoting: ${marker}\nhello` },
      { id: 3, body: `${commentMarker(ctx, 'blue')}\n## plan` },
      { id: 4, body: `${marker}\n## plan` },
      { id: 5, body: `${marker}\n## again` },
    ];
    expect(findOwnComment(comments, marker)?.id).toBe(4);
    expect(findOwnComment(comments, commentMarker(ctx, 'blue'))?.id).toBe(3);
    expect(findOwnComment([{ id: 6, body: null }, { id: 7 }, { id: 8, body: `${marker}x\n` }], marker)).toBeUndefined();
    expect(findOwnComment([{ id: 9, body: `${marker}\r\n## edited on github.com` }], marker)?.id).toBe(9);
    expect(findOwnComment([{ id: 10, body: marker }], marker)?.id).toBe(10);
  });
});

describe('commentAction', () => {
  it('creates, updates, or leaves an unchanged body', () => {
    expect(commentAction(undefined, 'b')).toEqual({ kind: 'create' });
    expect(commentAction({ id: 3, body: 'a' }, 'b')).toEqual({ kind: 'update', id: 3 });
    expect(commentAction({ id: 3, body: 'b' }, 'b')).toEqual({ kind: 'unchanged', id: 3 });
  });
});

const target = planTarget;
const planOf = (progress: TargetProgress[]) => ({ markdown: buildPlanSummary(progress, { wait: true }), progress });

describe('commentBody', () => {
  it('is the marker, the whole summary and a line naming the workflow, job and step with the run', () => {
    const report = planOf([target('7', true)]);
    expect(commentBody(report, ctx, '')).toBe(
      `${commentMarker(ctx, '')}\n${report.markdown}\n<sub>Written by workflow “Plan”, job “plan”, step “scale” in [run 42](https://github.com/octo/shop/actions/runs/42); updated in place on every run.</sub>\n`,
    );
  });

  it('puts the comment-key in the heading and the line, as text', () => {
    const body = commentBody(planOf([target('7', true)]), { ...ctx, workflow: 'Plan *all*' }, 'eu_west|1');
    expect(commentBody(planOf([target('7', true)]), ctx, 'two\nlines').split('\n')[1]).toBe('## Lambda Managed Instances scaling: dry run · two lines');
    expect(body.split('\n')[1]).toBe('## Lambda Managed Instances scaling: dry run · eu\\_west\\|1');
    expect(body).toContain('<sub>Written by workflow “Plan \\*all\\*”, job “plan”, step “scale”, key “eu\\_west\\|1” in [run 42]');
  });

  it('is whole up to the limit, cut past it', () => {
    const report = planOf([target('7', true), target('8', false)]);
    const whole = commentBody(report, ctx, '');
    expect(commentBody(report, ctx, '', whole.length)).toBe(whole);
    expect(commentBody(report, ctx, '', whole.length - 1)).not.toBe(whole);
    expect(commentBody(report, ctx, '', whole.length - 1).length).toBeLessThanOrEqual(whole.length - 1);
  });

  describe('past the limit', () => {
    const progress = Array.from({ length: 40 }, (_, i) => target(String(i + 1), i % 4 === 0));
    const report = planOf(progress);
    const rows = (body: string) => body.split('\n').filter((l) => l.startsWith('| app |'));

    it('keeps the heading, the headline, the table header and the rows with a change, and says what is left out', () => {
      const limit = commentBody(report, ctx, '').length - 100;
      const body = commentBody(report, ctx, '', limit);
      expect(body.length).toBeLessThanOrEqual(limit);
      const lines = body.split('\n');
      expect(lines.slice(0, 6)).toEqual([
        commentMarker(ctx, ''),
        '## Lambda Managed Instances scaling: dry run',
        '',
        '🔍 Dry run in us-east-1, nothing was changed: 10 of 40 targets would change to 2/6.',
        '',
        '| Function | Qualifier | Version | State | Current → requested |',
      ]);
      expect(rows(body).map((r) => r.split(' | ')[1])).toEqual(['1', '5', '9', '13', '17', '21', '25', '29', '33', '37']);
      expect(body).toContain("\n\n_30 of 40 rows (none with a change) left out to keep within GitHub's comment size: everything is in [the run's summary](https://github.com/octo/shop/actions/runs/42)._\n");
      expect(body.endsWith('updated in place on every run.</sub>\n')).toBe(true);
    });

    it('keeps a failed row as a row with a change', () => {
      const failing = planOf(progress.map((p, i) => (i === 2 ? { ...p, changed: undefined, error: { title: 'ResourceNotFoundException: app:3', message: 'Function not found.' } } : p)));
      const body = commentBody(failing, ctx, '', commentBody(failing, ctx, '').length - 100);
      expect(rows(body).map((r) => r.split(' | ')[1])).toEqual(['1', '3', '5', '9', '13', '17', '21', '25', '29', '33', '37']);
      expect(body).toContain('\n### Errors\n\n- **ResourceNotFoundException: app:3**: Function not found.\n');
    });

    it('cuts rows with a change from the end when they do not all fit, and counts them', () => {
      const all = planOf(Array.from({ length: 40 }, (_, i) => target(String(i + 1), true)));
      const limit = 2000;
      const body = commentBody(all, ctx, '', limit);
      expect(body.length).toBeLessThanOrEqual(limit);
      const kept = rows(body);
      expect(kept.length).toBeGreaterThan(0);
      expect(kept.map((r) => r.split(' | ')[1])).toEqual(kept.map((_, i) => String(i + 1)));
      expect(body).toContain(`_${40 - kept.length} of 40 rows (${40 - kept.length} of them with a change or an error) left out`);
    });

    it('leaves out the sections that do not fit, the states seen before the errors, and names them', () => {
      const states = Array.from({ length: 30 }, (_, i) => ({ state: i % 2 ? 'Active' : 'Pending', atMs: i * 1000 }));
      const real = progress.map((p, i) => ({ ...p, states, waitedMs: 31_000, ...(i === 1 ? { error: { title: 'Timed out: app:2', message: 'Still Pending.' } } : {}) }));
      const markdown = buildSummary(real, { wait: true, startedAtEpochMs: 0 });
      expect(markdown.indexOf('### States seen')).toBeLessThan(markdown.indexOf('### Errors'));
      const body = commentBody({ markdown, progress: real }, ctx, '', markdown.length - 10_000);
      expect(body).not.toContain('### States seen');
      expect(body).not.toContain('```mermaid');
      expect(body).toContain('_\n\n### Errors\n\n- **Timed out: app:2**: Still Pending.\n\n<sub>');
      expect(body).toContain('_29 of 40 rows (none with a change) and the section States seen left out');
    });

    it('keeps the sections that fit in their order, after the note', () => {
      const real = progress.map((p, i) => ({ ...p, states: [{ state: 'Active', atMs: 500 }], waitedMs: 600, ...(i === 1 ? { error: { title: 'Timed out: app:2', message: 'Still Pending.' } } : {}) }));
      const markdown = buildSummary(real, { wait: true, startedAtEpochMs: 0 });
      const body = commentBody({ markdown, progress: real }, ctx, '', commentBody({ markdown, progress: real }, ctx, '').length - 500);
      expect(body).toMatch(/_\d+ of 40 rows \(none with a change\) left out[^\n]*_\n\n### States seen\n[\s\S]*\n```\n\n### Errors\n/);
    });

    it('keeps the warnings rather than the states seen when either fits but not both', () => {
      const states = Array.from({ length: 10 }, (_, i) => ({ state: i % 2 ? 'Active' : 'Pending', atMs: i * 1000 }));
      const real = [target('1', true, { states, warning: { title: 'Last update failed: app:1', message: 'x'.repeat(500) } })];
      const markdown = buildSummary(real, { wait: true, startedAtEpochMs: 0 });
      const size = (from: string, to?: string) => (to ? markdown.indexOf(to) : markdown.length) - markdown.indexOf(from);
      expect(Math.abs(size('### States seen', '### Warnings') - size('### Warnings'))).toBeLessThan(100);
      const body = commentBody({ markdown, progress: real }, ctx, '', commentBody({ markdown, progress: real }, ctx, '').length - 100);
      expect(body).toContain('### Warnings');
      expect(body).toContain('_The section States seen left out');
    });

    it('names every section it leaves out, in their order, and the rows only when some are', () => {
      const states = Array.from({ length: 30 }, (_, i) => ({ state: i % 2 ? 'Active' : 'Pending', atMs: i * 1000 }));
      const real = [target('1', true, { states, warning: { title: 'Last update failed: app:1', message: 'x'.repeat(100) } })];
      const markdown = buildSummary(real, { wait: true, startedAtEpochMs: 0 });
      const whole = commentBody({ markdown, progress: real }, ctx, '').length;
      const statesOnly = commentBody({ markdown, progress: real }, ctx, '', whole - 300);
      expect(rows(statesOnly)).toHaveLength(1);
      expect(statesOnly).toContain("_The section States seen left out to keep within GitHub's comment size");
      expect(statesOnly).toContain(`_\n\n### Warnings\n\n- **Last update failed: app:1**: ${'x'.repeat(100)}\n\n<sub>`);
      const both = commentBody({ markdown, progress: real }, ctx, '', statesOnly.length - 50);
      expect(rows(both)).toHaveLength(1);
      expect(both).toContain("_The sections States seen, Warnings left out to keep within GitHub's comment size");
    });

    it('keeps a body of hundreds of rows within GitHub\'s limit', () => {
      const many = planOf(Array.from({ length: 1500 }, (_, i) => target(String(i + 1), i % 3 === 0)));
      const body = commentBody(many, ctx, 'a-key');
      expect(many.markdown.length).toBeGreaterThan(MAX_COMMENT_LENGTH);
      expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
      expect(body.length).toBeGreaterThan(MAX_COMMENT_LENGTH - 1000);
      expect(body).toMatch(/_\d+ of 1500 rows \(\d+ of them with a change or an error\) left out/);
    });
  });
});

describe('commentWarning', () => {
  const api = 'https://ghes.example/api/v3';
  const message = (failure: Parameters<typeof commentWarning>[0]) => commentWarning(failure, 7, api).message;

  it('has one title for every failure', () => {
    expect(commentWarning({ operation: 'list', status: 500, message: '' }, 7, api).title).toBe('Pull request comment not written');
  });

  it('names the request that failed', () => {
    expect(message({ operation: 'list', status: 502, message: '' })).toMatch(/^Could not read the comments of pull request #7: GitHub answered 502\. /);
    expect(message({ operation: 'create', status: 502, message: 'Bad Gateway' })).toMatch(/^Could not comment on pull request #7: GitHub answered 502 \(Bad Gateway\)\. /);
    expect(message({ operation: 'update', status: 502, message: '' })).toMatch(/^Could not update the comment on pull request #7: /);
  });

  it('names the permission for 403 and 404, and the fork', () => {
    for (const status of [403, 404]) {
      expect(message({ operation: 'create', status, message: 'Not Found' })).toContain('give the job `permissions: pull-requests: write`. A pull request from a fork gets a read-only token');
    }
  });

  it('tells a rate limit, a refused token, a failing API, no answer and anything else apart', () => {
    expect(message({ operation: 'list', status: 403, message: 'API rate limit exceeded', rateLimited: true })).toContain("The token's API rate limit is used up; the next run writes the comment.");
    expect(message({ operation: 'list', status: 401, message: 'Bad credentials' })).toContain('GitHub refused the token: check the github-token input');
    expect(message({ operation: 'list', status: 503, message: '' })).toContain("GitHub's API failed; the next run writes the comment.");
    expect(message({ operation: 'list', message: 'connect ECONNREFUSED 10.0.0.1:443' })).toBe(
      "Could not read the comments of pull request #7: no answer from GitHub's API at https://ghes.example/api/v3 (connect ECONNREFUSED 10.0.0.1:443). Check that the runner can reach the API (on GitHub Enterprise Server the runner sets GITHUB_API_URL); the next run writes the comment. The step's result is the scaling's.",
    );
    expect(message({ operation: 'create', status: 422, message: 'Validation Failed' })).toBe("Could not comment on pull request #7: GitHub answered 422 (Validation Failed). The comment was not written. The step's result is the scaling's.");
  });
});
