import { eq, min, type SQL, sql } from 'drizzle-orm';
import { type Db, rows } from '@/db/client';
import { preparedStatement } from '@/db/prepared';
import { rowsSelect } from '@/db/rows-select';
import { analyticsDirtyWeeks, strengthEstimates as e, sessions, sets } from '@/db/schema';
import { workingSet } from '@/server/analytics/working-sets';
import { habitsOf, type StrengthPoint, smoothBeliefs, withHabits } from './estimate';
import {
  byExerciseThenDate,
  type EstimateRow,
  foldStrength,
  readingsOf,
  type SetRow,
  type StrengthReading,
} from './fold';

/** Each lifter's first day to (re)compute: the Monday of their first dirty week. */
type Starts = readonly { userId: string; from: string }[];

/** `(values (user, from), …) f(user_id, from_date)`: the lifters and their first day, as a table. */
function startsTable(starts: Starts): SQL {
  const list = sql.join(
    starts.map((s) => sql`(${s.userId}, ${s.from}::date)`),
    sql`, `,
  );
  return sql`(values ${list}) as f(user_id, from_date)`;
}

/** One (lifter, exercise)'s working sets as the read sends them: a JSON array per column, in set order. */
type SetColumns = {
  userId: string;
  exercise: string;
  dates: string;
  weights: string;
  reps: string;
  rpes: string;
  failed: string;
};

/**
 * Working sets on or after each lifter's first day, in a fixed order (lifter, exercise, date, session, set). They
 * travel as one row per lifter and exercise with a JSON array per column: parsing a row per set cost the job more
 * than the fold (PGlite: 2.5 s against 0.4 s for 500 lifters' half year).
 */
async function setsFrom(db: Db, starts: Starts): Promise<SetRow[]> {
  const order = sql`order by ${sessions.date}, ${sessions.performedAt}, ${sessions.id}, ${sets.setNumber}`;
  const array = (value: SQL) => sql`json_agg(${value} ${order})::text`;
  const grouped = await rows<SetColumns>(
    db,
    sql`select ${sets.userId} as "userId", ${sets.exercise} as "exercise",
          ${array(sql`${sessions.date}::text`)} as "dates", ${array(sql`${sets.actualWeight}`)} as "weights",
          ${array(sql`${sets.actualReps}`)} as "reps", ${array(sql`${sets.intensity}`)} as "rpes",
          ${array(sql`(coalesce(${sets.actualReps} < ${sets.recReps}, false) or ${sets.setType} = 'failure')`)} as "failed"
        from ${sets}
        join ${sessions} on ${sessions.userId} = ${sets.userId} and ${sessions.id} = ${sets.sessionId}
        join ${startsTable(starts)} on f.user_id = ${sets.userId} and ${sessions.date} >= f.from_date
        where ${workingSet}
        group by 1, 2
        order by 1, 2`,
  );
  return grouped.flatMap(setRowsOf);
}

function setRowsOf(g: SetColumns): SetRow[] {
  const [dates, weights, reps, rpes, failed] = [g.dates, g.weights, g.reps, g.rpes, g.failed].map(
    (a) => JSON.parse(a) as unknown[],
  );
  return dates!.map((date, i) => ({
    userId: g.userId,
    exercise: g.exercise,
    date: date as string,
    weight: weights![i] as number | null,
    reps: reps![i] as number | null,
    rpe: rpes![i] as number | null,
    failed: failed![i] as boolean,
  }));
}

type StoredRow = {
  userId: string;
  exercise: string;
  date: string;
  level: number;
  trend: number;
  levelVar: number;
  levelTrendCov: number;
  trendVar: number;
  estimateKg: number;
  lowKg: number;
  highKg: number;
  trendPctPerWeek: number;
  suspectLevel: number | null;
  suspectVar: number | null;
  suspectDate: string | null;
  habits: number[];
};

const storedColumns = sql`${e.userId} as "userId", ${e.exercise} as "exercise", ${e.date}::text as "date",
  ${e.level} as "level", ${e.trend} as "trend", ${e.levelVar} as "levelVar", ${e.levelTrendCov} as "levelTrendCov",
  ${e.trendVar} as "trendVar", ${e.estimateKg} as "estimateKg", ${e.lowKg} as "lowKg", ${e.highKg} as "highKg",
  ${e.trendPctPerWeek} as "trendPctPerWeek", ${e.suspectLevel} as "suspectLevel", ${e.suspectVar} as "suspectVar",
  ${e.suspectDate}::text as "suspectDate", ${e.habits} as "habits"`;

/** Each (lifter, exercise)'s last stored belief before the lifter's first day. */
async function beliefsBefore(db: Db, starts: Starts): Promise<EstimateRow[]> {
  const stored = await rows<StoredRow>(
    db,
    sql`select distinct on (${e.userId}, ${e.exercise}) ${storedColumns}
        from ${e} join ${startsTable(starts)} on f.user_id = ${e.userId} and ${e.date} < f.from_date
        order by ${e.userId}, ${e.exercise}, ${e.date} desc`,
  );
  return stored.map(fromStored);
}

function fromStored(r: StoredRow): EstimateRow {
  return {
    userId: r.userId,
    exercise: r.exercise,
    date: r.date,
    estimateKg: r.estimateKg,
    lowKg: r.lowKg,
    highKg: r.highKg,
    trendPctPerWeek: r.trendPctPerWeek,
    belief: {
      ...withHabits(
        {
          mean: [r.level, r.trend],
          cov: [
            [r.levelVar, r.levelTrendCov],
            [r.levelTrendCov, r.trendVar],
          ],
        },
        r.habits,
      ),
      ...(r.suspectLevel !== null && r.suspectVar !== null && r.suspectDate !== null
        ? { suspect: { y: r.suspectLevel, variance: r.suspectVar, date: r.suspectDate } }
        : {}),
    },
  };
}

/** The beliefs these lifters' sets give from their first day on, each continuing from the last stored one. */
async function foldFrom(db: Db, starts: Starts): Promise<EstimateRow[]> {
  const [setRows, prior] = await Promise.all([setsFrom(db, starts), beliefsBefore(db, starts)]);
  return foldStrength(setRows, prior);
}

/** One lifter's beliefs from `from` on, continuing from the settled beliefs the caller already read. */
async function foldLive(db: Db, userId: string, from: string, settled: readonly EstimateRow[]) {
  return foldStrength(await setsFrom(db, [{ userId, from }]), settled);
}

/** Every working set of one lifter, in the fold's order: what a backtest replays. */
export function allSetsOf(db: Db, userId: string): Promise<SetRow[]> {
  return setsFrom(db, [{ userId, from: '0001-01-01' }]);
}

/**
 * The analytics job's step for estimated strength: for each lifter of the batch, drops the stored beliefs from
 * their first dirty week on and stores them again from the sets, continuing from the last belief before it.
 * Answers the rows written.
 */
export async function refreshStrength(tx: Db, claimed: readonly { userId: string; weekStart: string }[]) {
  const starts = firstWeeks(claimed);
  if (starts.length === 0) return 0;
  await tx.execute(
    sql`delete from ${e} using ${startsTable(starts)} where ${e.userId} = f.user_id and ${e.date} >= f.from_date`,
  );
  const fresh = await foldFrom(tx, starts);
  for (let i = 0; i < fresh.length; i += 5000) {
    await tx.insert(e).select(rowsSelect(e, fresh.slice(i, i + 5000).map(toStored)));
  }
  return fresh.length;
}

function firstWeeks(claimed: readonly { userId: string; weekStart: string }[]): Starts {
  const first = new Map<string, string>();
  for (const c of claimed)
    if (!first.has(c.userId) || c.weekStart < first.get(c.userId)!) first.set(c.userId, c.weekStart);
  return [...first].map(([userId, from]) => ({ userId, from }));
}

function toStored(r: EstimateRow): typeof e.$inferInsert {
  return {
    userId: r.userId,
    exercise: r.exercise,
    date: r.date,
    level: r.belief.mean[0],
    trend: r.belief.mean[1],
    levelVar: r.belief.cov[0][0],
    levelTrendCov: r.belief.cov[0][1],
    trendVar: r.belief.cov[1][1],
    habits: habitsOf(r.belief),
    estimateKg: r.estimateKg,
    lowKg: r.lowKg,
    highKg: r.highKg,
    trendPctPerWeek: r.trendPctPerWeek,
    suspectLevel: r.belief.suspect?.y ?? null,
    suspectVar: r.belief.suspect?.variance ?? null,
    suspectDate: r.belief.suspect?.date ?? null,
  };
}

/** The lifter's first dirty week: where stored beliefs stop being settled. */
async function firstDirtyWeek(db: Db, userId: string): Promise<string | null> {
  const [dirty] = await db
    .select({ first: min(analyticsDirtyWeeks.weekStart) })
    .from(analyticsDirtyWeeks)
    .where(eq(analyticsDirtyWeeks.userId, userId));
  return dirty?.first ?? null;
}

/**
 * One exercise's estimated strength on every day with sets, smoothed with hindsight (what a chart draws): the
 * settled stored beliefs, continued live over the dirty weeks.
 */
export async function strengthHistory(db: Db, userId: string, exercise: string): Promise<StrengthPoint[]> {
  const from = await firstDirtyWeek(db, userId);
  const settled = await rows<StoredRow>(
    db,
    sql`select ${storedColumns} from ${e}
        where ${e.userId} = ${userId} and ${e.exercise} = ${exercise} and ${e.date} < ${from ?? '9999-12-31'}::date
        order by ${e.date}`,
  );
  const beliefs = settled.map(fromStored);
  const last = beliefs.at(-1);
  const live = from
    ? (await foldLive(db, userId, from, last ? [last] : [])).filter((r) => r.exercise === exercise)
    : [];
  return smoothBeliefs([...beliefs, ...live]);
}

/**
 * One lifter's last stored belief per exercise before a date, by a skip scan over the primary key (user, exercise,
 * date): one index probe per exercise instead of reading years of daily beliefs. Prepared: every analytics answer
 * asks it.
 */
const latestBeliefsRead = preparedStatement<StoredRow, { userId: string; before: string }>(() => {
  const user = sql.placeholder('userId');
  const before = sql.placeholder('before');
  const next = (after: SQL | null) =>
    sql`(select ${e.exercise} from ${e} where ${e.userId} = ${user}${after ? sql` and ${e.exercise} > ${after}` : sql``}
         order by ${e.exercise} limit 1)`;
  return sql`with recursive ex(exercise) as (
      ${next(null)}
      union all
      select ${next(sql`ex.exercise`)} from ex where ex.exercise is not null
    )
    select b.* from ex cross join lateral (
      select ${storedColumns} from ${e}
      where ${e.userId} = ${user} and ${e.exercise} = ex.exercise and ${e.date} < ${before}::date
      order by ${e.date} desc limit 1
    ) b
    where ex.exercise is not null`;
});

/**
 * A lifter's estimated strength now, per exercise: the last stored belief before their first dirty week,
 * continued live over the sets since — the same fold the job runs, so the answer is the job's.
 */
export async function currentStrength(db: Db, userId: string): Promise<EstimateRow[]> {
  const from = await firstDirtyWeek(db, userId);
  const latest = new Map<string, EstimateRow>();
  // Without a dirty week every stored day is settled: the last belief before the end of time.
  const settled = (await latestBeliefsRead(db, { userId, before: from ?? '9999-12-31' })).map(fromStored);
  for (const r of settled) latest.set(r.exercise, r);
  if (from) for (const r of await foldLive(db, userId, from, settled)) latest.set(r.exercise, r);
  return [...latest.values()].sort((a, b) => a.exercise.localeCompare(b.exercise));
}

/**
 * These lifters' estimated strength per exercise and day from `from` to `to` (dates, inclusive): the stored beliefs
 * of settled weeks, continued live over dirty ones from the last stored belief — the job's answer whether or not it
 * has run (as `currentStrength`). `lifters` selects `user_id`s. Readings come by exercise, then date.
 */
export async function strengthReadingsOf(
  db: Db,
  lifters: SQL,
  from: string,
  to: string,
): Promise<Map<string, StrengthReading[]>> {
  const { dirty, readings } = await settledReadings(db, lifters, from, to);
  if (dirty.length > 0) await addLive(db, dirty, to, readings);
  return readings;
}

/**
 * The stored beliefs only, up to each lifter's first dirty week (`settledBefore`, absent when none is dirty): what
 * the analytics job has settled, without folding the rest — the feature pipeline's read, cheap whatever is dirty.
 */
export async function settledStrengthOf(db: Db, lifters: SQL, from: string, to: string) {
  const { dirty, readings } = await settledReadings(db, lifters, from, to);
  return { readings, settledBefore: new Map(dirty.map((x) => [x.userId, x.from])) };
}

/**
 * Each lifter's last settled belief per exercise dated before `before` (and before their first dirty week): all a
 * decision context reads, without the history of beliefs that `settledStrengthOf` carries for training.
 */
export async function latestSettledStrengthOf(db: Db, lifters: SQL, before: string) {
  const d = analyticsDirtyWeeks;
  const [found, dirty] = await Promise.all([
    rows<{ userId: string; exercise: string; date: string; level: number }>(
      db,
      sql`select distinct on (${e.userId}, ${e.exercise}) ${e.userId} as "userId", ${e.exercise} as "exercise",
                 ${e.date}::text as "date", ${e.level} as "level"
          from ${e}
          left join (select ${d.userId} as user_id, min(${d.weekStart}) as first_dirty from ${d}
                     where ${d.userId} in (${lifters}) group by ${d.userId}) f on f.user_id = ${e.userId}
          where ${e.userId} in (${lifters}) and ${e.date} < ${before}::date
            and (f.first_dirty is null or ${e.date} < f.first_dirty)
          order by ${e.userId}, ${e.exercise}, ${e.date} desc`,
    ),
    firstDirtyWeeks(db, lifters),
  ]);
  const readings = new Map<string, StrengthReading[]>();
  for (const { userId, ...reading } of found) readings.set(userId, [...(readings.get(userId) ?? []), reading]);
  return { readings, settledBefore: new Map(dirty.map((x) => [x.userId, x.from])) };
}

/** Each of these lifters' first dirty week, for those with one. */
function firstDirtyWeeks(db: Db, lifters: SQL) {
  const d = analyticsDirtyWeeks;
  return rows<{ userId: string; from: string }>(
    db,
    sql`select ${d.userId} as "userId", min(${d.weekStart})::text as "from" from ${d}
        where ${d.userId} in (${lifters}) group by ${d.userId}`,
  );
}

const byDate = (a: { date: string }, b: { date: string }) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

/**
 * The stored beliefs from `from` to `to`, before each lifter's first dirty week. A row per lifter and exercise, its
 * dates and levels as JSON arrays: a short sort per lift instead of one over each lifter's years of days.
 */
async function settledReadings(db: Db, lifters: SQL, from: string, to: string) {
  const [dirty, stored] = await Promise.all([
    firstDirtyWeeks(db, lifters),
    rows<{ userId: string; exercise: string; dates: string; levels: string }>(
      db,
      // Both lists come in the same order within a group, whatever it is: sorted here, not by two sorts a group.
      sql`select ${e.userId} as "userId", ${e.exercise} as "exercise",
                 json_agg(${e.date}::text)::text as "dates", json_agg(${e.level})::text as "levels"
          from ${e}
          where ${e.userId} in (${lifters}) and ${e.date} between ${from}::date and ${to}::date
          group by ${e.userId}, ${e.exercise}
          order by ${e.userId}, ${e.exercise}`,
    ),
  ]);
  const firstDirty = new Map(dirty.map((x) => [x.userId, x.from]));
  const readings = new Map<string, StrengthReading[]>();
  for (const r of stored) {
    const dates = JSON.parse(r.dates) as string[];
    const levels = JSON.parse(r.levels) as number[];
    // Beliefs from the first dirty week on are stale.
    const settledBefore = firstDirty.get(r.userId) ?? '9999-12-31';
    const lift: StrengthReading[] = [];
    dates.forEach((date, i) => {
      if (date < settledBefore) lift.push({ exercise: r.exercise, date, level: levels[i]! });
    });
    lift.sort(byDate);
    const own = readings.get(r.userId);
    if (own) for (const x of lift) own.push(x);
    else readings.set(r.userId, lift);
  }
  return { dirty, readings };
}

/** The beliefs of dirty weeks, folded live from the last stored ones, merged into each lifter's readings. */
async function addLive(db: Db, starts: Starts, to: string, out: Map<string, StrengthReading[]>) {
  const live = (await foldFrom(db, starts)).filter((r) => r.date <= to);
  const byLifter = new Map<string, EstimateRow[]>();
  for (const r of live) byLifter.set(r.userId, [...(byLifter.get(r.userId) ?? []), r]);
  for (const [userId, estimates] of byLifter) {
    const merged = [...(out.get(userId) ?? []), ...readingsOf(estimates)];
    merged.sort(byExerciseThenDate);
    out.set(userId, merged);
  }
}
