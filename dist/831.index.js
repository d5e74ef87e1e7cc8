export const id = 831;
export const ids = [831];
export const modules = {

/***/ 7831:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   readSpecFile: () => (/* binding */ readSpecFile)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _inputs_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8422);
/* harmony import */ var _input_values_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5214);



/** Reads a scaling-file from the workspace: refused when missing, not a file, or over 1 MiB (unread then). */
function readSpecFile(path) {
    const input = 'scaling-file';
    let size;
    try {
        const stat = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync)(path);
        if (!stat.isFile())
            throw new _input_values_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz(input, `scaling-file ${path} is not a file. Give the path of a YAML or JSON file, relative to the repository's root (GITHUB_WORKSPACE).`);
        size = stat.size;
    }
    catch (error) {
        if (error instanceof _input_values_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz)
            throw error;
        const code = error.code;
        throw new _input_values_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz(input, code === 'ENOENT'
            ? `scaling-file ${path} does not exist. The path is relative to the repository's root (GITHUB_WORKSPACE): check its spelling, and that actions/checkout ran before this step.`
            : `scaling-file ${path} cannot be read (${code ?? String(error)}).`);
    }
    if (size > _inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_SPEC_FILE_BYTES */ .iE) {
        throw new _input_values_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz(input, `scaling-file ${path} is ${size} bytes; a spec file may have at most 1 MiB (${_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_SPEC_FILE_BYTES */ .iE} bytes). Split it into several steps.`);
    }
    return (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(path, 'utf8');
}


/***/ })

};
