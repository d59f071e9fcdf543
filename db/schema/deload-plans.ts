import { sql } from 'drizzle-orm';
import {
  check,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, userId } from './columns';
import { encryptedText } from './encrypted-text';

/**
 * Planned deloads, append-only like the modifiers: a plan is never changed; cancelling one appends a row to
 * `deload_cancellations`. A plan is a repeating block — `build_weeks` of normal training, then `deload_weeks` of
 * lighter training, `cycles` times from `start_week` — and a single deload week is the block (0, 1, 1). In a deload
 * week the overlay serves load × `load_factor` and sets × `set_factor` for the plan's exercises (null: all).
 */
export const deloadPlans = pgTable(
  'deload_plans',
  {
    userId: userId(),
    id: uuid('id').notNull().defaultRandom(),
    kind: text('kind', { enum: ['deload', 'block'] }).notNull(),
    /** Monday of the plan's first week. */
    startWeek: date('start_week').notNull(),
    buildWeeks: integer('build_weeks').notNull(),
    deloadWeeks: integer('deload_weeks').notNull(),
    cycles: integer('cycles').notNull(),
    /** The exercises it lightens; null: every exercise. */
    exercises: text('exercises').array(),
    loadFactor: doublePrecision('load_factor').notNull(),
    setFactor: doublePrecision('set_factor').notNull(),
    /** Who planned it: the lifter, their coach, or a policy (`rules+deload`). Not a foreign key: the history keeps it. */
    plannedBy: text('planned_by').notNull(),
    source: text('source', { enum: ['lifter', 'coach', 'policy'] }).notNull(),
    note: encryptedText('note'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.id] }),
    index('deload_plans_user_start_idx').on(t.userId, t.startWeek),
    check('deload_plans_shape', sql`${t.buildWeeks} >= 0 and ${t.deloadWeeks} >= 1 and ${t.cycles} >= 1`),
    check(
      'deload_plans_factors',
      sql`${t.loadFactor} > 0 and ${t.loadFactor} <= 1 and ${t.setFactor} > 0 and ${t.setFactor} <= 1`,
    ),
  ],
);

/** A plan's weeks from `from_week` on no longer apply; the weeks before stay as they were served. */
export const deloadCancellations = pgTable(
  'deload_cancellations',
  {
    userId: userId(),
    planId: uuid('plan_id').notNull(),
    fromWeek: date('from_week').notNull(),
    cancelledBy: text('cancelled_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.planId] }),
    foreignKey({ columns: [t.userId, t.planId], foreignColumns: [deloadPlans.userId, deloadPlans.id] }).onDelete(
      'cascade',
    ),
  ],
);
