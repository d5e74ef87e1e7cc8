/**
 * The pull request comment (`pr-comment: true`), its pure part: the inputs, the hidden marker that finds the
 * step's own comment again, the body (the job summary's markdown, cut to GitHub's size limit), whether to
 * create, update or leave it, and the warning for each way GitHub can refuse. pr-comment-client.ts does the I/O.
 */
import type { Annotation } from './errors.js';
import { InputError } from './input-values.js';
import type { InputReader } from './inputs.js';
import type { TargetProgress } from './scale-target.js';

export interface PrCommentInputs {
  enabled: boolean;
  token: string;
  /** Extends the marker's key, so that matrix jobs or several steps of a job each keep their own comment. */
  key: string;
}

/** Parses `pr-comment`, `github-token` and `comment-key`; throws InputError on a bad one. */
export function parsePrCommentInputs(read: InputReader): PrCommentInputs {
  const value = read('pr-comment').trim();
  const enabled = ['true', 'True', 'TRUE'].includes(value);
  if (!enabled && !['false', 'False', 'FALSE'].includes(value)) {
    throw new InputError('pr-comment', `pr-comment "${value}" is not a boolean. Use true or false.`);
  }
  return { enabled, token: read('github-token').trim(), key: read('comment-key').trim() };
}

/** What the run hands over once the job summary is written. */
export interface RunReport {
  /** The job summary's markdown: one table row per target, in the order of `progress`. */
  markdown: string;
  progress: Pick<TargetProgress, 'changed' | 'error'>[];
}

/** Where the comment goes and whose it is: the runner's GITHUB_* variables, as @actions/github's context has them. */
export interface CommentContext {
  eventName: string;
  payload: { pull_request?: { number?: number } };
  owner: string;
  repo: string;
  workflow: string;
  job: string;
  /** GITHUB_ACTION: the step's id, or `__owner_repo` (with `_2`, `_3`… for later uses in the job). */
  step: string;
  runId: number;
  serverUrl: string;
  apiUrl: string;
}

const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'];

/** The pull request of the event, or undefined for any other event. */
export function pullRequestNumber(ctx: Pick<CommentContext, 'eventName' | 'payload'>): number | undefined {
  return PULL_REQUEST_EVENTS.includes(ctx.eventName) ? ctx.payload.pull_request?.number : undefined;
}

export function noPullRequestLine(eventName: string): string {
  return `pr-comment: the event ${eventName || '(none)'} has no pull request to comment on; comments are written on ${PULL_REQUEST_EVENTS.join(' and ')} events.`;
}

/**
 * The hidden first line of the step's comment, keyed by workflow, job, step and comment-key. The values are
 * URL-encoded, so that none can close the HTML comment (`>` becomes %3E).
 */
export function commentMarker(ctx: Pick<CommentContext, 'workflow' | 'job' | 'step'>, key: string): string {
  const id = new URLSearchParams({ workflow: ctx.workflow, job: ctx.job, step: ctx.step, ...(key ? { key } : {}) });
  return `<!-- lambda-managed-instances-scaling-action ${id} -->`;
}

/** The step's own comment: the first whose first line is its marker (a comment edited on github.com has CRLFs). */
export function findOwnComment<C extends { body?: string | null }>(comments: C[], marker: string): C | undefined {
  return comments.find((c) => c.body?.split(/\r?\n/, 1)[0] === marker);
}

export type CommentAction = { kind: 'create' } | { kind: 'update'; id: number } | { kind: 'unchanged'; id: number };

/** Create the comment, update it in place, or leave it when its body is already this one. */
export function commentAction(existing: { id: number; body?: string | null } | undefined, body: string): CommentAction {
  if (!existing) return { kind: 'create' };
  return existing.body === body ? { kind: 'unchanged', id: existing.id } : { kind: 'update', id: existing.id };
}

/** GitHub refuses a comment body of more than 65,536 characters (it counts code points; a JS length is never fewer). */
export const MAX_COMMENT_LENGTH = 65_536;

export function runUrl(ctx: Pick<CommentContext, 'serverUrl' | 'owner' | 'repo' | 'runId'>): string {
  return `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/actions/runs/${ctx.runId}`;
}

/**
 * The comment: the marker, the job summary (its heading carrying the comment-key) and a line naming the
 * workflow, job and step with a link to the run. Past `limit`, it keeps the heading, the headline and the
 * table's rows with a change (or an error) as far as they fit, then the sections after the table that
 * still fit, errors and warnings first; a line says what was left out and links to the run, whose
 * summary has it all.
 */
export function commentBody(report: RunReport, ctx: CommentContext, key: string, limit = MAX_COMMENT_LENGTH): string {
  const url = runUrl(ctx);
  const lines = report.markdown.replace(/\n+$/, '').split('\n');
  if (key && lines[0]?.startsWith('#')) lines[0] += ` · ${escapeMarkdown(key)}`;
  const from = [`workflow “${escapeMarkdown(ctx.workflow)}”`, `job “${escapeMarkdown(ctx.job)}”`, `step “${escapeMarkdown(ctx.step)}”`, ...(key ? [`key “${escapeMarkdown(key)}”`] : [])];
  const footer = ['', `<sub>Written by ${from.join(', ')} in [run ${ctx.runId}](${url}); updated in place on every run.</sub>`];
  const marker = commentMarker(ctx, key);
  const whole = [marker, ...lines, ...footer].join('\n') + '\n';
  if (whole.length <= limit) return whole;
  return cutBody(marker, lines, footer, report.progress, url, limit);
}

function cutBody(marker: string, lines: string[], footer: string[], progress: RunReport['progress'], url: string, limit: number): string {
  const start = Math.max(0, lines.findIndex((l) => l.startsWith('|')));
  let end = start;
  while (end < lines.length && lines[end].startsWith('|')) end++;
  // The heading, the headline, the links and the table's header and separator.
  const head = lines.slice(0, Math.min(end, start + 2));
  const rows = lines.slice(start + 2, end).map((line, i) => ({ line, change: progress[i]?.changed === true || progress[i]?.error !== undefined }));
  const sections = splitSections(lines.slice(end));
  const size = (parts: string[]) => parts.reduce((n, l) => n + l.length + 1, 0);
  const note = (left: number, changedLeft: number, dropped: string[]) => {
    const which = changedLeft ? `${changedLeft} of them with a change or an error` : 'none with a change';
    const what = [left ? `${left} of ${rows.length} rows (${which})` : '', dropped.length ? `the section${dropped.length > 1 ? 's' : ''} ${dropped.join(', ')}` : ''];
    const text = what.filter(Boolean).join(' and ');
    return ['', `_${text[0].toUpperCase()}${text.slice(1)} left out to keep within GitHub's comment size: everything is in [the run's summary](${url})._`];
  };

  // The longest note there can be is reserved; then the rows with a change in table order, then whole
  // sections, the errors and warnings first.
  let used = size([marker, ...head, ...footer]) + size(note(rows.length, rows.length, sections.map((s) => s.name)));
  const kept = new Set<(typeof rows)[number]>();
  for (const row of rows.filter((r) => r.change)) {
    if (used + size([row.line]) > limit) break;
    kept.add(row);
    used += size([row.line]);
  }
  const keptSections: typeof sections = [];
  for (const section of [...sections].sort((a, b) => Number(FIRST_KEPT.includes(b.name)) - Number(FIRST_KEPT.includes(a.name)))) {
    if (used + size(section.lines) > limit) continue;
    keptSections.push(section);
    used += size(section.lines);
  }
  const dropped = sections.filter((s) => !keptSections.includes(s)).map((s) => s.name);
  keptSections.sort((a, b) => sections.indexOf(a) - sections.indexOf(b));
  const changedLeft = rows.filter((r) => r.change && !kept.has(r)).length;
  const table = rows.filter((r) => kept.has(r)).map((r) => r.line);
  return [marker, ...head, ...table, ...note(rows.length - kept.size, changedLeft, dropped), ...keptSections.flatMap((s) => s.lines), ...footer].join('\n') + '\n';
}

/** What went wrong is kept before the states seen (the summary's annotation sections, summary.ts). */
const FIRST_KEPT = ['Errors', 'Warnings'];

/** The parts after the table, by heading; each keeps the blank line before its heading. */
function splitSections(tail: string[]): { name: string; lines: string[] }[] {
  const isHeading = (line: string) => /^#+\s/.test(line);
  const starts = tail.flatMap((line, i) => (isHeading(line) ? [i > 0 && tail[i - 1] === '' ? i - 1 : i] : []));
  if (starts[0] !== 0) starts.unshift(0);
  return starts
    .map((from, k) => tail.slice(from, starts[k + 1]))
    .filter((lines) => lines.some((l) => l.trim()))
    .map((lines) => ({ name: lines.find(isHeading)?.replace(/^#+\s+/, '') ?? 'after the table', lines }));
}

/** A value as plain text on one line of markdown. */
function escapeMarkdown(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/[\\`*_[\]<>|#]/g, '\\$&');
}

/** A failed request to GitHub, as pr-comment-client.ts saw it. */
export interface GitHubFailure {
  operation: 'list' | 'create' | 'update';
  /** The HTTP status of GitHub's answer; undefined when there was none (network, timeout). */
  status?: number;
  /** GitHub's message, or why there was no answer; empty for an answer without one. */
  message: string;
  /** The answer said the token's rate limit is used up (x-ratelimit-remaining: 0, or a rate-limit message). */
  rateLimited?: boolean;
}

const PERMISSION_HINT =
  'The token cannot write to the pull request: give the job `permissions: pull-requests: write`. A pull request from a fork gets a read-only token on pull_request events, so there the report stays in the job summary.';

/** The one warning for a comment that could not be written; the step's result stays the scaling's. */
export function commentWarning(failure: GitHubFailure, pr: number, apiUrl: string): Annotation {
  const doing = { list: `read the comments of pull request #${pr}`, create: `comment on pull request #${pr}`, update: `update the comment on pull request #${pr}` }[failure.operation];
  const answer =
    failure.status === undefined ? `no answer from GitHub's API at ${apiUrl} (${failure.message})` : `GitHub answered ${failure.status}${failure.message ? ` (${failure.message})` : ''}`;
  const hint =
    failure.status === undefined
      ? 'Check that the runner can reach the API (on GitHub Enterprise Server the runner sets GITHUB_API_URL); the next run writes the comment.'
      : failure.rateLimited
        ? "The token's API rate limit is used up; the next run writes the comment."
        : failure.status === 401
          ? 'GitHub refused the token: check the github-token input (the default, github.token, works with `permissions: pull-requests: write`).'
          : failure.status === 403 || failure.status === 404
            ? PERMISSION_HINT
            : failure.status >= 500
              ? "GitHub's API failed; the next run writes the comment."
              : 'The comment was not written.';
  return { title: 'Pull request comment not written', message: `Could not ${doing}: ${answer}. ${hint} The step's result is the scaling's.` };
}

/** An empty github-token: a fork's pull request gets no secrets, so a token from a secret is empty there. */
export function noTokenWarning(pr: number): Annotation {
  return {
    title: 'Pull request comment not written',
    message: `Could not comment on pull request #${pr}: github-token is empty. Leave github-token at its default (github.token) and give the job \`permissions: pull-requests: write\`; a token from a secret is empty on a pull request from a fork. The step's result is the scaling's.`,
  };
}
