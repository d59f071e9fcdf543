import { pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt, userId } from './columns';

/**
 * The users the demo seeder created, and which one-click sign-in each is (`lifter`, `coach`). Demo sign-in is
 * offered for these rows only: a real account that happens to carry a demo id is never one of them.
 */
export const demoAccounts = pgTable(
  'demo_accounts',
  {
    userId: userId(),
    persona: text('persona', { enum: ['lifter', 'coach', 'researcher'] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId] })],
);
