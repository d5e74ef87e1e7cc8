import { readFileSync, statSync } from 'node:fs';
import { MAX_SPEC_FILE_BYTES } from './inputs.js';
import { InputError } from './input-values.js';

/** Reads a scaling-file from the workspace: refused when missing, not a file, or over 1 MiB (unread then). */
export function readSpecFile(path: string): string {
  const input = 'scaling-file';
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new InputError(input, `scaling-file ${path} is not a file. Give the path of a YAML or JSON file, relative to the repository's root (GITHUB_WORKSPACE).`);
    size = stat.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      input,
      code === 'ENOENT'
        ? `scaling-file ${path} does not exist. The path is relative to the repository's root (GITHUB_WORKSPACE): check its spelling, and that actions/checkout ran before this step.`
        : `scaling-file ${path} cannot be read (${code ?? String(error)}).`,
    );
  }
  if (size > MAX_SPEC_FILE_BYTES) {
    throw new InputError(input, `scaling-file ${path} is ${size} bytes; a spec file may have at most 1 MiB (${MAX_SPEC_FILE_BYTES} bytes). Split it into several steps.`);
  }
  return readFileSync(path, 'utf8');
}
