import type { exerciseWeeklyStats, userWeeklyStats } from '@/db/schema';

/** One exercise in one ISO week, as the aggregates (materialized or live) describe it: a row of the table. */
export type ExerciseWeek = Omit<typeof exerciseWeeklyStats.$inferSelect, 'userId'>;

/** What plateau detection needs of a week before the range: its best e1RM and its volume (for deloads). */
export type StrengthWeek = Pick<ExerciseWeek, 'exercise' | 'weekStart' | 'bestE1rm' | 'volumeKg'>;

/** One user in one ISO week. */
export type UserWeek = Omit<typeof userWeeklyStats.$inferSelect, 'userId'>;

/** A bodyweight reading from a profile version. */
export interface Bodyweight {
  effectiveDate: string;
  weightKg: number;
}
