import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateKey } from '@/server/privacy/encryption';

/** `npm run strength:backtest` on a fresh embedded database holding a real Strong export. */
describe('npm run strength:backtest', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'overload-backtest-cli-'));
  const env = {
    ...process.env,
    PGLITE_DATA_DIR: path.join(dir, 'pglite'),
    DATA_ENCRYPTION_KEY: generateKey(),
    PSEUDONYM_KEY: generateKey(),
    DATABASE_URL: '',
  };
  const run = (script: string, args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], { env, encoding: 'utf8' });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses bad arguments and unknown lifters: a message, exit code 1', () => {
    for (const [args, message] of [
      [[], /--user is required/],
      [['--user', 'bad id!'], /--user must be/],
      [['--user', 'nobody'], /No user nobody/],
      [['--user', 'x', '--weeks', '3'], /Unknown option '--weeks'/],
    ] as const) {
      const r = run('strength-backtest', [...args]);
      expect([r.status, r.stderr]).toEqual([1, expect.stringMatching(message)]);
    }
  });

  it('scores an imported history, as JSON', () => {
    expect(run('user-create', ['--id', 'ben', '--role', 'lifter', '--no-token']).status).toBe(0);
    const imported = run('import', [
      '--user',
      'ben',
      '--file',
      'tests/fixtures/imports/strong/comma-12-columns-kg.csv',
      '--unit',
      'kg',
    ]);
    expect(imported.status, imported.stderr).toBe(0);
    const r = run('strength-backtest', ['--user', 'ben', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(Object.keys(result)).toEqual(['user', 'exercises', 'sessions_scored', 'estimator', 'baselines']);
    expect(result.user).toBe('ben');
    expect(result.sessions_scored).toBeGreaterThan(50);
    expect(result.estimator.coverage_80).toBeGreaterThan(0);
    expect(result.estimator.coverage_80).toBeLessThanOrEqual(1);
    for (const mae of [
      result.estimator.mae_pct,
      result.baselines.previous_session.mae_pct,
      result.baselines.best_4w.mae_pct,
    ])
      expect(mae).toBeGreaterThan(0);
  });
});
