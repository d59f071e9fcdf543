import { text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './users';

/**
 * Every user-owned table carries `user_id`, and every primary key and unique constraint on it includes
 * `user_id` (the distribution rule, enforced by tests/db/distribution.test.ts), so the schema can be
 * sharded by user (e.g. Citus) without change. Deleting a user removes everything it owns.
 */
export const userId = () =>
  text('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' });

export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
