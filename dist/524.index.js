export const id = 524;
export const ids = [524];
export const modules = {

/***/ 5524:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   MAX_SPEC_TARGETS: () => (/* binding */ MAX_SPEC_TARGETS),
/* harmony export */   parseScalingSpec: () => (/* binding */ parseScalingSpec)
/* harmony export */ });
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8815);
/* harmony import */ var _input_values_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5214);
/* harmony import */ var _targets_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8993);



/** One step scales at most this many targets (functions × qualifiers, before aliases are resolved). */
const MAX_SPEC_TARGETS = 1000;
const KEYS = ['function', 'qualifier', 'min', 'max', 'region'];
const REQUIRED_KEYS = ['function', 'qualifier', 'min', 'max'];
/** `orders:live 3/30`, `arn:aws:lambda:…:function:orders:7 1/none`: the qualifier is after the last colon. */
const SHORT_FORM = /^(\S+):([^:\s]+)\s+(\S+)\/(\S+)$/;
const FORMS = 'a mapping with function, qualifier, min and max (and optionally region), or a line such as "orders:live 3/30"';
/**
 * Parses a scaling spec (a YAML or JSON sequence of entries) into the targets it asks for, each with its
 * own config and region. Every problem is collected, with its line and column, and thrown together as
 * one InputError. Makes no request.
 */
function parseScalingSpec(text, source) {
    const problems = [];
    const say = (where, message) => problems.push({ ...where, message });
    const targets = [];
    const add = (entry, where, parsed) => {
        if (!parsed)
            return;
        const region = entryRegion(parsed, entry, source, where, say);
        if (region === undefined)
            return;
        const label = where.line ? `${entry} (line ${where.line})` : entry;
        for (const target of (0,_targets_js__WEBPACK_IMPORTED_MODULE_2__/* .pairTargets */ .pi)(parsed.functions, parsed.qualifiers))
            targets.push({ ...target, goal: parsed.goal, region, source: label });
    };
    const lines = shortFormLines(text);
    if (lines) {
        lines.forEach(({ value, line }, index) => add(`entry ${index + 1}`, { line, column: 3 }, shortForm(value, `entry ${index + 1}`, { line, column: 3 }, say)));
    }
    else {
        const lineCounter = new yaml__WEBPACK_IMPORTED_MODULE_0__/* .LineCounter */ .HN();
        const doc = (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .parseDocument */ .Tp)(text, { lineCounter, prettyErrors: false });
        const atOffset = (offset) => {
            const { line, col } = lineCounter.linePos(offset);
            return { line, column: col };
        };
        const at = (node) => (node?.range ? atOffset(node.range[0]) : {});
        for (const error of doc.errors)
            say(atOffset(error.pos[0]), `not valid YAML: ${error.message}`);
        if (problems.length)
            throw specError(source, problems);
        const root = doc.contents;
        if (!(0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isSeq */ .oP)(root) || root.items.length === 0) {
            say(at(root), (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isSeq */ .oP)(root) || root === null || ((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(root) && root.value === null) ? 'the spec is empty: list at least one entry.' : `the spec must be a list of entries, each ${FORMS}.`);
        }
        else {
            root.items.forEach((item, index) => {
                const entry = `entry ${index + 1}`;
                const where = at(item);
                const short = (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(item) && typeof item.value === 'string';
                if (!short && !(0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isMap */ .jh)(item))
                    say(where, `${entry} must be ${FORMS}.`);
                add(entry, where, short ? shortForm(item.value, entry, where, say) : (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isMap */ .jh)(item) ? mapping(item, entry, at, say) : undefined);
            });
        }
    }
    if (targets.length > MAX_SPEC_TARGETS) {
        say({}, `the spec asks for ${targets.length} targets (every function of an entry paired with every qualifier); one step takes at most ${MAX_SPEC_TARGETS}. Split it into several steps.`);
    }
    if (problems.length)
        throw specError(source, problems);
    return targets;
}
/** A line `- FUNCTION:QUALIFIER MIN/MAX` (a comment after it allowed) of characters YAML reads as themselves. */
const PLAIN_SHORT_LINE = /^- ([A-Za-z0-9_:$.-]+ [0-9a-z]+\/[0-9a-z]+)(?:[ \t]+#.*)?[ \t]*$/;
const BLANK_OR_COMMENT = /^[ \t]*(?:#.*)?$/;
/**
 * A spec of short-form lines only, with blank lines and comments: each line is a plain YAML scalar of
 * itself, so it is read without the YAML parser, which would cost a spec of 200 lines tens of
 * milliseconds of start-up (npm run bench). Anything else (or no entry at all) is for the parser.
 */
function shortFormLines(text) {
    const entries = [];
    for (const [index, line] of text.split(/\r?\n/).entries()) {
        if (BLANK_OR_COMMENT.test(line))
            continue;
        const match = PLAIN_SHORT_LINE.exec(line);
        if (!match)
            return undefined;
        entries.push({ value: match[1], line: index + 1 });
    }
    return entries.length ? entries : undefined;
}
function shortForm(line, entry, where, say) {
    const match = SHORT_FORM.exec(line.trim());
    if (!match) {
        say(where, `${entry} "${line}" is not of the form FUNCTION:QUALIFIER MIN/MAX (for example "orders:live 3/30" or "orders:7 1/none"); use a mapping for anything else.`);
        return undefined;
    }
    const [, fn, qualifier, min, max] = match;
    const functions = collect(() => [(0,_input_values_js__WEBPACK_IMPORTED_MODULE_1__/* .parseFunctionName */ .RJ)(fn, 'function')], entry, where, say);
    const qualifiers = collect(() => [(0,_input_values_js__WEBPACK_IMPORTED_MODULE_1__/* .parseQualifier */ .i4)(qualifier, 'qualifier')], entry, where, say);
    const goal = collect(() => (0,_input_values_js__WEBPACK_IMPORTED_MODULE_1__/* .parseConfigValues */ .aq)(min, max === 'none' ? null : max, { min: 'min', max: 'max' }), entry, where, say);
    return functions && qualifiers && goal ? { functions, qualifiers, goal } : undefined;
}
function mapping(item, entry, at, say) {
    if (!(0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isMap */ .jh)(item))
        return undefined;
    const fields = new Map();
    for (const pair of item.items) {
        const key = (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(pair.key) ? String(pair.key.value) : undefined;
        if (key === undefined || !KEYS.includes(key)) {
            say(at(pair.key), `${entry} has the unknown key ${key === undefined ? 'that is not a plain name' : `"${key}"`}; the keys are ${KEYS.join(', ')}.`);
            continue;
        }
        fields.set(key, pair.value);
    }
    const missing = REQUIRED_KEYS.filter((key) => !fields.has(key));
    if (missing.length)
        say(at(item), `${entry} has no ${missing.join(', ')}: every entry needs function, qualifier, min and max (max: none for no maximum).`);
    const list = (key, parse) => {
        const node = fields.get(key);
        if (node === undefined)
            return undefined;
        const values = (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isSeq */ .oP)(node) ? node.items : [node];
        const scalars = values.filter((v) => (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(v) && (typeof v.value === 'string' || typeof v.value === 'number') && String(v.value).trim() !== '');
        if (values.length === 0 || scalars.length !== values.length) {
            say(at(node ?? item), `${entry}: ${key} must be ${key === 'function' ? 'a function name, partial ARN or ARN' : 'a version, $LATEST.PUBLISHED or an alias'}, or a list of them.`);
            return undefined;
        }
        const parsed = scalars.map((v) => collect(() => parse(String(v.value).trim()), entry, at(v), say));
        return parsed.every((p) => p !== undefined) ? parsed : undefined;
    };
    const functions = list('function', (v) => (0,_input_values_js__WEBPACK_IMPORTED_MODULE_1__/* .parseFunctionName */ .RJ)(v, 'function'));
    const qualifiers = list('qualifier', (v) => (0,_input_values_js__WEBPACK_IMPORTED_MODULE_1__/* .parseQualifier */ .i4)(v, 'qualifier'));
    const count = (key) => {
        if (!fields.has(key))
            return undefined;
        const node = fields.get(key);
        const value = (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(node) ? node.value : undefined;
        if (key === 'max' && value === 'none')
            return null;
        if (typeof value === 'number' && Number.isInteger(value))
            return String(value);
        say(at(node ?? item), `${entry}: ${key} must be an integer from 0 to 15000${key === 'max' ? ', or none for no maximum' : ''}; it is ${describe(node)}.`);
        return undefined;
    };
    const min = count('min');
    const max = count('max');
    const goal = min !== undefined && max !== undefined ? collect(() => (0,_input_values_js__WEBPACK_IMPORTED_MODULE_1__/* .parseConfigValues */ .aq)(min, max, { min: 'min', max: 'max' }), entry, at(fields.get('max') ?? item), say) : undefined;
    const regionNode = fields.get('region');
    let region;
    if (regionNode !== undefined) {
        const value = (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(regionNode) ? regionNode.value : undefined;
        if (typeof value === 'string' && _input_values_js__WEBPACK_IMPORTED_MODULE_1__/* .REGION */ .Zg.test(value.trim()))
            region = value.trim();
        else
            say(at(regionNode ?? item), `${entry}: region must be an AWS region name such as eu-west-1; it is ${describe(regionNode)}.`);
        if (region === undefined)
            return undefined;
    }
    if (!functions || !qualifiers || !goal || missing.length)
        return undefined;
    return { functions, qualifiers, goal, region, regionAt: regionNode ? at(regionNode) : undefined };
}
/** The entry's region, the ARN's, or the step's; undefined (with the problem said) when none fits. */
function entryRegion(parsed, entry, source, where, say) {
    const arnRegions = [...new Set(parsed.functions.flatMap((f) => (f.region ? [f.region] : [])))];
    const contradicted = arnRegions.find((r) => r !== (parsed.region ?? arnRegions[0]));
    if (contradicted) {
        say(parsed.regionAt ?? where, `${entry}: its functions are ARNs in ${contradicted}${parsed.region ? ` but its region is ${parsed.region}` : ` and ${arnRegions.find((r) => r !== contradicted)}`}. A function given as an ARN is in its ARN's region: drop region, or split the entry by region.`);
        return undefined;
    }
    const plain = parsed.functions.some((f) => !f.region);
    const region = parsed.region ?? (plain ? source.defaultRegion : arnRegions[0]);
    if (plain && arnRegions.length && !parsed.region && region !== arnRegions[0]) {
        say(where, `${entry} mixes ARNs in ${arnRegions[0]} with plain names, which are in the step's region (${source.defaultRegion ?? 'none set'}). Give the entry a region, or split it.`);
        return undefined;
    }
    if (!region) {
        say(where, `${entry} has no region: give it region, or set the region input or AWS_REGION (aws-actions/configure-aws-credentials sets it), or give its functions as ARNs.`);
        return undefined;
    }
    return region;
}
/** Runs one validator of inputs.ts, turning its refusal into a problem of the entry. */
function collect(parse, entry, where, say) {
    try {
        return parse();
    }
    catch (error) {
        if (!(error instanceof _input_values_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz))
            throw error;
        say(where, `${entry}: ${error.message}`);
        return undefined;
    }
}
function describe(node) {
    if (node === null || node === undefined || ((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(node) && node.value === null))
        return 'empty';
    if ((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(node))
        return JSON.stringify(node.value);
    return (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isSeq */ .oP)(node) ? 'a list' : 'a mapping';
}
function specError(source, problems) {
    const where = source.file ?? 'the scaling input';
    return new _input_values_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(source.input, problems.map((p) => `${where}${p.line ? `, line ${p.line}${p.column ? `, column ${p.column}` : ''}` : ''}: ${p.message}`).join('\n'), problems.map((p) => ({ ...p, file: source.file })));
}


/***/ })

};
