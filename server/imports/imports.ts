import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { type Db, rows } from '@/db/client';
import { imports, sessions, sets } from '@/db/schema';
import { markSessionWeeksDirty } from '@/server/analytics/job';
import type { ImportReport, ImportSummary } from '@/server/contracts/imports';
import { notFound } from '@/server/errors';
import { checkExport, type ImportSource, type ReadOptions } from './check-export';
import { claimImport, releaseImport } from './import-lock';
import { writeImport } from './write-import';

/**
 * Importing another app's history (issue 22), in two passes over the file: a check pass reads all of it, streamed,
 * holding only counts — and refuses, before any transaction opens, a file with unreadable rows (422, unless
 * `skipInvalid`) or past a limit (422 `import_limit`); then the write pass reads it again into one transaction
 * (write-import.ts): all of it or nothing. One import at a time per lifter (409). The sessions and sets an import
 * created carry its id: undoing removes exactly those.
 */
export interface ImportOptions extends ReadOptions {
  /** When the import runs: a workout more than two days after it is refused, as the API refuses one. */
  now: Date;
  fileName?: string | null;
}

/** Imports an export into a lifter's history; the report answers what was created, found again and skipped. */
export async function importExport(
  db: Db,
  userId: string,
  source: ImportSource,
  opts: ImportOptions,
): Promise<ImportReport> {
  const holder = await claimImport(db, userId, opts.now);
  try {
    const checked = await checkExport(source, opts);
    return await writeImport(db, userId, source, checked, opts);
  } finally {
    await releaseImport(db, userId, holder);
  }
}

/** A lifter's imports, newest first, undone ones too. */
export async function listImports(db: Db, userId: string): Promise<ImportSummary[]> {
  const found = await db
    .select()
    .from(imports)
    .where(eq(imports.userId, userId))
    .orderBy(desc(imports.createdAt), desc(imports.id))
    .limit(200);
  return found.map((i) => ({
    import_id: i.id,
    format: i.format,
    layout: i.layout,
    file_name: i.fileName,
    sessions: i.sessions,
    sets: { new: i.setsNew, duplicate: i.setsDuplicate, skipped: i.setsSkipped },
    warnings: i.warnings.length,
    created_at: i.createdAt.toISOString(),
    undone_at: i.undoneAt?.toISOString() ?? null,
  }));
}

/**
 * Undoes an import: removes the sets it created, and the sessions it created that are left empty (a session a
 * later import added to stays, with those sets). The weeks touched are marked dirty, so analytics follow at once.
 */
export async function undoImport(
  db: Db,
  userId: string,
  importId: string,
): Promise<{ import_id: string; sessions_removed: number; sets_removed: number }> {
  return db.transaction(async (tx) => {
    const [found] = await tx
      .select({ id: imports.id })
      .from(imports)
      .where(and(eq(imports.userId, userId), eq(imports.id, importId), isNull(imports.undoneAt)))
      .for('update');
    if (!found) throw notFound(`Import ${importId}`, 'id');

    const touched = await rows<{ id: string }>(
      tx,
      sql`select distinct session_id::text as id from ${sets} where user_id = ${userId} and import_id = ${importId}::uuid
          union select id::text from ${sessions} where user_id = ${userId} and import_id = ${importId}::uuid`,
    );
    await markSessionWeeksDirty(
      tx,
      userId,
      touched.map((t) => t.id),
    );
    const removedSets = await tx
      .delete(sets)
      .where(and(eq(sets.userId, userId), eq(sets.importId, importId)))
      .returning({ sessionId: sets.sessionId });
    const removedSessions = await tx
      .delete(sessions)
      .where(
        and(
          eq(sessions.userId, userId),
          eq(sessions.importId, importId),
          sql`not exists (select 1 from ${sets} x where x.user_id = ${sessions.userId} and x.session_id = ${sessions.id})`,
        ),
      )
      .returning({ id: sessions.id });
    // Sessions that keep sets (a later import's, or the lifter's edits) stay: owned by what remains, a new version.
    await tx.execute(sql`
      update ${sessions} s set version = s.version + 1, updated_at = now(),
        import_id = case when s.import_id = ${importId}::uuid
          then (select x.import_id from ${sets} x where x.user_id = s.user_id and x.session_id = s.id
                and x.import_id is not null order by x.created_at limit 1)
          else s.import_id end
      where s.user_id = ${userId}
        and s.id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(touched.map((t) => t.id))}::jsonb))
        and exists (select 1 from ${sets} x where x.user_id = s.user_id and x.session_id = s.id)`);
    await tx
      .update(imports)
      .set({ undoneAt: sql`now()` })
      .where(and(eq(imports.userId, userId), eq(imports.id, importId)));
    return { import_id: importId, sessions_removed: removedSessions.length, sets_removed: removedSets.length };
  });
}
