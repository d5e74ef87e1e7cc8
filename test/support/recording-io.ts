import type { Annotation } from '../../src/errors.js';
import type { ActionIO } from '../../src/run.js';
import { withDefaults } from './run-action.js';

/** An ActionIO that records what the action would show, for in-process flow tests; `now` times the log lines. */
export function recordingIO(inputs: Record<string, string>, now: () => number = Date.now, state: Record<string, string> = {}) {
  const values = withDefaults(inputs);
  const record = {
    outputs: {} as Record<string, string>,
    errors: [] as Annotation[],
    warnings: [] as Annotation[],
    notices: [] as Annotation[],
    logs: [] as string[],
    /** The info lines, each with the time it was logged. */
    timedLogs: [] as { at: number; message: string }[],
    groups: [] as string[],
    summary: '',
    /** What the step saved for its post step, as the runner would set it (`STATE_<name>`): last write wins. */
    state: {} as Record<string, string>,
  };
  const io: ActionIO = {
    getInput: (name) => (values[name] ?? '').trim(),
    setOutput: (name, value) => {
      record.outputs[name] = value;
    },
    info: (message) => {
      record.logs.push(message);
      record.timedLogs.push({ at: now(), message });
    },
    debug: (message) => record.logs.push(`::debug::${message}`),
    error: (annotation) => record.errors.push(annotation),
    warning: (annotation) => record.warnings.push(annotation),
    notice: (annotation) => record.notices.push(annotation),
    group: async (name, fn) => {
      record.groups.push(name);
      return fn();
    },
    writeSummary: async (markdown) => {
      record.summary += markdown;
    },
    saveState: (name, value) => {
      record.state[name] = value;
    },
    getState: (name) => state[name] ?? '',
  };
  return { io, record };
}
