import type { exerciseWeeklyStats, userWeeklyStats } from '@/db/schema';

/** One exercise in one ISO week, as the aggregates (materialized or live) describe it: a row of the table. */
export type ExerciseWeek = Omit<typeof exerciseWeeklyStats.$inferSelect, 'userId'>;

/** One exercise's best e1RM in one week: a point of the series plateaus are found in. */
export type StrengthPoint = Pick<ExerciseWeek, 'exercise' | 'weekStart' | 'bestE1rm'>;

/** Done sets and volume in one week: summed over the rows given (per exercise, or one total). */
export type WeekTotal = Pick<ExerciseWeek, 'weekStart' | 'sets' | 'volumeKg'>;

/** One exercise's week with what plateaus and the weekly totals need. */
export type ExerciseWeekPoint = StrengthPoint & WeekTotal;

/** One exercise's week, as the history chart shows it. */
export type ExerciseHistoryRow = Pick<ExerciseWeek, 'weekStart' | 'bestE1rm' | 'bestWeight' | 'volumeKg' | 'sets'>;

/** One user in one ISO week. */
export type UserWeek = Omit<typeof userWeeklyStats.$inferSelect, 'userId'>;

/** A bodyweight reading from a profile version. */
export interface Bodyweight {
  effectiveDate: string;
  weightKg: number;
}
