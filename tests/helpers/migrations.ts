import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MIGRATIONS_FOLDER } from '@/db/client';

/** A copy of the migrations folder as it was before the migration `tag`. */
function folderBefore(tag: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'overload-migrations-'));
  cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalFile = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag === tag);
  if (at <= 0) throw new Error(`no migration ${tag}`);
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(journalFile, JSON.stringify(journal));
  return dir;
}

/**
 * For upgrade tests: an embedded database migrated up to just before the migration `tag`, to fill with data of
 * that time; `upgrade()` applies every later migration. `close()` when done.
 */
export async function databaseBefore(tag: string) {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const folder = folderBefore(tag);
  const client = await PGlite.create('memory://');
  const db = drizzle(client);
  await migrate(db, { migrationsFolder: folder });
  return {
    db,
    upgrade: () => migrate(db, { migrationsFolder: MIGRATIONS_FOLDER }),
    async close() {
      await client.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
