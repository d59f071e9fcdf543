import { and, asc, eq, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { preparedStatement } from '@/db/prepared';
import { deloadCancellations, deloadPlans, users } from '@/db/schema';
import type { Principal } from '@/server/auth/principal';
import { DELOAD_LIMITS, type DeloadInput } from '@/server/contracts/deloads';
import { conflict, invalid, notFound } from '@/server/errors';
import { addDays } from '@/server/time/calendar';
import { thisWeekFor } from '@/server/time/lifter-calendar';
import { type DeloadPlan, lastPlannedWeek, type PlanShape, plansOverlap } from './plans';

/**
 * Planned deloads, stored: a lifter plans their own, a coach its athletes', and the weekly job those a policy
 * proposes. Plans are appended, never changed; a cancellation is appended beside its plan.
 */
const planColumns = {
  userId: deloadPlans.userId,
  id: deloadPlans.id,
  kind: deloadPlans.kind,
  startWeek: deloadPlans.startWeek,
  buildWeeks: deloadPlans.buildWeeks,
  deloadWeeks: deloadPlans.deloadWeeks,
  cycles: deloadPlans.cycles,
  exercises: deloadPlans.exercises,
  loadFactor: deloadPlans.loadFactor,
  setFactor: deloadPlans.setFactor,
  plannedBy: deloadPlans.plannedBy,
  source: deloadPlans.source,
  note: deloadPlans.note,
  createdAt: deloadPlans.createdAt,
  cancelledFrom: deloadCancellations.fromWeek,
};

export type StoredPlan = DeloadPlan & { userId: string };

/** Every plan of these lifters, cancelled ones with the week their cancellation starts, by first week. */
export async function plansOf(db: Db, userIds: readonly string[]): Promise<StoredPlan[]> {
  if (userIds.length === 0) return [];
  return db
    .select(planColumns)
    .from(deloadPlans)
    .leftJoin(
      deloadCancellations,
      and(eq(deloadCancellations.userId, deloadPlans.userId), eq(deloadCancellations.planId, deloadPlans.id)),
    )
    .where(inArray(deloadPlans.userId, [...userIds]))
    .orderBy(asc(deloadPlans.startWeek), asc(deloadPlans.createdAt), asc(deloadPlans.id));
}

/** A single deload week is the block (0, 1, 1). */
const ONE_WEEK = { buildWeeks: 0, deloadWeeks: 1, cycles: 1 } as const;

/** The row of a deload a policy proposes for one exercise and week, as the weekly job (and the simulator) stores it. */
export function policyDeloadRow(
  userId: string,
  exercise: string,
  week: string,
  factors: { loadFactor: number; setFactor: number },
  policy: string,
): typeof deloadPlans.$inferInsert {
  return {
    userId,
    kind: 'deload',
    startWeek: week,
    ...ONE_WEEK,
    exercises: [exercise],
    loadFactor: factors.loadFactor,
    setFactor: factors.setFactor,
    plannedBy: policy,
    source: 'policy',
  };
}

/** A plan as the service keeps it, from the input. */
function planFrom(input: DeloadInput) {
  const shape =
    input.kind === 'block'
      ? { buildWeeks: input.build_weeks, deloadWeeks: input.deload_weeks, cycles: input.cycles }
      : ONE_WEEK;
  return {
    kind: input.kind,
    startWeek: input.week_start,
    ...shape,
    exercises: input.exercises ?? null,
    loadFactor: input.load_factor ?? 1,
    setFactor: input.set_factor ?? 1,
    note: input.note ?? null,
  };
}

/** Who planned it, as the history records it. */
function plannerOf(principal: Principal, lifter: string) {
  return {
    plannedBy: principal.userId,
    source: principal.userId === lifter ? ('lifter' as const) : ('coach' as const),
  };
}

/**
 * Plans a deload or a block for `lifter` (access already checked): it may not start before the lifter's current
 * week nor more than a year ahead (400 naming `week_start`), nor overlap a plan still in force for the same
 * exercise (409 naming `week_start`). The lifter's row is locked while it checks, so two plans cannot cross.
 */
export async function planDeload(
  db: Db,
  principal: Principal,
  lifter: string,
  input: DeloadInput,
  now: Date,
): Promise<StoredPlan> {
  const plan = planFrom(input);
  const thisWeek = await thisWeekFor(db, lifter, now);
  if (plan.startWeek < thisWeek)
    throw invalid(`week_start ${plan.startWeek} is in the past`, [
      { path: 'week_start', message: `must be this week (${thisWeek}) or later` },
    ]);
  const latest = addDays(thisWeek, 7 * DELOAD_LIMITS.weeksAhead);
  if (plan.startWeek > latest)
    throw invalid(`week_start ${plan.startWeek} is too far ahead`, [
      { path: 'week_start', message: `must be at most ${DELOAD_LIMITS.weeksAhead} weeks ahead (${latest})` },
    ]);
  return db.transaction(async (tx) => {
    const [owner] = await tx.select({ id: users.id }).from(users).where(eq(users.id, lifter)).for('update');
    if (!owner) throw notFound(`User ${lifter}`, 'user_id');
    const candidate: StoredPlan = {
      ...plan,
      ...plannerOf(principal, lifter),
      id: '',
      userId: lifter,
      createdAt: now,
      cancelledFrom: null,
    };
    const clash = (await plansOf(tx, [lifter])).find((p) => plansOverlap(p, candidate));
    if (clash) {
      throw conflict(
        `overlaps plan ${clash.id} (${clash.kind} from ${clash.startWeek} to ${lastPlannedWeek(clash)}) for the same exercises`,
        'week_start',
      );
    }
    const [stored] = await tx
      .insert(deloadPlans)
      .values({ userId: lifter, ...plan, ...plannerOf(principal, lifter) })
      .returning({ id: deloadPlans.id, createdAt: deloadPlans.createdAt });
    return { ...candidate, ...stored! };
  });
}

/**
 * Cancels a plan from the lifter's current week on: 404 for a plan that is not theirs, 409 when nothing of it is
 * left to cancel (already cancelled, or all its weeks are past).
 */
export async function cancelDeload(
  db: Db,
  principal: Principal,
  lifter: string,
  planId: string,
  now: Date,
): Promise<StoredPlan> {
  const thisWeek = await thisWeekFor(db, lifter, now);
  return db.transaction(async (tx) => {
    await tx.select({ id: users.id }).from(users).where(eq(users.id, lifter)).for('update');
    const plan = (await plansOf(tx, [lifter])).find((p) => p.id === planId);
    if (!plan) throw notFound(`Plan ${planId} of ${lifter}`, 'id');
    if (plan.cancelledFrom !== null) throw conflict(`Plan ${planId} is already cancelled`, 'id');
    const last = lastPlannedWeek(plan);
    if (last === null || last < thisWeek) throw conflict(`Plan ${planId} has no week left to cancel`, 'id');
    // From this week, or from the plan's start when it has not begun (ISO dates sort as text).
    const fromWeek = [plan.startWeek, thisWeek].sort().at(-1)!;
    await tx.insert(deloadCancellations).values({ userId: lifter, planId, fromWeek, cancelledBy: principal.userId });
    return { ...plan, cancelledFrom: fromWeek };
  });
}

/**
 * `select user_id, exercise, week_start`: the planned deload weeks from `lo` to `hi` of the lifters `userIds`
 * selects, one row per exercise a plan names (exercise null: every exercise) — for statements over many lifters.
 */
export function plannedWeeksSql(userIds: SQL, lo: string | SQL, hi: string | SQL): SQL {
  const p = deloadPlans;
  const c = deloadCancellations;
  const cycle = sql`(${p.buildWeeks} + ${p.deloadWeeks})`;
  const week = sql`(${p.startWeek} + 7 * n)`;
  return sql`select ${p.userId} as user_id, e.exercise, ${week} as week_start
    from ${p} left join ${c} on ${and(eq(c.userId, p.userId), eq(c.planId, p.id))}
    cross join lateral generate_series(0, ${p.cycles} * ${cycle} - 1) n
    left join lateral unnest(${p.exercises}) e(exercise) on true
    where ${p.userId} in (${userIds}) and n % ${cycle} >= ${p.buildWeeks}
      and (${c.fromWeek} is null or ${week} < ${c.fromWeek}) and ${week} between ${lo}::date and ${hi}::date`;
}

const userId = sql.placeholder('userId');
const week = sql.placeholder('week');

/** Prepared: the overlay asks it on every app start, and most lifters have no plan. */
const startedPlansRead = preparedStatement<PlanShape, { userId: string; week: string }>(() => {
  const p = deloadPlans;
  const c = deloadCancellations;
  return sql`select ${p.id} as "id", ${p.kind} as "kind", ${p.startWeek}::text as "startWeek",
      ${p.buildWeeks} as "buildWeeks", ${p.deloadWeeks} as "deloadWeeks", ${p.cycles} as "cycles",
      ${p.exercises} as "exercises", ${p.loadFactor} as "loadFactor", ${p.setFactor} as "setFactor",
      ${p.plannedBy} as "plannedBy", ${p.source} as "source", ${c.fromWeek}::text as "cancelledFrom"
    from ${p} left join ${c} on ${and(eq(c.userId, p.userId), eq(c.planId, p.id))}
    where ${and(eq(p.userId, userId), lte(p.startWeek, week))} and (${c.fromWeek} is null or ${c.fromWeek} > ${week})`;
});

/** The plans in force for a lifter in a week (started, not over, not cancelled by then): what the overlay serves. */
export async function plansInForce(db: Db, lifter: string, inWeek: string): Promise<PlanShape[]> {
  const plans = await startedPlansRead(db, { userId: lifter, week: inWeek });
  return plans.filter((p) => (lastPlannedWeek(p) ?? '') >= inWeek);
}
