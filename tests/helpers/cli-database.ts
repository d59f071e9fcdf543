import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { inject } from 'vitest';
import { type Database, openDatabase } from '@/db/client';
import { databaseOptions } from '@/server/db';
import { withDatabase } from '../../scripts/lib/throwaway-postgres';
import { TEMPLATE_DB } from '../setup/postgres';

/**
 * A fresh, migrated database on the run's throwaway PostgreSQL for tests that spawn the CLIs: each command connects
 * in milliseconds, where an embedded database would be opened (and migrated) by every process. The CLIs' embedded
 * path keeps its own tests (strength:backtest, simulate).
 */
export interface CliDatabase {
  /** What the spawned commands get as `DATABASE_URL`. */
  url: string;
  /** A connection of the test's own, to read what the commands wrote. */
  open(): Promise<Database>;
  drop(): Promise<void>;
}

export async function cliDatabase(): Promise<CliDatabase> {
  const server = inject('postgresUrl');
  const name = `cli_${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase({ databaseUrl: server, poolMax: 1, migrate: false });
  await admin.db.execute(sql.raw(`create database ${name} template ${TEMPLATE_DB}`));
  const url = withDatabase(server, name);
  return {
    url,
    // Through server/db.ts's options: they install the data keys the encrypted columns need.
    open: () => openDatabase(databaseOptions({ databaseUrl: url, poolMax: 2, migrate: false })),
    drop: async () => {
      await admin.db.execute(sql.raw(`drop database if exists ${name} with (force)`));
      await admin.close();
    },
  };
}
