import { boolean, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, userId } from './columns';
import { encryptedText } from './encrypted-text';
import { feedbackRefType } from './enums';

/**
 * "Was this helpful?" on a recommendation or a session. `ref_id` points at either table (checked by the
 * service, same user only), so it is not a foreign key; feedback outlives a deleted session on purpose.
 */
export const feedbackEvents = pgTable(
  'feedback_events',
  {
    userId: userId(),
    id: uuid('id').notNull().defaultRandom(),
    refType: feedbackRefType('ref_type').notNull(),
    refId: text('ref_id').notNull(),
    helpful: boolean('helpful').notNull(),
    notes: encryptedText('notes'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.id] }), index('feedback_events_ref_idx').on(t.userId, t.refType, t.refId)],
);
