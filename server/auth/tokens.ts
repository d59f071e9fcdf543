import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, type SQL } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { apiTokens } from '@/db/schema';
import { forgetUser } from './credential-cache';

const PREFIX = 'ovl_';

/** SHA-256 is enough here: tokens are 256 random bits, so there is nothing to brute-force. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates a token for a user; the plain token is returned once and never stored. */
export async function createApiToken(db: Db, userId: string, name?: string): Promise<string> {
  const token = PREFIX + randomBytes(32).toString('base64url');
  await db.insert(apiTokens).values({ userId, tokenHash: hashToken(token), name: name ?? null });
  return token;
}

/**
 * Revokes API tokens — one, by its plain value, or every live token of a user — and with them every dashboard
 * session signed in with them. Takes effect at once in this process; other processes stop trusting their
 * remembered lookups within `AUTH_CACHE_SECONDS`. Answers how many tokens were revoked.
 */
export async function revokeApiTokens(db: Db, which: { token: string } | { userId: string }): Promise<number> {
  const match: SQL | undefined =
    'token' in which ? eq(apiTokens.tokenHash, hashToken(which.token)) : eq(apiTokens.userId, which.userId);
  const revoked = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(match, isNull(apiTokens.revokedAt)))
    .returning({ userId: apiTokens.userId });
  for (const userId of new Set(revoked.map((r) => r.userId))) forgetUser(userId);
  return revoked.length;
}
