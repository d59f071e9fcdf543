import { foreignKey, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { apiTokens } from './api-tokens';
import { createdAt, userId } from './columns';

/** Dashboard sign-ins: the cookie carries a random token; only its SHA-256 is stored. */
export const webSessions = pgTable(
  'web_sessions',
  {
    userId: userId(),
    id: uuid('id').notNull().defaultRandom(),
    tokenHash: text('token_hash').notNull(),
    /** The API token presented at sign-in: the session lives only as long as that token is not revoked. */
    apiTokenId: uuid('api_token_id'),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.id] }),
    index('web_sessions_hash_idx').on(t.tokenHash),
    foreignKey({ columns: [t.userId, t.apiTokenId], foreignColumns: [apiTokens.userId, apiTokens.id] }).onDelete(
      'cascade',
    ),
  ],
);
