import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { type Db, rows } from '@/db/client';
import { columnNames as names } from '@/db/column-names';
import { analyticsDirtyWeeks, deletedImportWorkouts, exerciseAliases, imports, sessions, sets } from '@/db/schema';
import type { ImportFormat } from '@/db/schema/enums';
import { IMPORT_MAX_WARNINGS, type ImportReport } from '@/server/contracts/imports';
import { exerciseKey } from '@/server/exercises/catalog';
import { type SentName, sentNames } from '@/server/exercises/names';
import { lifterTimeZone } from '@/server/time/lifter-calendar';
import { type CheckedExport, deadline, type ImportSource, openExport, type ReadOptions, setsOf } from './check-export';
import type { ImportedSet } from './imported-set';

/**
 * The write pass of an import, in one transaction, after the check pass found the file acceptable: its sets are
 * streamed again into a staging table, then turned into sessions and sets by a few set-based statements. Every set
 * carries a content key, unique per lifter, so the same file again — or a later export holding it — adds only what
 * is new; every workout a key (its app and start as written), so a later export's new sets of a workout join it.
 * The statements name tables and columns through drizzle's schema objects: a renamed column fails the type check.
 */
const BATCH = 2_000;

/** The set's identity across imports: its app, workout, exercise (by key: case and spacing do not matter), place and values. */
function contentKey(format: ImportFormat, s: ImportedSet): string {
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

/** A workout's import key (`sessions.import_key`, `deleted_import_workouts`): its app and its start as written. */
const workoutKey = (format: ImportFormat) => sql`${format}::text || ' ' || r.workout_start`;

/** Streams the file's sets into the staging table in batches; answers how many. */
async function stageSets(
  tx: Db,
  source: ImportSource,
  opts: ReadOptions,
  format: ImportFormat,
  checkTime: () => void,
): Promise<number> {
  await tx.execute(sql`create temp table import_rows (${STAGED_COLUMNS}) on commit drop`);
  const names = new Map<string, SentName>();
  const nameOf = (exercise: string) => {
    let n = names.get(exercise);
    if (!n) {
      n = sentNames([exercise]).get(exercise)!;
      names.set(exercise, n);
    }
    return n;
  };
  let staged = 0;
  let batch: Staged[] = [];
  const flush = async () => {
    checkTime();
    if (batch.length === 0) return;
    await tx.execute(sql`
      insert into import_rows
      select * from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as x(${STAGED_COLUMNS})`);
    batch = [];
  };
  for await (const { set: s } of setsOf(await openExport(source, opts))) {
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
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return staged;
}

/** Workouts the lifter deleted after an earlier import stay deleted: their staged sets go; answers their lines. */
async function dropDeletedWorkouts(tx: Db, userId: string, format: ImportFormat): Promise<number[]> {
  const d = deletedImportWorkouts;
  const dropped = await rows<{ line: number }>(
    tx,
    sql`delete from import_rows r using ${d}
        where ${d.userId} = ${userId} and ${d.importKey} = ${workoutKey(format)}
        returning r.line`,
  );
  return dropped.map((row) => row.line).sort((x, y) => x - y);
}

/** One session per workout not imported before, its local start placed in the lifter's zone; answers how many. */
async function createSessions(
  tx: Db,
  userId: string,
  importId: string,
  format: ImportFormat,
  timeZone: string,
): Promise<number> {
  const s = sessions;
  const [created] = await rows<{ n: number }>(
    tx,
    sql`with w as (
          select distinct on (r.workout_start) r.workout_start, r.workout_name, ${workoutKey(format)} as key,
            case when length(r.workout_start) = 10 then null
                 when r.workout_start ~ '(Z|[+-][0-9]{2}:?[0-9]{2})$' then r.workout_start::timestamptz
                 else r.workout_start::timestamp at time zone ${timeZone} end as performed_at
          from import_rows r order by r.workout_start, r.ord
        ), ins as (
          insert into ${s} (${names(s.userId, s.date, s.performedAt, s.dayType, s.finished, s.importId, s.importKey)})
          select ${userId}, coalesce((performed_at at time zone ${timeZone})::date, workout_start::date), performed_at,
                 workout_name, true, ${importId}::uuid, key
          from w
          on conflict (${names(s.userId, s.importKey)}) do nothing
          returning 1
        )
        select count(*)::int as n from ins`,
  );
  return created!.n;
}

/** Names the catalog does not know become the lifter's own exercises (aliases), as the API's names do. */
async function addAliases(tx: Db, userId: string): Promise<void> {
  const a = exerciseAliases;
  await tx.execute(sql`
    insert into ${a} (${names(a.userId, a.key, a.exercise)})
    select distinct on (key) ${userId}, key, fallback from import_rows where not known order by key, ord
    on conflict (${names(a.userId, a.key)}) do nothing`);
}

/**
 * The staged sets not imported before, into their workouts' sessions (numbered after the sets already there); the
 * weeks touched marked dirty, sessions of earlier imports that gained sets given a new version. Answers how many.
 */
async function insertSets(tx: Db, userId: string, importId: string, format: ImportFormat): Promise<number> {
  const { userId: setUser, sessionId, importKey, setNumber } = sets;
  const a = exerciseAliases;
  const d = analyticsDirtyWeeks;
  const s = sessions;
  const [result] = await rows<{ fresh: number }>(
    tx,
    sql`with staged as (
          select r.*, ${s.id} as session_id from import_rows r
          join ${s} on ${s.userId} = ${userId} and ${s.importKey} = ${workoutKey(format)}
          where not exists (select 1 from ${sets} where ${setUser} = ${userId} and ${importKey} = r.content_key)
        ), last as (
          select ${sessionId} as session_id, max(${setNumber}) as n from ${sets}
          where ${setUser} = ${userId} and ${sessionId} in (select session_id from staged) group by ${sessionId}
        ), ins as (
          insert into ${sets} (${names(
            setUser,
            sessionId,
            sets.exercise,
            sets.sentExercise,
            setNumber,
            sets.recWeight,
            sets.recReps,
            sets.actualWeight,
            sets.actualReps,
            sets.intensity,
            sets.done,
            sets.setType,
            sets.notes,
            sets.importId,
            importKey,
          )})
          select ${userId}, st.session_id, coalesce(${a.exercise}, st.fallback), st.exercise,
                 coalesce(l.n, 0) + row_number() over (partition by st.session_id order by st.ord),
                 st.rec_weight, st.rec_reps, st.weight, st.reps, st.rpe, true, st.set_type::set_type, st.notes,
                 ${importId}::uuid, st.content_key
          from staged st
          left join last l on l.session_id = st.session_id
          left join ${a} on ${a.userId} = ${userId} and ${a.key} = st.key
          -- The partial unique index of imported sets (its predicate names it for the conflict).
          on conflict (${names(setUser, importKey)}) where ${importKey} is not null do nothing
          returning ${sessionId} as session_id
        ), touched as (
          select distinct session_id from ins
        ), dirty as (
          insert into ${d} (${names(d.userId, d.weekStart)})
          select distinct ${userId}, date_trunc('week', ${s.date})::date from ${s}
          join touched t on ${s.userId} = ${userId} and ${s.id} = t.session_id
          on conflict (${names(d.userId, d.weekStart)}) do update set ${names(d.touchedAt)} = now()
        ), bumped as (
          -- Sessions an earlier import created that gained sets: a new version.
          update ${s} set ${names(s.version)} = ${s.version} + 1, ${names(s.updatedAt)} = now() from touched t
          where ${s.userId} = ${userId} and ${s.id} = t.session_id and ${s.importId} is distinct from ${importId}::uuid
        )
        select count(*)::int as fresh from ins`,
  );
  return result!.fresh;
}

/** The write pass: everything or nothing, within what is left of the time budget. */
export async function writeImport(
  db: Db,
  userId: string,
  source: ImportSource,
  checked: CheckedExport,
  opts: ReadOptions & { fileName?: string | null },
): Promise<ImportReport> {
  const checkTime = deadline(opts.limits);
  const { format, layout } = checked;
  const timeZone = (await lifterTimeZone(db, userId)) ?? 'UTC';
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(imports)
      .values({ userId, format, layout, fileName: opts.fileName ?? null })
      .returning({ id: imports.id });
    const importId = created!.id;
    let staged = await stageSets(tx, source, opts, format, checkTime);

    const warnings = [...checked.warnings];
    const skippedReasons = { ...checked.skippedReasons };
    let skipped = checked.skipped;
    const deletedLines = await dropDeletedWorkouts(tx, userId, format);
    if (deletedLines.length > 0) {
      const reason = 'a workout you deleted after an earlier import';
      skipped += deletedLines.length;
      staged -= deletedLines.length;
      skippedReasons[reason] = deletedLines.length;
      for (const line of deletedLines) {
        if (warnings.length < IMPORT_MAX_WARNINGS) warnings.push({ line, message: `not imported: ${reason}` });
      }
    }
    checkTime();
    const sessionCount = await createSessions(tx, userId, importId, format, timeZone);
    await addAliases(tx, userId);
    checkTime();
    const fresh = await insertSets(tx, userId, importId, format);
    checkTime();

    const report: ImportReport = {
      import_id: importId,
      format,
      layout,
      sessions: sessionCount,
      sets: { new: fresh, duplicate: staged - fresh, skipped },
      skipped_reasons: skippedReasons,
      warnings,
    };
    await tx
      .update(imports)
      .set({ sessions: sessionCount, setsNew: fresh, setsDuplicate: staged - fresh, setsSkipped: skipped, warnings })
      .where(and(eq(imports.userId, userId), eq(imports.id, importId)));
    return report;
  });
}
