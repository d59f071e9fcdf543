import { randomBytes } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { type Database, type Db, type DbKind, MIGRATIONS_FOLDER, openDatabase, schema } from '@/db/client';
import { forgetAll } from '@/server/auth/credential-cache';
import { setDatabase } from '@/server/db';
import { withDatabase } from '../../scripts/lib/throwaway-postgres';
import { TEMPLATE_DB } from '../setup/postgres';

/**
 * Both engines, always in `npm test`. `TEST_DATABASES=pglite` narrows a run to one: `npm run test:dates` does so on
 * the plain weekdays, where the question is the week arithmetic, not the engine (it runs both at the edges).
 */
const DB_KINDS: readonly DbKind[] = (['pglite', 'postgres'] as const).filter(
  (kind) => !process.env.TEST_DATABASES || process.env.TEST_DATABASES.split(',').includes(kind),
);

// One migrated in-memory PGlite per test file; each test database is a cheap clone of it.
let pgliteBase: Promise<PGlite> | undefined;

async function openPglite(): Promise<Database> {
  pgliteBase ??= (async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    const { drizzle } = await import('drizzle-orm/pglite');
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    const base = await PGlite.create('memory://');
    await migrate(drizzle(base, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
    return base;
  })();
  const clone = (await (await pgliteBase).clone()) as PGlite;
  const { drizzle } = await import('drizzle-orm/pglite');
  return { db: drizzle(clone, { schema }) as unknown as Db, kind: 'pglite', close: () => clone.close() };
}

async function openPostgres(): Promise<Database> {
  const url = inject('postgresUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase({ databaseUrl: url, poolMax: 1 });
  await admin.db.execute(sql.raw(`create database ${name} template ${TEMPLATE_DB}`));
  const database = await openDatabase({ databaseUrl: withDatabase(url, name), poolMax: 5 });
  return {
    ...database,
    close: async () => {
      await database.close();
      await admin.db.execute(sql.raw(`drop database if exists ${name} with (force)`));
      await admin.close();
    },
  };
}

/** A fresh, migrated, empty database of the given kind. */
export function openTestDatabase(kind: DbKind): Promise<Database> {
  return kind === 'pglite' ? openPglite() : openPostgres();
}

export interface DbContext {
  kind: DbKind;
  /** The database of this block; also installed as the app's database for route handlers. */
  readonly db: Db;
  readonly database: Database;
}

/** Runs the same block once on PGlite and once on PostgreSQL, each with its own fresh database. */
export function describeEachDatabase(name: string, body: (ctx: DbContext) => void): void {
  describe.each(DB_KINDS)(`${name} [%s]`, (kind) => {
    let database: Database | undefined;
    const ctx: DbContext = {
      kind,
      get db() {
        if (!database) throw new Error('database not open yet (use it inside a test or hook)');
        return database.db;
      },
      get database() {
        if (!database) throw new Error('database not open yet');
        return database;
      },
    };
    beforeAll(async () => {
      database = await openTestDatabase(kind);
      setDatabase(database);
      forgetAll(); // credentials remembered from another database's users
    });
    afterAll(async () => {
      setDatabase(undefined);
      await database?.close();
    });
    body(ctx);
  });
}
