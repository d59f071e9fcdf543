import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { rows } from '@/db/client';
import type { DbContext } from './databases';

/**
 * The bytes of the database as it lies on disk, after a checkpoint: PGlite's whole data directory (its dump);
 * for PostgreSQL, this database's own files and the write-ahead log.
 */
export async function databaseFiles(ctx: DbContext): Promise<Buffer> {
  await ctx.db.execute(sql`checkpoint`);
  if (ctx.kind === 'pglite') {
    const client = (ctx.db as unknown as { $client: PGlite }).$client;
    return Buffer.from(await (await client.dumpDataDir('none')).arrayBuffer());
  }
  const [where] = await rows<{ dir: string; oid: string }>(
    ctx.db,
    sql`select current_setting('data_directory') as dir, oid::text as oid
        from pg_database where datname = current_database()`,
  );
  return Buffer.concat(
    [path.join(where!.dir, 'base', where!.oid), path.join(where!.dir, 'pg_wal')]
      .flatMap(filesUnder)
      .map((f) => readFileSync(f)),
  );
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}
