import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';
import { postgresConnection } from './ssl';

export { schema };
/** The one database type the code sees, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DbKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: DbKind;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = path.join(process.cwd(), 'db', 'migrations');

export interface OpenOptions {
  databaseUrl?: string;
  pgliteDataDir?: string;
  poolMax?: number;
  /** Apply pending migrations after opening (PGlite: the default). */
  migrate?: boolean;
  /** A production connection to a non-local host defaults to `sslmode=verify-full` (db/ssl.ts). */
  production?: boolean;
  /** PostgreSQL: give up on a connection attempt after this many seconds (default 3). */
  connectTimeoutSeconds?: number;
}

/** Opens PostgreSQL when a URL is given, otherwise PGlite in a folder (or `memory://`). */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const { default: postgres } = await import('postgres');
    const { drizzle } = await import('drizzle-orm/postgres-js');
    const connection = postgresConnection(opts.databaseUrl, opts.production ?? false);
    const client = postgres(connection.url, {
      ssl: connection.ssl,
      max: opts.poolMax ?? 10,
      idle_timeout: 30,
      // While the database is away every request fails fast (ECONNREFUSED, or this timeout) and answers 503;
      // once it is back the next request connects at once: no growing back-off between attempts.
      connect_timeout: opts.connectTimeoutSeconds ?? 3,
      backoff: () => 0,
      onnotice: () => {},
    });
    const db = drizzle(client, { schema }) as unknown as Db;
    if (opts.migrate) {
      const { migrate } = await import('drizzle-orm/postgres-js/migrator');
      await migrate(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    }
    return { db, kind: 'postgres', close: () => client.end({ timeout: 5 }) };
  }

  const dataDir = opts.pgliteDataDir ?? '.data/pglite';
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const unlock = dataDir.startsWith('memory://') ? () => {} : lockDataDir(dataDir);
  let client: Awaited<ReturnType<typeof PGlite.create>>;
  try {
    client = await PGlite.create(dataDir);
  } catch (err) {
    unlock();
    throw err;
  }
  const db = drizzle(client, { schema }) as unknown as Db;
  if (opts.migrate ?? true) {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
  }
  return {
    db,
    kind: 'pglite',
    close: async () => {
      await client.close();
      unlock();
    },
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite corrupts a folder that two processes open at once. A pid lock file turns that into a clear error
 * (e.g. `npm run token:create` while `npm run dev` is running); a lock left by a dead process is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = `${dataDir.replace(/\/+$/, '')}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => rmSync(lockFile, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(lockFile, 'utf8').trim());
      if (holder && processAlive(holder)) {
        throw new Error(
          `The embedded database at ${dataDir} is in use by process ${holder} (PGlite allows one process per folder). ` +
            'Stop that process (e.g. `npm run dev`) or point PGLITE_DATA_DIR elsewhere.',
        );
      }
      rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}

/** `db.execute()` answers `{rows}` on PGlite and an array on postgres.js: every raw query goes through here. */
export async function rows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}
