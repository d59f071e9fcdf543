import { boolean, date, doublePrecision, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt, userId } from './columns';

/**
 * What shadow policies proposed for a decision, without serving it: one row per lifter × exercise × week ×
 * policy, written by the weekly job beside the served row (idempotent, like it).
 */
export const policyProposals = pgTable(
  'policy_proposals',
  {
    userId: userId(),
    exercise: text('exercise').notNull(),
    /** Monday of the week the proposal was for. */
    weekStart: date('week_start').notNull(),
    policy: text('policy').notNull(),
    multiplier: doublePrecision('multiplier').notNull(),
    repDelta: integer('rep_delta').notNull(),
    /** The model's predicted probability of a successful week at what it proposed. */
    pSuccess: doublePrecision('p_success'),
    /** It proposed a deload week of the exercise (the modifier held). */
    deload: boolean('deload').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.exercise, t.weekStart, t.policy] }),
    index('policy_proposals_policy_week_idx').on(t.policy, t.weekStart),
  ],
);
