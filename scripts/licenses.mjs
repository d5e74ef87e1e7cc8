// Writes dist/licenses.txt: the license of every production dependency bundled into dist/. ncc's own
// --license covers only the main chunk, and the lazily loaded chunks bundle packages too.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dirs = execFileSync('npm', ['ls', '--omit=dev', '--omit=optional', '--all', '--parseable'], { encoding: 'utf8' })
  .split('\n')
  .filter((dir) => dir.includes('node_modules'));
const entries = new Map();
for (const dir of dirs) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\..*)?$/i.test(name));
  const text = file && existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8').trim() : `(no license file; package.json says ${pkg.license ?? 'nothing'})`;
  entries.set(`${pkg.name}@${pkg.version}`, `${pkg.name}@${pkg.version}\n${pkg.license ?? ''}\n${text}`);
}
const sorted = [...entries.keys()].sort().map((key) => entries.get(key));
writeFileSync('dist/licenses.txt', `${sorted.join('\n\n')}\n`);
console.log(`dist/licenses.txt: ${sorted.length} packages`);
