// `npm run local [-- --env FILE]`: runs the action from src/ with GitHub's @github/local-action, its inputs
// and environment from an env file (default .env, else .env.example).
//
// The Lambda endpoint: when the env file's AWS_ENDPOINT_URL_LAMBDA answers (e.g. `npm run emulator -- --port
// 4566` in another terminal, whose state then carries over between runs), the action uses it. When it is a
// local address where nothing listens, this script starts the demo emulator in-process on a free port
// (demo-fn with versions 1, 2 and $LATEST.PUBLISHED, aliases live and prod; plain-fn without a capacity
// provider) and points the action at it. Without AWS_ENDPOINT_URL_LAMBDA the action calls AWS itself,
// with the credentials of the env file or the shell.
//
// Prints the job summary at the end and exits with the action's exit code.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, parseEnv } from 'node:util';
import { addDemoFunctions } from '../test/emulator/demo-functions.js';
import { startEmulator, type Emulator } from '../test/emulator/server.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { env: { type: 'string' } } });
const envFile = resolve(values.env ?? (existsSync(join(root, '.env')) ? join(root, '.env') : join(root, '.env.example')));
if (!existsSync(envFile)) {
  console.error(`No env file ${envFile}. Start from .env.example: cp .env.example .env`);
  process.exit(2);
}
const fileEnv = parseEnv(readFileSync(envFile, 'utf8'));
// local-action loads the env file over the shell's environment, so the file's value wins.
const endpoint = fileEnv.AWS_ENDPOINT_URL_LAMBDA ?? process.env.AWS_ENDPOINT_URL_LAMBDA;

const overrides: Record<string, string> = {};
let emulator: Emulator | undefined;
if (!endpoint) {
  const region = fileEnv.INPUT_REGION || fileEnv.AWS_REGION || process.env.AWS_REGION || fileEnv.AWS_DEFAULT_REGION || process.env.AWS_DEFAULT_REGION;
  console.log(`No AWS_ENDPOINT_URL_LAMBDA in ${envFile}: the action calls AWS Lambda${region ? ` in ${region}` : ''} for real.`);
} else if (await answers(endpoint)) {
  console.log(`Using the Lambda endpoint ${endpoint} from ${envFile}.`);
} else if (isLocal(endpoint)) {
  emulator = await startEmulator();
  addDemoFunctions(emulator);
  overrides.AWS_ENDPOINT_URL_LAMBDA = emulator.url;
  console.log(`Nothing listens on ${endpoint}: started the demo Lambda emulator at ${emulator.url} (demo-fn, plain-fn).`);
} else {
  console.log(`Using the Lambda endpoint ${endpoint} from ${envFile} (it does not answer yet).`);
}

// local-action reads one env file: give it the user's file plus the overrides, which win as they come last.
const work = mkdtempSync(join(tmpdir(), 'local-action-'));
const summaryFile = fileEnv.GITHUB_STEP_SUMMARY || join(work, 'summary.md');
if (!fileEnv.GITHUB_STEP_SUMMARY) {
  overrides.GITHUB_STEP_SUMMARY = summaryFile;
  writeFileSync(summaryFile, '');
}
const mergedEnv = join(work, 'action.env');
const extra = Object.entries(overrides).map(([key, value]) => `${key}="${value}"`);
writeFileSync(mergedEnv, `${readFileSync(envFile, 'utf8')}\n# Set by scripts/local.ts\n${extra.join('\n')}\n`);

const bin = join(root, 'node_modules', '@github', 'local-action', 'bin', 'local-action.js');
// local-action joins its arguments into a shell command: keep them relative to the repository where possible.
const child = spawn(process.execPath, [bin, 'run', '.', 'scripts/local-entry.ts', mergedEnv], { cwd: root, stdio: 'inherit' });
const code = await new Promise<number>((done) => {
  child.on('exit', (status, signal) => done(status ?? (signal ? 1 : 0)));
  child.on('error', (error) => {
    console.error(`Could not run local-action: ${error.message}`);
    done(1);
  });
});

try {
  const summary = existsSync(summaryFile) ? readFileSync(summaryFile, 'utf8') : '';
  console.log(`\n${'='.repeat(80)}\n${' '.repeat(34)}Job Summary\n${'='.repeat(80)}\n`);
  console.log(summary.trim() === '' ? '(no job summary was written)' : summary);
  if (emulator) console.log(`The emulator served ${emulator.requests.length} requests.`);
  console.log(`local-action exited with code ${code}.`);
} finally {
  await emulator?.close();
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = code;

function isLocal(url: string): boolean {
  try {
    return ['localhost', '127.0.0.1', '[::1]', '0.0.0.0'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** Whether something accepts TCP connections at the URL's host and port (within a second). */
function answers(url: string): Promise<boolean> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve(false);
  }
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  const host = target.hostname.replace(/^\[|\]$/g, '');
  return new Promise((done) => {
    const socket = connect({ host, port, timeout: 1000 });
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.once('connect', () => finish(true));
    socket.once('timeout', () => finish(false));
    socket.once('error', () => finish(false));
  });
}
