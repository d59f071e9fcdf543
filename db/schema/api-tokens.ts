import { type AnyPgColumn, foreignKey, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, userId } from './columns';

/** Bearer tokens. Only the SHA-256 of a token is stored; the token itself is shown once, at creation. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    userId: userId(),
    id: uuid('id').notNull().defaultRandom(),
    tokenHash: text('token_hash').notNull(),
    name: text('name'),
    createdAt: createdAt(),
    /** Touched at most once a minute, when a process looks the token up. */
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    /** Null: until revoked. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /**
     * The token whose dashboard session made this one (null: made by the CLI, an admin, or a session signed in
     * another way). It expires no later than its parent and is revoked with it.
     */
    parentTokenId: uuid('parent_token_id'),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.id] }),
    foreignKey({
      columns: [t.userId, t.parentTokenId],
      foreignColumns: [t.userId, t.id] as [AnyPgColumn, AnyPgColumn],
    }).onDelete('cascade'),
    // Looked up by hash alone on every request; 256-bit random tokens make collisions a non-issue.
    index('api_tokens_hash_idx').on(t.tokenHash),
  ],
);
