import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { ROOT } from '../support/run-action.js';

/**
 * The modules that load with src/index.ts, before any line of it runs: its static imports, followed
 * through src/. `import type` loads nothing; a dynamic import() loads later, when it is reached.
 */
function startupModules(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
    for (const statement of source.statements) {
      const loads =
        (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly) || (ts.isExportDeclaration(statement) && !statement.isTypeOnly && statement.moduleSpecifier);
      if (!loads) continue;
      const specifier = ((statement as ts.ImportDeclaration | ts.ExportDeclaration).moduleSpecifier as ts.StringLiteral).text;
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else seen.add(specifier);
    }
  };
  visit(entry);
  return seen;
}

describe('the path to the first Lambda request', () => {
  const modules = startupModules(join(ROOT, 'src/index.ts'));

  it('loads neither @actions/github (the summary links and the PR comment load it after the Lambda work) nor @actions/core', () => {
    expect(modules.has(join(ROOT, 'src/run.ts'))).toBe(true);
    expect(modules.has(join(ROOT, 'src/pr-comment.ts'))).toBe(true);
    expect(modules.has('@aws-sdk/client-lambda')).toBe(true);
    expect([...modules].filter((m) => m.startsWith('@actions/') || m.endsWith('pr-comment-client.ts'))).toEqual([]);
  });
});
