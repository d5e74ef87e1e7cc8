import type { context as githubContext } from '@actions/github';

type Context = typeof githubContext;

/** Markdown links to the workflow run and, on pull_request events, the PR: for the job summary. */
export function runLinks(context: Pick<Context, 'serverUrl' | 'repo' | 'runId' | 'payload'>): string[] {
  const links: string[] = [];
  const { owner, repo } = safeRepo(context);
  if (owner && context.runId) links.push(`[Workflow run ${context.runId}](${context.serverUrl}/${owner}/${repo}/actions/runs/${context.runId})`);
  const pr = context.payload.pull_request;
  if (pr?.html_url) links.push(`[Pull request #${pr.number}](${pr.html_url})`);
  return links;
}

// context.repo throws outside a runner (no GITHUB_REPOSITORY).
function safeRepo(context: Pick<Context, 'repo'>): { owner?: string; repo?: string } {
  try {
    return context.repo;
  } catch {
    return {};
  }
}
