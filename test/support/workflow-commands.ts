import { inspect } from 'node:util';

/**
 * GitHub's workflow commands as the runner reads them from a step's stdout: `::name key=value,key=value::message`,
 * with `%25`, `%0D` and `%0A` escaped in the message and, in property values, `%3A` and `%2C` too.
 */
export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
}

const DATA_ESCAPES: Record<string, string> = { '%25': '%', '%0D': '\r', '%0A': '\n' };
const PROPERTY_ESCAPES: Record<string, string> = { ...DATA_ESCAPES, '%3A': ':', '%2C': ',' };

/** One pass, so that an escaped `%` (`%250A`) stays the text `%0A`. */
const unescape = (text: string, escapes: Record<string, string>) => text.replace(/%(?:25|0D|0A|3A|2C)/gi, (token) => escapes[token.toUpperCase()] ?? token);

/** The command on a line of the log, or undefined for a line that is not one. */
export function parseWorkflowCommand(line: string): WorkflowCommand | undefined {
  const text = line.trimStart();
  if (!text.startsWith('::')) return undefined;
  const end = text.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = text.slice(2, end);
  const space = info.indexOf(' ');
  const command = space < 0 ? info : info.slice(0, space);
  if (!command) return undefined;
  const properties: Record<string, string> = {};
  if (space >= 0) {
    for (const pair of info.slice(space + 1).split(',')) {
      const eq = pair.indexOf('=');
      if (eq > 0) properties[pair.slice(0, eq)] = unescape(pair.slice(eq + 1), PROPERTY_ESCAPES);
    }
  }
  return { command, properties, message: unescape(text.slice(end + 2), DATA_ESCAPES) };
}

export interface RunnerLogOptions {
  /** Step debug logging: `::debug::` lines are shown only then. */
  debug: boolean;
  /** ANSI colours, for a terminal. */
  color: boolean;
}

type Style = 'red' | 'yellow' | 'cyan' | 'magenta' | 'bold';

const ANNOTATIONS: Record<string, { label: string; style: Style }> = {
  error: { label: 'Error', style: 'red' },
  warning: { label: 'Warning', style: 'yellow' },
  notice: { label: 'Notice', style: 'cyan' },
};

/**
 * A step's stdout as the runner's log shows it: commands carried out, not printed. Groups become
 * headings with their lines indented, annotations are marked with their kind and title, debug lines
 * are hidden unless asked for, masked values read `***`, and `::stop-commands::` is honoured.
 */
export function runnerLog(stdout: string, options: RunnerLogOptions): string {
  const paint = (style: Style, text: string) => {
    const [open, close] = inspect.colors[style]!;
    return options.color ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  };
  const masks: string[] = [];
  const mask = (text: string) => masks.reduce((t, secret) => t.split(secret).join('***'), text);
  let indent = '';
  let resumeToken: string | undefined;
  const out: string[] = [];
  const print = (text: string) => out.push(...mask(text).split('\n').map((l) => indent + l));

  for (const line of stdout.replace(/\n$/, '').split('\n')) {
    const cmd = parseWorkflowCommand(line);
    if (resumeToken !== undefined) {
      if (cmd?.command === resumeToken) resumeToken = undefined;
      else print(line);
      continue;
    }
    if (!cmd) {
      print(line);
      continue;
    }
    const annotation = ANNOTATIONS[cmd.command];
    if (annotation) {
      const { title, file, line: at } = cmd.properties;
      const where = file ? ` (${file}${at ? `:${at}` : ''})` : '';
      const [first, ...rest] = mask(cmd.message).split('\n');
      out.push(indent + paint(annotation.style, `${annotation.label}${title ? `: ${mask(title)}` : ''}${where}: ${first}`), ...rest.map((l) => `${indent}  ${l}`));
    } else if (cmd.command === 'debug') {
      if (options.debug) print(paint('magenta', `[debug] ${cmd.message}`));
    } else if (cmd.command === 'group') {
      indent = '';
      print(paint('bold', `▼ ${cmd.message}`));
      indent = '  ';
    } else if (cmd.command === 'endgroup') {
      indent = '';
    } else if (cmd.command === 'add-mask') {
      if (cmd.message) masks.push(cmd.message);
    } else if (cmd.command === 'stop-commands') {
      resumeToken = cmd.message;
    } else {
      print(line);
    }
  }
  return out.join('\n') + '\n';
}
