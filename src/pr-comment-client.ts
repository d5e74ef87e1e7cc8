/** The pull request comment's I/O: finds the step's comment, creates or updates it through @actions/github's Octokit. */
import { getOctokit, type context as actionsContext } from '@actions/github';
import {
  commentAction,
  commentBody,
  commentMarker,
  commentWarning,
  findOwnComment,
  noPullRequestLine,
  noTokenWarning,
  pullRequestNumber,
  type CommentContext,
  type GitHubFailure,
  type PrCommentInputs,
  type RunReport,
} from './pr-comment.js';
import type { ActionIO } from './run.js';

export type GitHubContext = Pick<typeof actionsContext, 'eventName' | 'payload' | 'repo' | 'workflow' | 'job' | 'action' | 'runId' | 'serverUrl' | 'apiUrl'>;

export interface CommentOptions {
  /** The step's cancellation. */
  signal: AbortSignal;
  /** The most all the comment's requests together may take. */
  timeoutMs?: number;
}

/** GitHub answers in well under a second; a hung API must not hold the job for long after the scaling is done. */
export const COMMENT_TIMEOUT_MS = 30_000;

type Octokit = ReturnType<typeof getOctokit>;

/**
 * Writes the report as the step's comment on the event's pull request, or updates it in place. Never
 * throws: a comment that cannot be written is one warning, and the step's result stays the scaling's.
 */
export async function commentOnPullRequest(
  io: Pick<ActionIO, 'info' | 'debug' | 'warning'>,
  inputs: PrCommentInputs,
  report: RunReport,
  context: GitHubContext,
  options: CommentOptions,
): Promise<void> {
  const pr = pullRequestNumber(context);
  if (pr === undefined) return io.info(noPullRequestLine(context.eventName));
  if (options.signal.aborted) return io.info(`pr-comment: the job was cancelled; the comment on pull request #${pr} is not written.`);
  if (!inputs.token) return io.warning(noTokenWarning(pr));
  const timeoutMs = options.timeoutMs ?? COMMENT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([options.signal, timeout]);
  let operation: GitHubFailure['operation'] = 'list';
  try {
    const ctx: CommentContext = { ...context, ...context.repo, step: context.action };
    const octokit = getOctokit(inputs.token, { baseUrl: ctx.apiUrl });
    // On every request, the pages of the listing too (the paginator passes no request options on).
    octokit.hook.before('request', (request) => void (request.request = { ...request.request, signal }));
    octokit.hook.after('request', (response, request) => io.debug(`pr-comment: ${request.method} ${response.url} → ${response.status}`));
    const body = commentBody(report, ctx, inputs.key);
    const existing = await findComment(octokit, ctx, pr, commentMarker(ctx, inputs.key));
    const action = commentAction(existing, body);
    if (action.kind === 'unchanged') return io.info(`pr-comment: the comment on pull request #${pr} is up to date: ${existing!.html_url}`);
    operation = action.kind;
    const { data } =
      action.kind === 'create'
        ? await octokit.rest.issues.createComment({ owner: ctx.owner, repo: ctx.repo, issue_number: pr, body })
        : await octokit.rest.issues.updateComment({ owner: ctx.owner, repo: ctx.repo, comment_id: action.id, body });
    io.info(`pr-comment: ${action.kind === 'create' ? 'commented on' : 'updated the comment on'} pull request #${pr}: ${data.html_url}`);
  } catch (error) {
    if (options.signal.aborted) return io.info(`pr-comment: the job was cancelled; the comment on pull request #${pr} may not be written.`);
    io.warning(commentWarning(failureOf(operation, error, timeout.aborted ? `no answer within ${timeoutMs / 1000} s` : undefined), pr, context.apiUrl));
  }
}

/** Reads the pull request's comments page by page, 100 at a time, until the step's own turns up. */
async function findComment(octokit: Octokit, ctx: CommentContext, pr: number, marker: string) {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, { owner: ctx.owner, repo: ctx.repo, issue_number: pr, per_page: 100 });
  for await (const { data } of pages) {
    const own = findOwnComment(data, marker);
    if (own) return { ...own, id: Number(own.id) };
  }
  return undefined;
}

/** Octokit's RequestError carries GitHub's answer in `response`; without one there was no answer. */
function failureOf(operation: GitHubFailure['operation'], error: unknown, timedOut: string | undefined): GitHubFailure {
  const { response, message } = error as { response?: { status: number; headers: Record<string, string | undefined>; data?: unknown }; message?: string };
  if (!response) return { operation, message: timedOut ?? message ?? String(error) };
  // GitHub's errors are JSON with a message; a proxy's HTML error page is not.
  const data = response.data as { message?: unknown } | undefined;
  const said = typeof data?.message === 'string' ? data.message : '';
  const rateLimited = [403, 429].includes(response.status) && (response.headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(said));
  return { operation, status: response.status, message: said, rateLimited };
}
