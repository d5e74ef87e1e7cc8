import * as core from '@actions/core';
import { coreIO } from '../../src/core-io.js';

it('reads inputs exactly as core.getInput does', () => {
  const env: Record<string, string> = {
    'INPUT_FUNCTION-NAME': '  app\n  other \n',
    INPUT_QUALIFIER: '$LATEST.PUBLISHED',
    'INPUT_WAIT-FOR-MINUTES': '\t2.5 ',
    INPUT_MY_INPUT: 'spaced name',
  };
  const io = coreIO(env);
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    for (const name of ['function-name', 'qualifier', 'wait-for-minutes', 'my input', 'region']) {
      expect(io.getInput(name)).toBe(core.getInput(name));
    }
  } finally {
    for (const name of Object.keys(env)) if (!(name in saved)) delete process.env[name];
  }
});

it('reads the saved state exactly as core.getState does', () => {
  const env: Record<string, string> = { STATE_isPost: 'true', STATE_put1: '{"function":"app"}' };
  const io = coreIO(env);
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    for (const name of ['isPost', 'put1', 'put2', 'ISPOST']) expect(io.getState(name)).toBe(core.getState(name));
  } finally {
    for (const name of Object.keys(env)) if (!(name in saved)) delete process.env[name];
  }
});
