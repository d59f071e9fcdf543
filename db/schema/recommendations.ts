import { foreignKey, index, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, userId } from './columns';
import { sessions } from './sessions';

/**
 * A recommendation the client's PO algorithm served. The client may name it (e.g. 'rec-456') so that
 * feedback can point at it before the server has answered; otherwise the server assigns an id.
 */
export const recommendations = pgTable(
  'recommendations',
  {
    userId: userId(),
    id: text('id').notNull(),
    /** Null for a whole-session payload (a session's `rec_meta`). */
    exercise: text('exercise'),
    recPayload: jsonb('rec_payload').notNull().$type<Record<string, unknown>>(),
    recSource: text('rec_source'),
    /** Set when the recommendation arrived as a session's `rec_meta`. */
    sessionId: uuid('session_id'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.id] }),
    foreignKey({ columns: [t.userId, t.sessionId], foreignColumns: [sessions.userId, sessions.id] }).onDelete(
      'cascade',
    ),
    index('recommendations_user_exercise_idx').on(t.userId, t.exercise),
  ],
);
