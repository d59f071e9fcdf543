import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@/db/client';
import { databaseOptions } from '@/server/db';
import { generateKey } from '@/server/privacy/encryption';

/** `npm run experiment:report` refusing what it cannot report, on a fresh embedded database. */
describe('npm run experiment:report, refusals', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'overload-experiment-cli-'));
  const dataDir = path.join(dir, 'pglite');
  const env = { ...process.env, PGLITE_DATA_DIR: dataDir, PSEUDONYM_KEY: generateKey(), DATABASE_URL: '' };
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/experiment-report.ts', ...args], {
      env,
      encoding: 'utf8',
    });

  beforeAll(async () => {
    const database = await openDatabase(
      databaseOptions({ databaseUrl: undefined, pgliteDataDir: dataDir, migrate: true }),
    );
    await database.close();
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
