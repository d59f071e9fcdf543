import { foreignKey, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { coachAthletes } from './coach-athletes';
import { createdAt, userId } from './columns';
import { encryptedText } from './encrypted-text';
import { sessions } from './sessions';

/**
 * A coach's note on one of its athlete's sessions. Owned by the athlete (`user_id`), who reads and may delete it;
 * the words are encrypted. It hangs off the coach link: ending the link (or deleting either account) deletes it.
 */
export const sessionNotes = pgTable(
  'session_notes',
  {
    userId: userId(),
    id: uuid('id').notNull().defaultRandom(),
    sessionId: uuid('session_id').notNull(),
    /** No key of its own to `users` (it would cross shards): the link's key below goes with the coach's account. */
    coachId: text('coach_id').notNull(),
    note: encryptedText('note').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.id] }),
    foreignKey({ columns: [t.userId, t.sessionId], foreignColumns: [sessions.userId, sessions.id] }).onDelete(
      'cascade',
    ),
    foreignKey({
      columns: [t.userId, t.coachId],
      foreignColumns: [coachAthletes.userId, coachAthletes.coachId],
    }).onDelete('cascade'),
    index('session_notes_session_idx').on(t.userId, t.sessionId),
  ],
);
