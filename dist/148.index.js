export const id = 148;
export const ids = [148];
export const modules = {

/***/ 6148:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runPost: () => (/* binding */ runPost)
});

// EXTERNAL MODULE: ./src/action-state.ts
var action_state = __webpack_require__(7657);
// EXTERNAL MODULE: ./src/console-links.ts
var console_links = __webpack_require__(2274);
// EXTERNAL MODULE: ./src/input-values.ts
var input_values = __webpack_require__(5214);
// EXTERNAL MODULE: ./src/inputs.ts
var src_inputs = __webpack_require__(8422);
// EXTERNAL MODULE: ./src/restore.ts
var src_restore = __webpack_require__(473);
// EXTERNAL MODULE: ./src/scaling-config.ts
var scaling_config = __webpack_require__(8949);
// EXTERNAL MODULE: ./src/summary.ts + 1 modules
var summary = __webpack_require__(4711);
;// CONCATENATED MODULE: ./src/restore-summary.ts





/** How one restore ended, in the words of its log line and summary row. */
function outcome(p) {
    const goal = (0,scaling_config/* formatConfig */.cZ)(p.target.goal);
    if (p.error)
        return { cell: `❌ not restored (${(0,src_restore/* configLeft */.wg)(p)} left)`, line: `not restored (${(0,src_restore/* failureKind */.zU)(p)}): ${(0,src_restore/* configLeft */.wg)(p)} left on it` };
    if (p.leftAlone) {
        const found = (0,scaling_config/* formatConfig */.cZ)(p.leftAlone.found);
        return { cell: `⚠️ left at ${found}: changed since`, line: `left as it is: ${found} found, not the ${(0,scaling_config/* formatConfig */.cZ)(p.target.expected)} put by the step` };
    }
    if (!p.changed)
        return { cell: `${goal} (already)`, line: `already at ${goal}${p.state ? ` (${p.state})` : ''}: nothing to put back` };
    return { cell: goal, line: `restored ${(0,scaling_config/* formatConfig */.cZ)(p.target.expected)} → ${goal}${p.state ? ` (${p.state})` : ''}${p.waitedMs === undefined ? '' : ` in ${seconds(p.waitedMs)}`}` };
}
/** The post step's line for one target. */
function restoreLogLine(p) {
    return `${p.label}: ${outcome(p).line}`;
}
/** The post step's line for a put whose previous config was never known. */
function unknownLogLine(put) {
    return `${(0,input_values/* parseFunctionName */.RJ)(put.function).key}:${put.version}: not restored: its config before the step is not known; ${(0,scaling_config/* formatConfig */.cZ)(put.put)} left on it`;
}
/** The "Restored" section of the job summary: one row per config the step put, and how it ended. */
function buildRestoreSummary(progress, unknown, report) {
    const { links } = report;
    const total = progress.length + unknown.length;
    const failed = progress.filter((p) => p.error).length + unknown.length;
    const left = progress.filter((p) => p.leftAlone).length;
    const regions = [...new Set([...(0,summary/* regionsOf */.NV)(progress), ...unknown.map((u) => u.region)])];
    const where = regions.length === 1 ? `in ${regions[0]}` : `in ${regions.length} regions (${regions.join(', ')})`;
    const of = (n) => `${n} of ${total} target${total === 1 ? '' : 's'}`;
    const changedSince = left ? `${left} left as someone changed ${left === 1 ? 'it' : 'them'} since` : '';
    const back = total - failed - left;
    const headline = failed
        ? `❌ ${of(failed)} not restored${left ? `, ${changedSince}` : ''}`
        : left
            ? `⚠️ ${of(left)} left as someone changed ${left === 1 ? 'it' : 'them'} since${back ? `, ${back} back to the config from before the job` : ''}`
            : `✅ ${total} target${total === 1 ? '' : 's'} back to ${total === 1 ? 'its' : 'their'} config from before the job`;
    const lines = ['## Lambda Managed Instances scaling: restored', '', `${headline} ${where}.`, ''];
    if (links?.length)
        lines.push(links.join(' · '), '');
    const withRegion = regions.length > 1;
    lines.push(...(0,summary/* tableHeader */.qd)(['Function', ...(withRegion ? ['Region'] : []), 'Version', 'Put by the step', 'Restored to', 'State', 'Time']), ...progress.map((p) => (0,summary/* row */.nM)([
        p.target.fn.key,
        ...(withRegion ? [p.target.region] : []),
        (0,console_links/* targetVersionCell */.i)(p, p.target.region),
        (0,scaling_config/* formatConfig */.cZ)(p.target.expected),
        outcome(p).cell,
        p.state ?? '—',
        p.waitedMs === undefined ? '—' : seconds(p.waitedMs),
    ])), ...unknown.map((u) => (0,summary/* row */.nM)([(0,input_values/* parseFunctionName */.RJ)(u.function).key, ...(withRegion ? [u.region] : []), u.version, (0,scaling_config/* formatConfig */.cZ)(u.put), '❌ not restored (no previous config known)', '—', '—'])));
    lines.push(...(0,summary/* annotationList */.G)('Errors', report.errors), ...(0,summary/* annotationList */.G)('Warnings', report.warnings));
    return lines.join('\n') + '\n';
}
function seconds(ms) {
    return `${(ms / 1000).toFixed(1)} s`;
}

// EXTERNAL MODULE: ./src/run.ts + 10 modules
var run = __webpack_require__(4756);
// EXTERNAL MODULE: ./src/scale-target.ts + 1 modules
var scale_target = __webpack_require__(7638);
;// CONCATENATED MODULE: ./src/post.ts








/**
 * The post step (runs when the job ends, with `restore: true`): puts back, on each version the main
 * step put a config on, the config applied before, through the same flow as the main step, within a
 * wait-for-minutes of its own. Resolves true when every one was restored or rightly left alone.
 */
async function runPost(io, options) {
    const startedAt = options.clock.now();
    let restore;
    try {
        restore = (0,src_inputs/* parseBoolean */.yG)(io.getInput, 'restore');
    }
    catch (error) {
        // The main step refused it already, before any request: it put nothing.
        if (error instanceof input_values/* InputError */.dz)
            return true;
        throw error;
    }
    if (!restore)
        return true;
    let puts;
    try {
        puts = (0,action_state/* readSavedPuts */.SR)(io.getState);
    }
    catch (error) {
        if (!(error instanceof action_state/* StateError */.qq))
            throw error;
        io.error({ title: 'Restore: unreadable state', message: `Nothing was restored: ${error.message}. Check the versions this job scaled, and put their configs back by hand.` });
        return false;
    }
    if (puts.length === 0) {
        io.info('Nothing to restore: the scaling step put no config (a dry run puts none, nor does a step that found each config already in effect or stopped before its first put).');
        return true;
    }
    // Parsed by the main step too, before its first put: it is valid.
    const budgetMs = (0,src_inputs/* parseWaitMinutes */.Mc)(io.getInput) * 60_000;
    const { targets, unknown } = (0,src_restore/* restoreTargets */.F)(puts);
    io.info(`Restoring the config from before the scaling step on ${puts.length} version${puts.length === 1 ? '' : 's'}.`);
    const inputs = { targets, wait: true, dryRun: false, budgetMs, regions: [...new Set(targets.map((t) => t.region))], restore: false };
    const progress = targets.length ? await (0,run/* scaleTargets */.H)(io, options, inputs, startedAt) : [];
    const errors = unknown.map(src_restore/* unknownPreviousFailure */.Sj);
    const warnings = [];
    for (const p of progress) {
        const { region } = p.target;
        if (p.error) {
            const why = options.signal.aborted ? 'The post step was cancelled before the restore was in effect.' : `${(0,src_restore/* failureKind */.zU)(p)}: ${p.error.message}`;
            errors.push((0,console_links/* withConsoleLink */.a7)((0,src_restore/* restoreFailure */.Fi)(p, why), p, region));
        }
        if (p.leftAlone)
            warnings.push((0,console_links/* withConsoleLink */.a7)((0,src_restore/* leftAloneWarning */.zh)(p, p.leftAlone.found), p, region));
        const deploy = (0,scale_target/* lastUpdateWarning */.SO)(p);
        if (deploy)
            warnings.push((0,console_links/* withConsoleLink */.a7)(deploy, p, region));
    }
    for (const p of progress)
        io.info(restoreLogLine(p));
    for (const put of unknown)
        io.info(unknownLogLine(put));
    for (const annotation of errors)
        io.error(annotation);
    for (const annotation of warnings)
        io.warning(annotation);
    await io.writeSummary(buildRestoreSummary(progress, unknown, { errors, warnings, links: await options.summaryLinks?.() }));
    return !options.signal.aborted && errors.length === 0;
}


/***/ })

};
