import { index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, userId } from './columns';
import { coachLinkAction } from './enums';

/**
 * A coach's invitation to become its athlete: single use, expiring, revocable. Owned by the coach (`user_id`); the
 * code is shown once and stored only as its SHA-256, looked up by hash when an athlete accepts it.
 */
export const coachInvites = pgTable(
  'coach_invites',
  {
    userId: userId(),
    id: uuid('id').notNull().defaultRandom(),
    codeHash: text('code_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    acceptedBy: text('accepted_by'),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.id] }), index('coach_invites_code_idx').on(t.codeHash)],
);

/**
 * The athlete's audit log of its coach links: every link made or ended, by whom and how. Owned by the athlete;
 * only ever appended to.
 */
export const coachLinkEvents = pgTable(
  'coach_link_events',
  {
    userId: userId(),
    id: uuid('id').notNull().defaultRandom(),
    coachId: text('coach_id').notNull(),
    action: coachLinkAction('action').notNull(),
    /** Who did it: the athlete, the coach, or an admin. */
    actorId: text('actor_id').notNull(),
    /** How: `invite <id>`, `athlete`, `coach`, `admin`. */
    via: text('via').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.id] }), index('coach_link_events_user_at_idx').on(t.userId, t.createdAt)],
);
