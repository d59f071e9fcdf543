import { boolean, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { encryptedText } from './encrypted-text';
import { userRole } from './enums';

/** The root of everything a person owns; its `id` is the distribution key every other table carries as `user_id`. */
export const users = pgTable('users', {
  id: text('id').primaryKey(), // e.g. 'user-123', chosen by the app
  role: userRole('role').notNull().default('lifter'),
  /** A person's name: encrypted at rest like every free-text field. */
  displayName: encryptedText('display_name'),
  analyticsOptIn: boolean('analytics_opt_in').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
