export const id = 741;
export const ids = [741];
export const modules = {

/***/ 7741:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   COMMENT_TIMEOUT_MS: () => (/* binding */ COMMENT_TIMEOUT_MS),
/* harmony export */   commentOnPullRequest: () => (/* binding */ commentOnPullRequest)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2413);
/* harmony import */ var _pr_comment_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5525);
/** The pull request comment's I/O: finds the step's comment, creates or updates it through @actions/github's Octokit. */


/** GitHub answers in well under a second; a hung API must not hold the job for long after the scaling is done. */
const COMMENT_TIMEOUT_MS = 30_000;
/**
 * Writes the report as the step's comment on the event's pull request, or updates it in place. Never
 * throws: a comment that cannot be written is one warning, and the step's result stays the scaling's.
 */
async function commentOnPullRequest(io, inputs, report, context, options) {
    const pr = (0,_pr_comment_js__WEBPACK_IMPORTED_MODULE_1__/* .pullRequestNumber */ .Kd)(context);
    if (pr === undefined)
        return io.info((0,_pr_comment_js__WEBPACK_IMPORTED_MODULE_1__/* .noPullRequestLine */ .Yt)(context.eventName));
    if (options.signal.aborted)
        return io.info(`pr-comment: the job was cancelled; the comment on pull request #${pr} is not written.`);
    if (!inputs.token)
        return io.warning((0,_pr_comment_js__WEBPACK_IMPORTED_MODULE_1__/* .noTokenWarning */ .hE)(pr));
    const timeoutMs = options.timeoutMs ?? COMMENT_TIMEOUT_MS;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([options.signal, timeout]);
    let operation = 'list';
    try {
        const ctx = { ...context, ...context.repo, step: context.action };
        const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__.getOctokit)(inputs.token, { baseUrl: ctx.apiUrl });
        // On every request, the pages of the listing too (the paginator passes no request options on).
        octokit.hook.before('request', (request) => void (request.request = { ...request.request, signal }));
        octokit.hook.after('request', (response, request) => io.debug(`pr-comment: ${request.method} ${response.url} → ${response.status}`));
        const body = (0,_pr_comment_js__WEBPACK_IMPORTED_MODULE_1__/* .commentBody */ .I2)(report, ctx, inputs.key);
        const existing = await findComment(octokit, ctx, pr, (0,_pr_comment_js__WEBPACK_IMPORTED_MODULE_1__/* .commentMarker */ .Ql)(ctx, inputs.key));
        const action = (0,_pr_comment_js__WEBPACK_IMPORTED_MODULE_1__/* .commentAction */ .yE)(existing, body);
        if (action.kind === 'unchanged')
            return io.info(`pr-comment: the comment on pull request #${pr} is up to date: ${existing.html_url}`);
        operation = action.kind;
        const { data } = action.kind === 'create'
            ? await octokit.rest.issues.createComment({ owner: ctx.owner, repo: ctx.repo, issue_number: pr, body })
            : await octokit.rest.issues.updateComment({ owner: ctx.owner, repo: ctx.repo, comment_id: action.id, body });
        io.info(`pr-comment: ${action.kind === 'create' ? 'commented on' : 'updated the comment on'} pull request #${pr}: ${data.html_url}`);
    }
    catch (error) {
        if (options.signal.aborted)
            return io.info(`pr-comment: the job was cancelled; the comment on pull request #${pr} may not be written.`);
        io.warning((0,_pr_comment_js__WEBPACK_IMPORTED_MODULE_1__/* .commentWarning */ .qH)(failureOf(operation, error, timeout.aborted ? `no answer within ${timeoutMs / 1000} s` : undefined), pr, context.apiUrl));
    }
}
/** Reads the pull request's comments page by page, 100 at a time, until the step's own turns up. */
async function findComment(octokit, ctx, pr, marker) {
    const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, { owner: ctx.owner, repo: ctx.repo, issue_number: pr, per_page: 100 });
    for await (const { data } of pages) {
        const own = (0,_pr_comment_js__WEBPACK_IMPORTED_MODULE_1__/* .findOwnComment */ .rA)(data, marker);
        if (own)
            return { ...own, id: Number(own.id) };
    }
    return undefined;
}
/** Octokit's RequestError carries GitHub's answer in `response`; without one there was no answer. */
function failureOf(operation, error, timedOut) {
    const { response, message } = error;
    if (!response)
        return { operation, message: timedOut ?? message ?? String(error) };
    // GitHub's errors are JSON with a message; a proxy's HTML error page is not.
    const data = response.data;
    const said = typeof data?.message === 'string' ? data.message : '';
    const rateLimited = [403, 429].includes(response.status) && (response.headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(said));
    return { operation, status: response.status, message: said, rateLimited };
}


/***/ })

};
