import { openDatabase, type Database, type Db } from '@/db/client';
import { env } from './env';

// Kept on globalThis: Next may load this module once per route bundle, and PGlite allows one opener per folder.
const holder = globalThis as typeof globalThis & { __overloadDb?: Promise<Database> };

/** The process-wide database, opened on first use (never at import, so `next build` does not touch it). */
export function getDatabase(): Promise<Database> {
  holder.__overloadDb ??= (() => {
    const e = env();
    return openDatabase({ databaseUrl: e.DATABASE_URL, pgliteDataDir: e.PGLITE_DATA_DIR, poolMax: e.DB_POOL_MAX });
  })();
  return holder.__overloadDb;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

/** Tests and scripts hand in a database they opened themselves. */
export function useDatabase(database: Database | undefined): void {
  holder.__overloadDb = database ? Promise.resolve(database) : undefined;
}
