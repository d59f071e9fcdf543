import { index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';

/**
 * Which local user an identity provider's account is: `(issuer, subject)` — the provider's stable pair, never a
 * claim the person can choose — to a user id. A provider identity never attaches to an existing account on its
 * own: the first time it is seen it gets a new account, and only an admin links it to one that exists
 * (server/auth/identities.ts). Global (looked up before the user is known); `user_id` is not a foreign key so
 * the table can be a reference table when sharded, and deleting a user deletes its rows explicitly.
 */
export const identities = pgTable(
  'identities',
  {
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    userId: text('user_id').notNull(),
    /** 'first sign-in', or the admin who linked it. */
    linkedBy: text('linked_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.issuer, t.subject] }), index('identities_user_idx').on(t.userId)],
);

/**
 * Identities whose account was deleted, as a SHA-256 of issuer and subject (nothing of the person is kept): the
 * next token of such an identity does not silently re-create the account; an admin may provision it again.
 */
export const retiredIdentities = pgTable('retired_identities', {
  identityHash: text('identity_hash').primaryKey(),
  retiredAt: timestamp('retired_at', { withTimezone: true }).notNull().defaultNow(),
});
