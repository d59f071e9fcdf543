import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, type SQL } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { apiTokens } from '@/db/schema';
import { wallClock } from '@/server/time/clock';
import { forgetEverywhere } from './revocation';

const PREFIX = 'ovl_';

/** SHA-256 is enough here: tokens are 256 random bits, so there is nothing to brute-force. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates a token for a user; the plain token is returned once and never stored. */
export async function createApiToken(db: Db, userId: string, name?: string, expiresAt?: Date | null): Promise<string> {
  return (await issueApiToken(db, userId, { name, expiresAt })).token;
}

export interface ApiTokenInfo {
  id: string;
  name: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

const tokenInfo = {
  id: apiTokens.id,
  name: apiTokens.name,
  createdAt: apiTokens.createdAt,
  lastUsedAt: apiTokens.lastUsedAt,
  expiresAt: apiTokens.expiresAt,
  revokedAt: apiTokens.revokedAt,
};

/** A new token with its description; the plain token is in the answer once and never stored. */
export async function issueApiToken(
  db: Db,
  userId: string,
  opts: { name?: string | null; expiresAt?: Date | null },
): Promise<ApiTokenInfo & { token: string }> {
  const token = PREFIX + randomBytes(32).toString('base64url');
  const [row] = await db
    .insert(apiTokens)
    .values({ userId, tokenHash: hashToken(token), name: opts.name ?? null, expiresAt: opts.expiresAt ?? null })
    .returning(tokenInfo);
  return { ...row!, token };
}

/** A user's tokens, newest first, live and ended alike (never their values). */
export function listApiTokens(db: Db, userId: string): Promise<ApiTokenInfo[]> {
  return db.select(tokenInfo).from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(desc(apiTokens.createdAt));
}

/** Revokes one of a user's tokens by id; false when the user has no such live token. */
export async function revokeApiTokenById(db: Db, userId: string, id: string): Promise<boolean> {
  const revoked = await db
    .update(apiTokens)
    .set({ revokedAt: wallClock() })
    .where(and(eq(apiTokens.userId, userId), eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  if (revoked.length > 0) await forgetEverywhere(userId);
  return revoked.length > 0;
}

/**
 * Revokes API tokens — one, by its plain value, or every live token of a user — and with them every dashboard
 * session signed in with them. Takes effect at once in this process and, with Redis, in every other (revocation.ts);
 * without Redis, others stop trusting their remembered lookups within `AUTH_CACHE_SECONDS`. Answers how many.
 */
export async function revokeApiTokens(db: Db, which: { token: string } | { userId: string }): Promise<number> {
  const match: SQL | undefined =
    'token' in which ? eq(apiTokens.tokenHash, hashToken(which.token)) : eq(apiTokens.userId, which.userId);
  const revoked = await db
    .update(apiTokens)
    .set({ revokedAt: wallClock() })
    .where(and(match, isNull(apiTokens.revokedAt)))
    .returning({ userId: apiTokens.userId });
  for (const userId of new Set(revoked.map((r) => r.userId))) await forgetEverywhere(userId);
  return revoked.length;
}
