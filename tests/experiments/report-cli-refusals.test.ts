import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '@/server/privacy/encryption';
import { type CliDatabase, cliDatabase } from '../helpers/cli-database';

/** `npm run experiment:report` refusing what it cannot report, on a fresh database. */
describe('npm run experiment:report, refusals', () => {
  let cli: CliDatabase;
  const key = generateKey();
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/experiment-report.ts', ...args], {
      env: { ...process.env, DATABASE_URL: cli.url, PSEUDONYM_KEY: key },
      encoding: 'utf8',
    });

  beforeAll(async () => {
    cli = await cliDatabase();
  });
  afterAll(() => cli.drop());

  it.each([
    ['no key', [], /--key/],
    ['a negative effect', ['--key', 'any', '--mde', '-1'], /--mde/],
    ['a cap beyond a quarter', ['--key', 'any', '--winsor', '0.4'], /--winsor/],
    ['an unknown option', ['--key', 'any', '--colour', 'red'], /Unknown option '--colour'/],
    ['an experiment that does not exist', ['--key', 'nope'], /Experiment nope not found/],
  ])('refuses %s: a message and exit code 1', (_name, args, message) => {
    const r = run(args);
    expect([r.status, r.stderr]).toEqual([1, expect.stringMatching(message)]);
  });
});
