import type { exerciseWeeklyStats, userWeeklyStats } from '@/db/schema';

/** One exercise in one ISO week, as the aggregates (materialized or live) describe it: a row of the table. */
export type ExerciseWeek = Omit<typeof exerciseWeeklyStats.$inferSelect, 'userId'>;

/** One exercise's best e1RM in one week: a point of the series plateaus are found in. */
export type StrengthPoint = Pick<ExerciseWeek, 'exercise' | 'weekStart' | 'bestE1rm'>;

/** One week's done sets and volume, over all exercises (or over the rows given). */
export type WeekTotal = Pick<ExerciseWeek, 'weekStart' | 'sets' | 'volumeKg'>;

/** One exercise's week, as the history chart shows it. */
export type ExerciseHistoryRow = Pick<ExerciseWeek, 'weekStart' | 'bestE1rm' | 'bestWeight' | 'volumeKg' | 'sets'>;

/** One user in one ISO week. */
export type UserWeek = Omit<typeof userWeeklyStats.$inferSelect, 'userId'>;

/** A bodyweight reading from a profile version. */
export interface Bodyweight {
  effectiveDate: string;
  weightKg: number;
}
