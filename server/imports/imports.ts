import { createHash } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { type Db, rows } from '@/db/client';
import { deletedImportWorkouts, imports, sessions, sets } from '@/db/schema';
import type { ImportFormat } from '@/db/schema/enums';
import { markSessionWeeksDirty } from '@/server/analytics/job';
import {
  IMPORT_MAX_FAULTS,
  IMPORT_MAX_WARNINGS,
  type ImportReport,
  type ImportSummary,
} from '@/server/contracts/imports';
import { exerciseKey } from '@/server/exercises/catalog';
import { type SentName, sentNames } from '@/server/exercises/names';
import { ApiError, badRequest, notFound } from '@/server/http/errors';
import { lifterTimeZone } from '@/server/time/lifter-calendar';
import type { ImportedSet } from './imported-set';
import { MalformedCsvError, readExport, UnitRequiredError, UnknownFormatError } from './read-export';

/**
 * Importing another app's history (issue 22). The file is read streamed into a staging table inside one
 * transaction, then turned into sessions and sets by a few set-based statements: all of it or, when a row cannot
 * be read, nothing (422) unless `skipInvalid`. Every set carries a content key (app, workout start, exercise, its
 * position in the workout, its values), unique per lifter, so importing the same file again — or a later export
 * that contains it — adds only what is new; every workout a key (app and start), so a later export's new sets of a
 * workout join its session. The sessions and sets an import created carry its id: undoing removes exactly those.
 */
export interface ImportOptions {
  /** When the import runs: a workout more than two days after it is refused, as the API refuses one. */
  now: Date;
  format?: ImportFormat;
  unit?: 'kg' | 'lb';
  skipInvalid?: boolean;
  fileName?: string | null;
}

const BATCH = 2_000;

/** The set's identity across imports: its app, workout, exercise (by key: case and spacing do not matter), place and values. */
export function contentKey(format: ImportFormat, s: ImportedSet): string {
  const identity = [
    format,
    s.workoutStart,
    exerciseKey(s.exercise),
    s.setOrder,
    s.setType,
    s.weightKg,
    s.reps,
    s.recWeightKg,
    s.recReps,
    s.rpe,
  ];
  return createHash('sha256').update(JSON.stringify(identity)).digest('base64url').slice(0, 27);
}

interface Staged {
  ord: number;
  line: number;
  workout_start: string;
  workout_name: string | null;
  exercise: string;
  key: string;
  fallback: string;
  known: boolean;
  set_type: string;
  weight: number | null;
  reps: number | null;
  rec_weight: number | null;
  rec_reps: number | null;
  rpe: number | null;
  notes: string | null;
  content_key: string;
}

/** The staging table's columns: `Staged`, as SQL. */
const STAGED_COLUMNS = sql.raw(`ord int, line int, workout_start text, workout_name text, exercise text, key text,
  fallback text, known boolean, set_type text, weight float8, reps int, rec_weight float8, rec_reps int, rpe float8,
  notes text, content_key text`);

async function stage(tx: Db, batch: Staged[]): Promise<void> {
  if (batch.length === 0) return;
  await tx.execute(sql`
    insert into import_rows
    select * from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as x(${STAGED_COLUMNS})`);
}

function readError(err: unknown, format: ImportFormat | undefined): never {
  if (err instanceof UnknownFormatError) {
    throw new ApiError(400, 'unknown_format', `The file is not an export Overload reads: ${err.message}.`, [
      { path: format ? 'format' : 'body', message: err.message },
    ]);
  }
  if (err instanceof UnitRequiredError) {
    throw badRequest('The file does not say whether its weights are kg or lb: send ?unit=kg or ?unit=lb.', [
      { path: 'unit', message: 'is required: the file states no unit' },
    ]);
  }
  throw err;
}

/** Imports an export into a lifter's history; the report answers what was created, found again and skipped. */
export async function importExport(
  db: Db,
  userId: string,
  source: AsyncIterable<Buffer | Uint8Array | string>,
  opts: ImportOptions,
): Promise<ImportReport> {
  const reader = await readExport(source, { unit: opts.unit, now: opts.now }).catch((err) =>
    readError(err, opts.format),
  );
  const { format, layout } = reader.detected;
  if (opts.format && opts.format !== format) {
    throw badRequest(`The file is a ${format} export, not ${opts.format}.`, [
      { path: 'format', message: `is ${opts.format}, but the header is ${format}'s` },
    ]);
  }
  const timeZone = (await lifterTimeZone(db, userId)) ?? 'UTC';

  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(imports)
      .values({ userId, format, layout, fileName: opts.fileName ?? null })
      .returning({ id: imports.id });
    const importId = created!.id;
    await tx.execute(sql`create temp table import_rows (${STAGED_COLUMNS}) on commit drop`);
    // A workout's import key (`sessions.import_key`, `deleted_import_workouts`): its app and its start as written.
    const workoutKey = sql`${format}::text || ' ' || r.workout_start`;

    const names = new Map<string, SentName>();
    const nameOf = (exercise: string) => {
      let n = names.get(exercise);
      if (!n) {
        n = sentNames([exercise]).get(exercise)!;
        names.set(exercise, n);
      }
      return n;
    };
    const warnings: { line: number; message: string }[] = [];
    const faults: { line: number; message: string }[] = [];
    const skippedReasons: Record<string, number> = {};
    let faultCount = 0;
    let stoppedEarly = false;
    let skipped = 0;
    let staged = 0;
    let batch: Staged[] = [];
    const warn = (line: number, message: string) => {
      if (warnings.length < IMPORT_MAX_WARNINGS) warnings.push({ line, message });
    };

    const fileRows = (async function* () {
      try {
        yield* reader.rows;
      } catch (err) {
        if (!(err instanceof MalformedCsvError)) throw err;
        throw new ApiError(
          422,
          'malformed_csv',
          `Nothing was imported: the file stops being CSV at line ${err.line} (${err.message}).`,
          [{ path: `line ${err.line}`, message: err.message }],
        );
      }
    })();
    for await (const row of fileRows) {
      if ('invalid' in row) {
        faultCount++;
        if (faults.length < IMPORT_MAX_FAULTS) faults.push(row.invalid);
        if (!opts.skipInvalid) {
          // Refused anyway: list the first faulty lines, then stop reading.
          if (faults.length >= IMPORT_MAX_FAULTS) {
            stoppedEarly = true;
            break;
          }
          continue;
        }
        skipped++;
        skippedReasons.unreadable = (skippedReasons.unreadable ?? 0) + 1;
        warn(row.invalid.line, `skipped: ${row.invalid.message}`);
        continue;
      }
      if ('skipped' in row) {
        skipped++;
        skippedReasons[row.skipped.reason] = (skippedReasons[row.skipped.reason] ?? 0) + 1;
        warn(row.skipped.line, `not a set: ${row.skipped.reason}`);
        continue;
      }
      if (faultCount > 0 && !opts.skipInvalid) continue; // nothing will be written: no need to stage
      const s = row.set;
      const name = nameOf(s.exercise);
      batch.push({
        ord: staged++,
        line: s.line,
        workout_start: s.workoutStart,
        workout_name: s.workoutName?.slice(0, 64) ?? null,
        exercise: s.exercise,
        key: name.key,
        fallback: name.fallback,
        known: name.known,
        set_type: s.setType,
        weight: s.weightKg,
        reps: s.reps,
        rec_weight: s.recWeightKg,
        rec_reps: s.recReps,
        rpe: s.rpe,
        notes: s.notes === null ? null : (sets.notes.mapToDriverValue(s.notes) as string),
        content_key: contentKey(format, s),
      });
      if (batch.length >= BATCH) {
        await stage(tx, batch);
        batch = [];
      }
    }
    if (faultCount > 0 && !opts.skipInvalid) {
      const shown = faults.map((f) => `line ${f.line}: ${f.message}`).join('; ');
      throw new ApiError(
        422,
        'unreadable_rows',
        `Nothing was imported: ${stoppedEarly ? `at least ${faultCount}` : faultCount} row(s) cannot be read (${shown}). Fix them, or send ?skip_invalid=true to import the rest.`,
        faults.map((f) => ({ path: `line ${f.line}`, message: f.message })),
      );
    }
    await stage(tx, batch);

    // Workouts the lifter deleted after an earlier import stay deleted.
    const deletedBefore = await rows<{ line: number }>(
      tx,
      sql`delete from import_rows r using ${deletedImportWorkouts} d
          where d.user_id = ${userId} and d.import_key = ${workoutKey}
          returning r.line`,
    );
    if (deletedBefore.length > 0) {
      const reason = 'a workout you deleted after an earlier import';
      skipped += deletedBefore.length;
      staged -= deletedBefore.length;
      skippedReasons[reason] = deletedBefore.length;
      for (const { line } of deletedBefore.sort((a, b) => a.line - b.line)) warn(line, `not imported: ${reason}`);
    }

    const sessionsCreated = await rows<{ n: number }>(
      tx,
      sql`with w as (
            select distinct on (r.workout_start) r.workout_start, r.workout_name, ${workoutKey} as key,
              case when length(r.workout_start) = 10 then null
                   when r.workout_start ~ '(Z|[+-][0-9]{2}:?[0-9]{2})$' then r.workout_start::timestamptz
                   else r.workout_start::timestamp at time zone ${timeZone} end as performed_at
            from import_rows r order by r.workout_start, r.ord
          ), ins as (
            insert into sessions (user_id, date, performed_at, day_type, finished, import_id, import_key)
            select ${userId}, coalesce((performed_at at time zone ${timeZone})::date, workout_start::date), performed_at,
                   workout_name, true, ${importId}::uuid, key
            from w
            on conflict (user_id, import_key) do nothing
            returning 1
          )
          select count(*)::int as n from ins`,
    );

    await tx.execute(sql`
      insert into exercise_aliases (user_id, key, exercise)
      select distinct on (key) ${userId}, key, fallback from import_rows where not known order by key, ord
      on conflict (user_id, key) do nothing`);

    const [result] = await rows<{ fresh: number }>(
      tx,
      sql`with staged as (
            select r.*, s.id as session_id from import_rows r
            join sessions s on s.user_id = ${userId} and s.import_key = ${workoutKey}
            where not exists (select 1 from sets x where x.user_id = ${userId} and x.import_key = r.content_key)
          ), last as (
            select x.session_id, max(x.set_number) as n from sets x
            where x.user_id = ${userId} and x.session_id in (select session_id from staged) group by x.session_id
          ), ins as (
            insert into sets (user_id, session_id, exercise, sent_exercise, set_number, rec_weight, rec_reps,
                              actual_weight, actual_reps, intensity, done, set_type, notes, import_id, import_key)
            select ${userId}, st.session_id, coalesce(a.exercise, st.fallback), st.exercise,
                   coalesce(l.n, 0) + row_number() over (partition by st.session_id order by st.ord),
                   st.rec_weight, st.rec_reps, st.weight, st.reps, st.rpe, true, st.set_type::set_type, st.notes,
                   ${importId}::uuid, st.content_key
            from staged st
            left join last l on l.session_id = st.session_id
            left join exercise_aliases a on a.user_id = ${userId} and a.key = st.key
            on conflict (user_id, import_key) do nothing
            returning session_id
          ), touched as (
            select distinct session_id from ins
          ), dirty as (
            insert into analytics_dirty_weeks (user_id, week_start)
            select distinct ${userId}, date_trunc('week', s.date)::date from sessions s
            join touched t on s.user_id = ${userId} and s.id = t.session_id
            on conflict (user_id, week_start) do update set touched_at = now()
          ), bumped as (
            -- Sessions an earlier import created that gained sets: a new version.
            update sessions s set version = s.version + 1, updated_at = now() from touched t
            where s.user_id = ${userId} and s.id = t.session_id and s.import_id is distinct from ${importId}::uuid
          )
          select count(*)::int as fresh from ins`,
    );
    const fresh = result!.fresh;
    const report: ImportReport = {
      import_id: importId,
      format,
      layout,
      sessions: sessionsCreated[0]!.n,
      sets: { new: fresh, duplicate: staged - fresh, skipped },
      skipped_reasons: skippedReasons,
      warnings,
    };
    await tx
      .update(imports)
      .set({
        sessions: report.sessions,
        setsNew: fresh,
        setsDuplicate: staged - fresh,
        setsSkipped: skipped,
        warnings,
      })
      .where(and(eq(imports.userId, userId), eq(imports.id, importId)));
    return report;
  });
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
