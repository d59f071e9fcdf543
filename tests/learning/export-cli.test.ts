import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { parseISO } from 'date-fns';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '@/server/demo/seed';
import { DECISION_COLUMNS } from '@/server/learning/decision-rows';
import { generateKey } from '@/server/privacy/encryption';
import { type CliDatabase, cliDatabase } from '../helpers/cli-database';

/** The demo's "today", in the past: the export (through the week the CLI runs in) holds all of it. */
const DEMO_TODAY = parseISO('2026-11-25T10:00:00Z');

describe('npm run export:training (CSV and Parquet)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'overload-export-'));
  let cli: CliDatabase;
  const key = generateKey();
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/export-training.ts', ...args], {
      env: { ...process.env, DATABASE_URL: cli.url, PSEUDONYM_KEY: key },
      encoding: 'utf8',
    });

  beforeAll(async () => {
    cli = await cliDatabase();
    const database = await cli.open();
    await seedDemo(database.db, { today: DEMO_TODAY });
    await database.close();
  }, 120_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await cli.drop();
  });

  it('writes the same decision rows as CSV and as Parquet, with progress', async () => {
    const csvFile = path.join(dir, 'training.csv');
    const parquetFile = path.join(dir, 'training.parquet');
    const csvRun = run('--format', 'csv', '--out', csvFile);
    expect(csvRun.status).toBe(0);
    expect(csvRun.stdout).toMatch(/lifters, \d+ decision rows/);
    const parquetRun = run('--format', 'parquet', '--out', parquetFile);
    expect(parquetRun.status).toBe(0);

    const csvRows = parse(readFileSync(csvFile, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(Object.keys(csvRows[0]!)).toEqual(DECISION_COLUMNS.map(([name]) => name));
    expect(csvRows.length).toBeGreaterThan(20);

    const bytes = readFileSync(parquetFile);
    expect(bytes.subarray(0, 4).toString()).toBe('PAR1');
    expect(bytes.subarray(-4).toString()).toBe('PAR1');
    const parquetRows = (await parquetReadObjects({ file: await asyncBufferFromFile(parquetFile) })) as Record<
      string,
      unknown
    >[];
    expect(parquetRows.length).toBe(csvRows.length);
    const asCsv = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'boolean' ? String(v) : String(v));
    for (const column of ['subject', 'week', 'exercise', 'success_1', 'sample_1', 'plateau', 'served_policy']) {
      expect(parquetRows.map((r) => asCsv(r[column]))).toEqual(csvRows.map((r) => r[column]));
    }
  });

  it('refuses an unknown format with exit code 2', () => {
    const r = run('--format', 'xlsx');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/csv or parquet/);
  });
});
