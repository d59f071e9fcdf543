import { and, desc, eq, inArray, max, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { adaptiveModifiers, coachAthletes, exercisePolicies, sessions, users } from '@/db/schema';
import { loadAnalytics, plateausOf } from '@/server/analytics/service';
import { assertCoachOf } from '@/server/auth/principal';
import { type OverrideInput, overrideInputWithin } from '@/server/contracts/modifiers';
import { validationError } from '@/server/errors';
import { isoWeekStart } from '@/server/time/calendar';
import { thisWeekFor } from '@/server/time/lifter-calendar';
import { modifierBounds } from './bounds';
import { modifiersInForce } from './in-force';
import { RULE_VERSION } from './rules';

/** Coach review: the athletes, each change to their modifiers, and overrides. Every write is a new row. */

export async function listAthletes(db: Db, coachId: string, now: Date) {
  const athletes = await db
    .select({ id: users.id, displayName: users.displayName })
    .from(coachAthletes)
    .innerJoin(users, eq(users.id, coachAthletes.userId))
    .where(eq(coachAthletes.coachId, coachId))
    .orderBy(users.id);
  if (athletes.length === 0) return [];
  const ids = athletes.map((a) => a.id);
  const last = await db
    .select({ userId: sessions.userId, last: max(sessions.date) })
    .from(sessions)
    .where(inArray(sessions.userId, ids))
    .groupBy(sessions.userId);
  const lastByUser = new Map(last.map((l) => [l.userId, l.last]));

  return Promise.all(
    athletes.map(async (a) => {
      const week = await thisWeekFor(db, a.id, now);
      const changed = await db
        .select({
          exercise: adaptiveModifiers.exercise,
          multiplier: adaptiveModifiers.multiplier,
          previous: adaptiveModifiers.previousMultiplier,
          repDelta: adaptiveModifiers.repDelta,
          previousRepDelta: adaptiveModifiers.previousRepDelta,
          source: adaptiveModifiers.source,
        })
        .from(adaptiveModifiers)
        .where(and(eq(adaptiveModifiers.userId, a.id), eq(adaptiveModifiers.weekStart, week)));
      const changes = changed.filter((c) => c.multiplier !== c.previous || c.repDelta !== c.previousRepDelta);
      const plateaus = await plateausOf(await loadAnalytics(db, a.id, '30d', now));
      return {
        id: a.id,
        displayName: a.displayName,
        lastSessionDate: lastByUser.get(a.id) ?? null,
        plateaus: plateaus.map((p) => ({ exercise: p.exercise, since: p.since, weeks: p.weeks })),
        modifierChangesThisWeek: changes.map((c) => ({
          exercise: c.exercise,
          from: c.previous,
          to: c.multiplier,
          source: c.source,
        })),
      };
    }),
  );
}

export async function modifierHistory(db: Db, coachId: string, athleteId: string, exercise?: string) {
  await assertCoachOf(db, coachId, athleteId);
  const rows = await db
    .select()
    .from(adaptiveModifiers)
    .where(
      and(eq(adaptiveModifiers.userId, athleteId), exercise ? eq(adaptiveModifiers.exercise, exercise) : undefined),
    )
    .orderBy(desc(adaptiveModifiers.weekStart), desc(adaptiveModifiers.createdAt), desc(adaptiveModifiers.id));
  // Plain JSON out: the same shape whether it is prefetched on the server or fetched by the browser.
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

function overrideReason(
  from: { multiplier: number; repDelta: number },
  to: { multiplier: number; repDelta: number },
): string {
  const parts: string[] = [];
  if (to.multiplier !== from.multiplier) parts.push(`×${from.multiplier.toFixed(3)} → ×${to.multiplier.toFixed(3)}`);
  if (to.repDelta !== from.repDelta) parts.push(`reps ${from.repDelta} → ${to.repDelta}`);
  return `coach override: ${parts.length ? parts.join(', ') : 'confirmed as is'}`;
}

/** An override is a `coach` row for that week: it takes precedence over the job's row, and is never edited. */
export async function overrideModifier(db: Db, coachId: string, change: OverrideInput, bounds = modifierBounds()) {
  const checked = overrideInputWithin(bounds).safeParse(change);
  if (!checked.success) throw validationError(checked.error, 'body');
  const input = checked.data;
  await assertCoachOf(db, coachId, input.athleteId);
  const week = isoWeekStart(input.week);
  const [current] = (await modifiersInForce(db, input.athleteId, week)).filter((m) => m.exercise === input.exercise);
  const previous = { multiplier: current?.multiplier ?? 1, repDelta: current?.repDelta ?? 0 };
  const [row] = await db
    .insert(adaptiveModifiers)
    .values({
      userId: input.athleteId,
      exercise: input.exercise,
      weekStart: week,
      multiplier: input.multiplier ?? previous.multiplier,
      repDelta: input.repDelta ?? previous.repDelta,
      previousMultiplier: previous.multiplier,
      previousRepDelta: previous.repDelta,
      sampleSize: 0,
      // The note is the coach's own words and is encrypted; the reason (shown to the lifter's app) only says what changed.
      reason: overrideReason(previous, {
        multiplier: input.multiplier ?? previous.multiplier,
        repDelta: input.repDelta ?? previous.repDelta,
      }),
      note: input.note,
      ruleVersion: RULE_VERSION,
      policy: 'coach',
      source: 'coach',
      decidedBy: coachId,
    })
    .returning();
  return { ...row!, createdAt: row!.createdAt.toISOString() };
}

/** Sets how the job adapts an exercise that goes badly: less load, or a rep fewer. */
export async function setExercisePolicy(
  db: Db,
  coachId: string,
  athleteId: string,
  exercise: string,
  policy: 'load' | 'reps',
) {
  await assertCoachOf(db, coachId, athleteId);
  await db
    .insert(exercisePolicies)
    .values({ userId: athleteId, exercise, policy, updatedBy: coachId })
    .onConflictDoUpdate({
      target: [exercisePolicies.userId, exercisePolicies.exercise],
      set: { policy, updatedBy: coachId, updatedAt: sql`now()` },
    });
}
