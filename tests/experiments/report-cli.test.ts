import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@/db/client';
import { users } from '@/db/schema';
import { experimentReport } from '@/server/contracts/experiments';
import { databaseOptions } from '@/server/db';
import { createExperiment, startExperiment } from '@/server/experiments/experiments';
import { generateKey } from '@/server/privacy/encryption';
import { testNow } from '../helpers/clock';
import { ruleVersusHold } from '../helpers/experiments';

/** `npm run experiment:report` as a researcher runs it, on a fresh embedded database. */
describe('npm run experiment:report', () => {
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
    try {
      await database.db.insert(users).values([
        { id: 'a', role: 'lifter', analyticsOptIn: true },
        { id: 'b', role: 'lifter', analyticsOptIn: true },
      ]);
      await createExperiment(database.db, 'r', ruleVersusHold('cli-check'));
      await startExperiment(database.db, 'cli-check', testNow());
    } finally {
      await database.close();
    }
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the report: SRM, verdict, arms, metrics and planning; --json is the REST body', () => {
    const text = run(['--key', 'cli-check', '--mde', '0.3']);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^Experiment cli-check — running, no complete week yet/m);
    expect(text.stdout).toMatch(/^SRM: ok/m);
    expect(text.stdout).toMatch(/^Verdict: no difference yet: no complete week/m);
    expect(text.stdout).toMatch(/control\s+rules@/);
    expect(text.stdout).toMatch(/to detect 0\.300 with 80% power/);
    expect(text.stdout).toMatch(/planned for the always-valid interval .*±3\.0[34] SE/);
    const json = run(['--key', 'cli-check', '--json']);
    expect(json.status).toBe(0);
    const body = experimentReport.parse(JSON.parse(json.stdout));
    expect(body.arms.map((a) => a.assigned)).toEqual([0, 0]);
    expect(body.window).toBeNull();
  });
});
