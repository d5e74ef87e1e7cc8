// Writes dist/licenses.txt: the license of every production dependency (a superset of what is bundled
// into dist/). ncc's own --license covers only the main chunk, and the lazy chunks bundle packages too.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function listProductionPackages() {
  const args = ['ls', '--omit=dev', '--omit=optional', '--all', '--parseable'];
  try {
    return execFileSync('npm', args, { encoding: 'utf8' });
  } catch (error) {
    // npm ls exits non-zero over an extraneous package in a local tree; its list is still complete.
    if (error.stdout) return error.stdout;
    throw error;
  }
}

const dirs = listProductionPackages()
  .split('\n')
  .filter((dir) => dir.includes('node_modules'));
const entries = new Map();
for (const dir of dirs) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir)
    .sort()
    .find((name) => /^(licen[cs]e|copying)(\..*)?$/i.test(name));
  const text = file && existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8').trim() : `(no license file; package.json says ${pkg.license ?? 'nothing'})`;
  entries.set(`${pkg.name}@${pkg.version}`, `${pkg.name}@${pkg.version}\n${pkg.license ?? ''}\n${text}`);
}
const sorted = [...entries.keys()].sort().map((key) => entries.get(key));
writeFileSync('dist/licenses.txt', `${sorted.join('\n\n')}\n`);
console.log(`dist/licenses.txt: ${sorted.length} packages`);
