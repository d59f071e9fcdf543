import { and, eq, sql } from 'drizzle-orm';
import { strengthEstimates as e, sessions, sets } from '@/db/schema';

/**
 * A *hard* working set ended close to failure: RPE ≥ HARD_RPE when the app sent one; else at most HARD_RIR reps in
 * reserve by the estimated strength that day (Epley: reps to failure at load w are 30·(E/w − 1)); with neither,
 * it counts. No peer-reviewed definition was found; 0–3 or 1–4 reps in reserve are the usual informal ones
 * (docs/analytics.md). Over sets joined to their sessions and, left, to that day's estimate (`estimateOfSetDay`).
 */
export const HARD_RPE = 7;
export const HARD_RIR = 3;

export const isHardSet = sql<boolean>`case
  when ${sets.intensity} is not null then ${sets.intensity} >= ${sql.raw(String(HARD_RPE))}
  when ${e.estimateKg} is not null and ${sets.actualWeight} > 0 and ${sets.actualReps} >= 1
    then 30 * (${e.estimateKg} / ${sets.actualWeight} - 1) - ${sets.actualReps} <= ${sql.raw(String(HARD_RIR))}
  else true end`;

/** Joins each set (with its session) to the estimated strength of its exercise on its day, when there is one. */
export const estimateOfSetDay = and(
  eq(e.userId, sets.userId),
  eq(e.exercise, sets.exercise),
  eq(e.date, sessions.date),
);
