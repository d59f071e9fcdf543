import { sql } from 'drizzle-orm';
import {
  check,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, userId } from './columns';

/**
 * A/B tests of modifier policies. An experiment (global: it belongs to no lifter) has arms, each a policy and a
 * weight; opted-in lifters are enrolled into one arm (sticky) and each week the app is served their overlay is
 * an exposure. At most one experiment runs at a time, so a lifter is in at most one running experiment.
 */
export const experiments = pgTable(
  'experiments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    key: text('key').notNull(),
    hypothesis: text('hypothesis').notNull(),
    /** draft → running → stopped. */
    status: text('status').notNull().default('draft'),
    /** Hashed with each user id to place the lifter (`server/experiments/assignment.ts`). */
    salt: text('salt').notNull(),
    primaryMetric: text('primary_metric').notNull(),
    guardrails: jsonb('guardrails').notNull().$type<string[]>(),
    /** The experiment's own non-inferiority margins by guardrail; the defaults for the others. */
    margins: jsonb('margins').notNull().default({}).$type<Partial<Record<string, number>>>(),
    /** Planned lifters per arm, or a planned last week: when the report calls the result final. */
    plannedLiftersPerArm: integer('planned_lifters_per_arm'),
    plannedEndWeek: date('planned_end_week'),
    /** Monday of the first week decided under the arms, and of the last (set on stop). */
    startWeek: date('start_week'),
    endWeek: date('end_week'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    stoppedAt: timestamp('stopped_at', { withTimezone: true }),
  },
  (t) => [
    unique('experiments_key_uq').on(t.key),
    check('experiments_status_ck', sql`${t.status} in ('draft', 'running', 'stopped')`),
    // The rule "a lifter is in at most one running experiment", kept by the database.
    uniqueIndex('experiments_one_running_uq').on(t.status).where(sql`${t.status} = 'running'`),
  ],
);

export const experimentArms = pgTable(
  'experiment_arms',
  {
    experimentId: uuid('experiment_id')
      .notNull()
      .references(() => experiments.id, { onDelete: 'cascade' }),
    /** The arm's place: the first arm is the control, and ranges of the split follow this order. */
    position: integer('position').notNull(),
    name: text('name').notNull(),
    /** A modifier policy: `hold`, `rules`, `model@3`. */
    policy: text('policy').notNull(),
    weight: doublePrecision('weight').notNull(),
    /** Exploration: the share of decisions drawn among the policy's neighbouring steps (propensity logged). */
    epsilon: doublePrecision('epsilon').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.experimentId, t.name] }),
    unique('experiment_arms_position_uq').on(t.experimentId, t.position),
  ],
);

/** A lifter's arm, written once at enrollment (sticky). */
export const experimentAssignments = pgTable(
  'experiment_assignments',
  {
    userId: userId(),
    experimentId: uuid('experiment_id').notNull(),
    arm: text('arm').notNull(),
    bucket: doublePrecision('bucket').notNull(),
    /** Monday of the week the lifter was enrolled in. */
    enrolledWeek: date('enrolled_week').notNull(),
    enrolledAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.experimentId] }),
    foreignKey({ columns: [t.experimentId], foreignColumns: [experiments.id] }).onDelete('cascade'),
    index('experiment_assignments_experiment_idx').on(t.experimentId, t.arm),
  ],
);

/** The app was served an enrolled lifter's overlay in this week (the first time that week counts). */
export const experimentExposures = pgTable(
  'experiment_exposures',
  {
    userId: userId(),
    experimentId: uuid('experiment_id').notNull(),
    weekStart: date('week_start').notNull(),
    arm: text('arm').notNull(),
    exposedAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.experimentId, t.weekStart] }),
    foreignKey({ columns: [t.experimentId], foreignColumns: [experiments.id] }).onDelete('cascade'),
    index('experiment_exposures_experiment_idx').on(t.experimentId, t.weekStart),
  ],
);
