import { type Database, type Db, type OpenOptions, openDatabase } from '@/db/client';
import { setColumnCipher } from '@/db/schema/encrypted-text';
import { env } from './env';
import { decrypt, encrypt } from './privacy/encryption';
import { keyring } from './privacy/keyring';

// Encrypted columns are sealed with the data keys, read from the environment (or the key file) on first use.
setColumnCipher({ seal: (plain) => encrypt(plain, keyring()), open: (stored) => decrypt(stored, keyring()) });

/** How the environment says to open the database: PostgreSQL when DATABASE_URL is set, else PGlite. */
export function databaseOptions(overrides: Partial<OpenOptions> = {}): OpenOptions {
  const e = env();
  return {
    databaseUrl: e.DATABASE_URL,
    pgliteDataDir: e.PGLITE_DATA_DIR,
    poolMax: e.DB_POOL_MAX,
    connectTimeoutSeconds: e.DB_CONNECT_TIMEOUT_SECONDS,
    production: e.NODE_ENV === 'production',
    ...overrides,
  };
}

/** For CLI scripts: the database the environment names, migrated first when it is the embedded one. */
export function openDatabaseFromEnv(overrides: Partial<OpenOptions> = {}): Promise<Database> {
  return openDatabase(databaseOptions({ migrate: !env().DATABASE_URL, ...overrides }));
}

// Kept on globalThis: Next may load this module once per route bundle, and PGlite allows one opener per folder.
const holder = globalThis as typeof globalThis & { __overloadDb?: Promise<Database> };

/** The process-wide database, opened on first use (never at import, so `next build` does not touch it). */
export function getDatabase(): Promise<Database> {
  holder.__overloadDb ??= openDatabase(databaseOptions());
  return holder.__overloadDb;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

/** Tests and scripts hand in a database they opened themselves. */
export function setDatabase(database: Database | undefined): void {
  holder.__overloadDb = database ? Promise.resolve(database) : undefined;
}
