import { sql } from 'drizzle-orm';
import {
  date,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, userId } from './columns';
import { encryptedText } from './encrypted-text';
import { exercisePolicy, modifierSource } from './enums';

/**
 * The adaptive overlay, append-only: one `auto` row per (user, exercise, week) from the weekly job, and any
 * number of `coach` rows (the latest wins and takes precedence over `auto` for that week).
 */
export const adaptiveModifiers = pgTable(
  'adaptive_modifiers',
  {
    userId: userId(),
    id: uuid('id').notNull().defaultRandom(),
    exercise: text('exercise').notNull(),
    /** Monday of the ISO week the modifier applies to. */
    weekStart: date('week_start').notNull(),
    multiplier: doublePrecision('multiplier').notNull(),
    repDelta: integer('rep_delta').notNull().default(0),
    previousMultiplier: doublePrecision('previous_multiplier'),
    previousRepDelta: integer('previous_rep_delta'),
    successRate: doublePrecision('success_rate'),
    sampleSize: integer('sample_size').notNull().default(0),
    reason: text('reason').notNull(),
    ruleVersion: text('rule_version').notNull(),
    /** The policy that decided the row: `rules@po-overlay-2`, `hold`, `model@3`; `coach` for an override. */
    policy: text('policy').notNull(),
    /** The probability the policy had of choosing this value: 1 unless it explored (experiments, ε > 0). */
    propensity: doublePrecision('propensity').notNull().default(1),
    source: modifierSource('source').notNull(),
    /** The coach who wrote an override; null for the job. Not a foreign key: the audit trail keeps the name. */
    decidedBy: text('decided_by'),
    /** The coach's own words: encrypted at rest. */
    note: encryptedText('note'),
    /**
     * The decision context the policy saw (`server/learning/stored-context.ts`), for explored decisions only
     * (propensity < 1): what off-policy evaluation reads. Encrypted: it carries the lifter's profile.
     */
    context: encryptedText('context'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.id] }),
    uniqueIndex('adaptive_modifiers_auto_uq').on(t.userId, t.exercise, t.weekStart).where(sql`${t.source} = 'auto'`),
    index('adaptive_modifiers_user_week_idx').on(t.userId, t.weekStart),
  ],
);

/** How the overlay adapts an exercise when the lifter falls short: less load (default) or one rep fewer. */
export const exercisePolicies = pgTable(
  'exercise_policies',
  {
    userId: userId(),
    exercise: text('exercise').notNull(),
    policy: exercisePolicy('policy').notNull().default('load'),
    updatedBy: text('updated_by'),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.exercise] })],
);
