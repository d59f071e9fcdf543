import { date, doublePrecision, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { userId } from './columns';

/**
 * Materialized by the nightly analytics job: one row per user × exercise × ISO week, from done sets.
 * Weeks touched since the job last ran are listed in `analytics_dirty_weeks` and computed live on read, so
 * answers never depend on whether the job has run.
 */
export const exerciseWeeklyStats = pgTable(
  'exercise_weekly_stats',
  {
    userId: userId(),
    exercise: text('exercise').notNull(),
    weekStart: date('week_start').notNull(),
    sets: integer('sets').notNull(),
    volumeKg: doublePrecision('volume_kg').notNull(),
    /** Heaviest actual weight on a done set with ≥ 1 rep, and the first date it was lifted that week. */
    bestWeight: doublePrecision('best_weight'),
    bestWeightDate: date('best_weight_date'),
    /** Best Epley e1RM (sets of 1–12 reps) with the set that made it. */
    bestE1rm: doublePrecision('best_e1rm'),
    bestE1rmWeight: doublePrecision('best_e1rm_weight'),
    bestE1rmReps: integer('best_e1rm_reps'),
    bestE1rmDate: date('best_e1rm_date'),
    /** Heaviest weight lifted for at least N reps. */
    bestWeight3: doublePrecision('best_weight_3'),
    bestWeight5: doublePrecision('best_weight_5'),
    bestWeight8: doublePrecision('best_weight_8'),
    bestWeight10: doublePrecision('best_weight_10'),
    /** Done sets that carried a recommendation, and those that met it (reps and weight): the success rate. */
    sample: integer('sample').notNull().default(0),
    successes: integer('successes').notNull().default(0),
    /** Working sets close to failure (`server/analytics/hard-sets.ts`): volume per muscle group counts them. */
    hardSets: integer('hard_sets').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.exercise, t.weekStart] }),
    index('exercise_weekly_stats_week_idx').on(t.userId, t.weekStart),
  ],
);

/** Per user × ISO week: sessions and calories (for `avg_calories`). */
export const userWeeklyStats = pgTable(
  'user_weekly_stats',
  {
    userId: userId(),
    weekStart: date('week_start').notNull(),
    sessions: integer('sessions').notNull(),
    caloriesSum: doublePrecision('calories_sum'),
    caloriesCount: integer('calories_count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.weekStart] })],
);

/**
 * Per user × ISO week × muscle group: the exercise weeks' hard sets, sets and tonnage, each weighted by the
 * exercise's credit for the group (`server/analytics/muscle-weeks.ts`); an exercise that maps to no group is a row
 * of its own, `muscle` '' and `unmapped` naming it. Materialized with the exercise weeks; a changed mapping marks
 * the exercise's weeks dirty.
 */
export const muscleWeeklyStats = pgTable(
  'muscle_weekly_stats',
  {
    userId: userId(),
    weekStart: date('week_start').notNull(),
    /** '' on an unmapped exercise's row. */
    muscle: text('muscle').notNull(),
    /** The exercise that maps to no group; '' on a group's row. */
    unmapped: text('unmapped').notNull(),
    hardSets: doublePrecision('hard_sets').notNull(),
    sets: doublePrecision('sets').notNull(),
    tonnageKg: doublePrecision('tonnage_kg').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.weekStart, t.muscle, t.unmapped] })],
);

/** Weeks whose sessions changed since the analytics job last materialized them. */
export const analyticsDirtyWeeks = pgTable(
  'analytics_dirty_weeks',
  {
    userId: userId(),
    weekStart: date('week_start').notNull(),
    touchedAt: timestamp('touched_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.weekStart] })],
);
