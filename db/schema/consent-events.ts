import { boolean, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, userId } from './columns';

/**
 * The consent log, append-only: every time a user says yes or no to analytics, with when and through what.
 * `users.analytics_opt_in` is the current answer; this table is the proof of how it came to be.
 */
export const consentEvents = pgTable(
  'consent_events',
  {
    userId: userId(),
    id: uuid('id').notNull().defaultRandom(),
    purpose: text('purpose').notNull().default('analytics'),
    granted: boolean('granted').notNull(),
    /** Where the answer was given: `api` (the app), `dashboard`, `seed`. */
    source: text('source').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.id] }), index('consent_events_user_time_idx').on(t.userId, t.createdAt)],
);
