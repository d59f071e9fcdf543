import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '@/db/schema';
import { experimentReport } from '@/server/contracts/experiments';
import { createExperiment, startExperiment } from '@/server/experiments/experiments';
import { generateKey } from '@/server/privacy/encryption';
import { type CliDatabase, cliDatabase } from '../helpers/cli-database';
import { testNow } from '../helpers/clock';
import { ruleVersusHold } from '../helpers/experiments';

/** `npm run experiment:report` as a researcher runs it, on a fresh database. */
describe('npm run experiment:report', () => {
  let cli: CliDatabase;
  const key = generateKey();
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/experiment-report.ts', ...args], {
      env: { ...process.env, DATABASE_URL: cli.url, PSEUDONYM_KEY: key },
      encoding: 'utf8',
    });

  beforeAll(async () => {
    cli = await cliDatabase();
    const database = await cli.open();
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
  });
  afterAll(() => cli.drop());

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
