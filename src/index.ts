// First, so that a cancel during start-up is already caught.
import { cancellation, type Cancelled } from './cancellation.js';
import { IS_POST } from './action-state.js';
import { realClock } from './clock.js';
import { coreIO } from './core-io.js';
import type { PrCommentInputs, RunReport } from './pr-comment.js';
import { run } from './run.js';
import { runLinks } from './run-links.js';

const io = coreIO(process.env);
// One bundle, two steps (action.yml runs it as `post:` too): the main step leaves a mark for the post step.
const post = io.getState(IS_POST) === 'true';
if (!post) io.saveState(IS_POST, 'true');

const sayCancelled = () => io.info(`Received ${(cancellation.reason as Cancelled).signalName}: stopping.`);
if (cancellation.aborted) sayCancelled();
else cancellation.addEventListener('abort', sayCancelled, { once: true });

try {
  // @actions/github is needed only for the summary's links and the PR comment: loaded then, off the path to the first request.
  const summaryLinks = async () => runLinks((await import('@actions/github')).context);
  const commentOnPullRequest = async (inputs: PrCommentInputs, report: RunReport) => {
    const [{ context }, client] = await Promise.all([import('@actions/github'), import('./pr-comment-client.js')]);
    await client.commentOnPullRequest(io, inputs, report, context, { signal: cancellation });
  };
  const options = { env: process.env, clock: realClock, signal: cancellation, summaryLinks, commentOnPullRequest };
  // The post step's code is loaded only for it.
  const ok = post ? await (await import('./post.js')).runPost(io, options) : await run(io, options);
  if (!ok) process.exitCode = 1;
} catch (error) {
  // A bug of the action's own: say so plainly; the stack is for a debug run and a bug report.
  if (error instanceof Error && error.stack) io.debug(error.stack);
  io.error({ title: 'Unexpected error', message: `The action failed unexpectedly: ${error instanceof Error ? error.message : String(error)}. Please report it with a debug log.` });
  process.exitCode = 1;
}
await io.flush();
