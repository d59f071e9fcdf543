import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { type Db, rows } from '@/db/client';
import { columnNames as names } from '@/db/column-names';
import { experimentArms, experimentAssignments, experimentExposures, experiments, profiles, users } from '@/db/schema';
import { armIndex, bucketOf } from './assignment';

/** The running experiment, as serving needs it. */
export interface RunningExperiment {
  id: string;
  key: string;
  salt: string;
  /** Monday of the first week the arms decide; lifters enrolled earlier are served by their arm from then on. */
  startWeek: string;
  arms: RunningArm[];
}

export interface RunningArm {
  name: string;
  policy: string;
  weight: number;
  epsilon: number;
}

/** A lifter's place in the running experiment. */
export interface Enrollment {
  experiment: RunningExperiment;
  arm: RunningArm;
}

/** Who an experiment may enroll: lifters who opted in to analytics. */
export const optedInLifter = and(eq(users.analyticsOptIn, true), eq(users.role, 'lifter'))!;

/** An arm of the experiment by its stored name (undefined for a name it does not have). */
const armNamed = (experiment: RunningExperiment, name: string | null | undefined) =>
  experiment.arms.find((a) => a.name === name);

/** The experiment running now, with its arms in order; null when none is. */
export async function runningExperiment(db: Db): Promise<RunningExperiment | null> {
  const rows = await db
    .select({
      id: experiments.id,
      key: experiments.key,
      salt: experiments.salt,
      startWeek: experiments.startWeek,
      name: experimentArms.name,
      policy: experimentArms.policy,
      weight: experimentArms.weight,
      epsilon: experimentArms.epsilon,
    })
    .from(experiments)
    .innerJoin(experimentArms, eq(experimentArms.experimentId, experiments.id))
    .where(eq(experiments.status, 'running'))
    .orderBy(asc(experimentArms.position));
  const first = rows[0];
  if (!first) return null;
  return {
    id: first.id,
    key: first.key,
    salt: first.salt,
    startWeek: first.startWeek!,
    arms: rows.map(({ name, policy, weight, epsilon }) => ({ name, policy, weight, epsilon })),
  };
}

/**
 * The running experiment as the request path reads it: it changes only on start and stop, so each process
 * re-reads it at most every RUNNING_TTL_MS (start and stop in this process forget it at once). Another instance
 * may serve a just-stopped experiment's arm for those seconds — within the week the stop still counts.
 */
export const RUNNING_TTL_MS = 5_000;
const cache = new WeakMap<Db, { at: number; value: Promise<RunningExperiment | null> }>();

export function runningExperimentCached(db: Db, now = performance.now()): Promise<RunningExperiment | null> {
  const hit = cache.get(db);
  if (hit && now - hit.at < RUNNING_TTL_MS) return hit.value;
  const value = runningExperiment(db);
  cache.set(db, { at: now, value });
  value.catch(() => cache.delete(db));
  return value;
}

export function forgetRunningExperiment(db: Db): void {
  cache.delete(db);
}

/** The arm the hash gives this lifter (what enrollment stores). */
export function armFor(experiment: RunningExperiment, userId: string): { arm: RunningArm; bucket: number } {
  const bucket = bucketOf(experiment.salt, userId);
  return {
    arm: experiment.arms[
      armIndex(
        bucket,
        experiment.arms.map((a) => a.weight),
      )
    ]!,
    bucket,
  };
}

/**
 * Enrolls these lifters — the opted-in ones, not yet enrolled — into the running experiment, and answers every
 * enrolled lifter's arm. The stored arm wins over the hash: enrollment is sticky. Safe to repeat.
 */
export async function enrollAll(
  db: Db,
  experiment: RunningExperiment,
  userIds: readonly string[],
  week: string,
): Promise<Map<string, RunningArm>> {
  const out = new Map<string, RunningArm>();
  if (userIds.length === 0) return out;
  const eligible = await db
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, [...userIds]), optedInLifter));
  if (eligible.length > 0) {
    await db
      .insert(experimentAssignments)
      .values(
        eligible.map(({ id }) => {
          const { arm, bucket } = armFor(experiment, id);
          return { userId: id, experimentId: experiment.id, arm: arm.name, bucket, enrolledWeek: week };
        }),
      )
      .onConflictDoNothing();
  }
  // A lifter who opts out later is served the default policy again (and leaves the report); the row stays.
  const stored = await db
    .select({ userId: experimentAssignments.userId, arm: experimentAssignments.arm })
    .from(experimentAssignments)
    .innerJoin(users, and(eq(users.id, experimentAssignments.userId), eq(users.analyticsOptIn, true)))
    .where(
      and(eq(experimentAssignments.experimentId, experiment.id), inArray(experimentAssignments.userId, [...userIds])),
    );
  for (const { userId, arm } of stored) {
    const found = armNamed(experiment, arm);
    if (found) out.set(userId, found);
  }
  return out;
}

/** What the overlay reads first about a lifter while an experiment runs: their zone and their place in it. */
export interface OverlayState {
  timeZone: string | null;
  /** The stored arm, while the lifter is opted in. */
  arm: string | null;
  /** Monday of the last week the lifter's app was served the arm. */
  lastExposed: string | null;
}

function overlayStateQuery(db: Db) {
  const a = experimentAssignments;
  const x = experimentExposures;
  const experimentId = sql.placeholder('experimentId');
  return db
    .select({
      timeZone: profiles.timeZone,
      arm: sql<string | null>`case when ${users.analyticsOptIn} then ${a.arm} end`,
      lastExposed: sql<string | null>`(select max(${x.weekStart})::text from ${x}
                                        where ${x.userId} = ${users.id} and ${x.experimentId} = ${experimentId}::uuid)`,
    })
    .from(users)
    .leftJoin(profiles, eq(profiles.userId, users.id))
    .leftJoin(a, and(eq(a.userId, users.id), eq(a.experimentId, sql`${experimentId}::uuid`)))
    .where(eq(users.id, sql.placeholder('userId')))
    .prepare('experiment_overlay_state');
}

// Built once per database and prepared: the overlay asks it on every request while an experiment runs.
const preparedState = new WeakMap<Db, ReturnType<typeof overlayStateQuery>>();

/**
 * The lifter's time zone (for this week's Monday) with their enrollment, in the one read the overlay makes
 * before its modifiers: a lifter enrolled and exposed already this week costs the request nothing more.
 */
export async function overlayState(db: Db, userId: string, experiment: RunningExperiment): Promise<OverlayState> {
  let query = preparedState.get(db);
  if (!query) {
    query = overlayStateQuery(db);
    preparedState.set(db, query);
  }
  const [row] = await query.execute({ userId, experimentId: experiment.id });
  return row ?? { timeZone: null, arm: null, lastExposed: null };
}

/**
 * The lifter's enrollment when the app asks for its overlay: enrolls an opted-in lifter on first request while
 * an experiment runs, and records the week's exposure once the arms decide (from the start week on). When the
 * overlay's first read says both are done, nothing more; otherwise one statement that writes only what is
 * missing. Repeating it changes nothing.
 */
export async function enrollForOverlay(
  db: Db,
  userId: string,
  week: string,
  known?: { experiment: RunningExperiment; state: OverlayState },
): Promise<Enrollment | null> {
  const experiment = known?.experiment ?? (await runningExperimentCached(db));
  if (!experiment) return null;
  const a = experimentAssignments;
  const x = experimentExposures;
  const exposing = week >= experiment.startWeek;
  const state = known?.state ?? (await overlayState(db, userId, experiment));
  const knownArm = armNamed(experiment, state.arm);
  if (knownArm && (state.lastExposed === week || !exposing)) return { experiment, arm: knownArm };

  const { arm, bucket } = armFor(experiment, userId);
  const columns = (cs: { name: string }[]) =>
    sql.join(
      cs.map((c) => sql.identifier(c.name)),
      sql`, `,
    );
  const exposes = sql.raw(exposing ? 'true' : 'false');
  const [row] = await rows<{ arm: string }>(
    db,
    sql`with eligible as (
          select ${users.id} as id from ${users} where ${users.id} = ${userId} and ${optedInLifter}),
        existing as (
          select ${a.arm} as arm from ${a} join eligible on ${a.userId} = eligible.id
          where ${a.experimentId} = ${experiment.id}),
        enrolled as (
          insert into ${a} (${columns([a.userId, a.experimentId, a.arm, a.bucket, a.enrolledWeek])})
          select id, ${experiment.id}, ${arm.name}, ${bucket}, ${week} from eligible
          where not exists (select 1 from existing)
          on conflict do nothing
          returning ${sql.identifier(a.arm.name)} as arm),
        current_arm as (
          select arm from existing
          union all
          select arm from enrolled
          limit 1),
        exposed as (
          insert into ${x} (${columns([x.userId, x.experimentId, x.weekStart, x.arm])})
          select ${userId}, ${experiment.id}, ${week}, arm from current_arm
          where ${exposes} and not exists (
            select 1 from ${x} where ${x.userId} = ${userId} and ${x.experimentId} = ${experiment.id}
              and ${x.weekStart} = ${week})
          on conflict do nothing)
        select arm from current_arm`,
  );
  const stored = armNamed(experiment, row?.arm);
  return stored ? { experiment, arm: stored } : null;
}

/**
 * Every lifter enrolled in the experiment (and opted in), exposed in their arm in each week from `from` to `to`:
 * what the overlay records week by week, written at once by history writers (the demo, the bench).
 */
export async function exposeEnrolled(db: Db, experiment: RunningExperiment, from: string, to: string): Promise<void> {
  const a = experimentAssignments;
  const x = experimentExposures;
  await db.execute(
    sql`insert into ${x} (${names(x.userId, x.experimentId, x.weekStart, x.arm)})
        select ${a.userId}, ${a.experimentId}, w::date, ${a.arm}
        from ${a} join ${users} on ${users.id} = ${a.userId} and ${optedInLifter}
        cross join generate_series(${from}::date, ${to}::date, interval '7 days') w
        where ${a.experimentId} = ${experiment.id}
        on conflict do nothing`,
  );
}

/** The lifter's arm in the running experiment, if enrolled (and still opted in); reads only. */
export async function currentEnrollment(db: Db, userId: string): Promise<Enrollment | null> {
  const experiment = await runningExperimentCached(db);
  if (!experiment) return null;
  const [row] = await db
    .select({ arm: experimentAssignments.arm })
    .from(experimentAssignments)
    .innerJoin(users, and(eq(users.id, experimentAssignments.userId), eq(users.analyticsOptIn, true)))
    .where(and(eq(experimentAssignments.experimentId, experiment.id), eq(experimentAssignments.userId, userId)));
  const arm = armNamed(experiment, row?.arm);
  return arm ? { experiment, arm } : null;
}

/** How many lifters an experiment could enroll: those opted in to analytics. */
export async function eligibleLifters(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users).where(optedInLifter);
  return row?.n ?? 0;
}
