import { doublePrecision, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { updatedAt, userId } from './columns';

/** A lifter's own mapping of one of their exercises to muscle groups: it takes precedence over the catalog's. */
export const exerciseMuscles = pgTable(
  'exercise_muscles',
  {
    userId: userId(),
    exercise: text('exercise').notNull(),
    primary: text('primary').array().notNull(),
    secondary: text('secondary').array().notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.exercise] })],
);

/** A lifter's own weekly target of hard sets for a muscle group (the default: `DEFAULT_WEEKLY_TARGET`). */
export const muscleTargets = pgTable(
  'muscle_targets',
  {
    userId: userId(),
    muscle: text('muscle').notNull(),
    minSets: doublePrecision('min_sets').notNull(),
    maxSets: doublePrecision('max_sets').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.muscle] })],
);
