import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_SPEC_FILE_BYTES } from '../../src/inputs.js';
import { InputError } from '../../src/input-values.js';
import { readSpecFile } from '../../src/spec-file.js';

describe('readSpecFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const refusal = (path: string): InputError => {
    try {
      readSpecFile(path);
    } catch (error) {
      if (error instanceof InputError) return error;
      throw error;
    }
    throw new Error(`read ${path}`);
  };

  it('reads a file of exactly 1 MiB', () => {
    const path = join(dir, 'big.yml');
    writeFileSync(path, `#${'x'.repeat(MAX_SPEC_FILE_BYTES - 1)}`);
    expect(readSpecFile(path)).toHaveLength(MAX_SPEC_FILE_BYTES);
  });

  it('refuses a file over 1 MiB, a missing file and a folder, saying what to check', () => {
    const big = join(dir, 'too-big.yml');
    writeFileSync(big, 'x'.repeat(MAX_SPEC_FILE_BYTES + 1));
    expect(refusal(big).message).toBe(`scaling-file ${big} is 1048577 bytes; a spec file may have at most 1 MiB (1048576 bytes). Split it into several steps.`);
    expect(refusal(join(dir, 'nope.yml')).message).toMatch(/does not exist\. The path is relative to the repository's root \(GITHUB_WORKSPACE\): check its spelling, and that actions\/checkout ran before this step\.$/);
    expect(refusal(dir)).toMatchObject({ input: 'scaling-file', message: expect.stringMatching(/is not a file/) });
  });
});
