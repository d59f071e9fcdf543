import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sets, users } from '@/db/schema';
import { generateKey } from '@/server/privacy/encryption';
import { type CliDatabase, cliDatabase } from '../helpers/cli-database';

describe('npm run import', () => {
  let cli: CliDatabase;
  const key = generateKey();
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/import.ts', ...args], {
      env: { ...process.env, DATABASE_URL: cli.url, DATA_ENCRYPTION_KEY: key },
      encoding: 'utf8',
    });
  const FILE = 'tests/fixtures/imports/strong/comma-12-columns-kg.csv';
  const records = parse(readFileSync(FILE), { columns: true, bom: true }) as unknown[];

  beforeAll(async () => {
    cli = await cliDatabase();
    const database = await cli.open();
    await database.db.insert(users).values({ id: 'lifter-1' });
    await database.close();
  });
  afterAll(() => cli.drop());

  it('refuses bad arguments (exit 2) and a file without a unit (exit 1, naming unit)', () => {
    const noUser = run('--file', FILE);
    expect(noUser.status).toBe(2);
    expect(noUser.stderr).toMatch(/--user is required/);
    const noUnit = run('--user', 'lifter-1', '--file', FILE);
    expect(noUnit.status).toBe(1);
    expect(noUnit.stderr).toMatch(/unit: is required/);
  });

  it('imports with progress and a report', async () => {
    const first = run('--user', 'lifter-1', '--file', FILE, '--unit', 'kg');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/importing \(bytes read, checked then written\): (\d+)\/\1 \(100%\)/);
    expect(first.stdout).toContain(`sets: ${records.length} new, 0 already there, 0 skipped`);
    const database = await cli.open();
    try {
      expect(await database.db.$count(sets, eq(sets.userId, 'lifter-1'))).toBe(records.length);
    } finally {
      await database.close();
    }
  });
});
