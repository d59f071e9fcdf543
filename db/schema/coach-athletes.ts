import { index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt, userId } from './columns';
import { users } from './users';

/** Who coaches whom. Owned by the athlete (`user_id`); a coach reads its athletes through `coach_id`. */
export const coachAthletes = pgTable(
  'coach_athletes',
  {
    userId: userId(),
    coachId: text('coach_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.coachId] }), index('coach_athletes_coach_idx').on(t.coachId)],
);
