import { randomBytes } from 'node:crypto';
import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import { type Db, rows } from '@/db/client';
import { apiTokens } from '@/db/schema';
import { wallClock } from '@/server/time/clock';
import type { ParentToken } from './principal';
import { forgetEverywhere } from './revocation';
import { hashToken } from './token-hash';

const PREFIX = 'ovl_';

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
  opts: { name?: string | null; expiresAt?: Date | null; parentTokenId?: string | null },
): Promise<ApiTokenInfo & { token: string }> {
  const token = PREFIX + randomBytes(32).toString('base64url');
  const [row] = await db
    .insert(apiTokens)
    .values({
      userId,
      tokenHash: hashToken(token),
      name: opts.name ?? null,
      expiresAt: opts.expiresAt ?? null,
      parentTokenId: opts.parentTokenId ?? null,
    })
    .returning(tokenInfo);
  return { ...row!, token };
}

/**
 * A token made by a person in a dashboard session: `expiresInDays` from `now` (null: until revoked), but never
 * later than the token the session was signed in with, if any — that token is its parent, and revoking the parent
 * revokes it. The answer says when it really expires.
 */
export function issueTokenInSession(
  db: Db,
  userId: string,
  opts: { name: string; expiresInDays: number | null; now: Date; parent: ParentToken | null },
): Promise<ApiTokenInfo & { token: string }> {
  const asked = opts.expiresInDays === null ? null : new Date(opts.now.getTime() + opts.expiresInDays * 86_400_000);
  const limit = opts.parent?.expiresAt ?? null;
  const expiresAt = limit && (asked === null || asked > limit) ? limit : asked;
  return issueApiToken(db, userId, { name: opts.name, expiresAt, parentTokenId: opts.parent?.tokenId ?? null });
}

/** A user's tokens, newest first, live and ended alike (never their values). */
export function listApiTokens(db: Db, userId: string): Promise<ApiTokenInfo[]> {
  return db.select(tokenInfo).from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(desc(apiTokens.createdAt));
}

/**
 * Revokes the live tokens `match` selects and every live token made from them, at any depth (`parent_token_id`),
 * at `now`; answers the owners of what was revoked, one per token.
 */
async function revokeWithDescendants(db: Db, match: SQL, now: Date): Promise<string[]> {
  const revoked = await rows<{ user_id: string }>(
    db,
    sql`with recursive doomed as (
          select ${apiTokens.userId} as user_id, ${apiTokens.id} as id from ${apiTokens}
          where ${match} and ${apiTokens.revokedAt} is null
          union
          select t.user_id, t.id from ${apiTokens} t
          join doomed d on t.user_id = d.user_id and t.parent_token_id = d.id
          where t.revoked_at is null
        )
        update ${apiTokens} set revoked_at = ${now.toISOString()}::timestamptz
        from doomed where ${apiTokens.userId} = doomed.user_id and ${apiTokens.id} = doomed.id
        returning doomed.user_id`,
  );
  const owners = revoked.map((r) => r.user_id);
  for (const userId of new Set(owners)) await forgetEverywhere(userId);
  return owners;
}

/** Revokes one of a user's tokens by id, and the tokens made from it; false when the user has no such live token. */
export async function revokeApiTokenById(db: Db, userId: string, id: string): Promise<boolean> {
  const owners = await revokeWithDescendants(db, and(eq(apiTokens.userId, userId), eq(apiTokens.id, id))!, wallClock());
  return owners.length > 0;
}

/**
 * Revokes API tokens — one, by its plain value, or every live token of a user — with the tokens made from them,
 * and every dashboard session signed in with any of them. Takes effect at once in this process and, with Redis,
 * in every other (revocation.ts); without Redis, others stop trusting their remembered lookups within
 * `AUTH_CACHE_SECONDS`. Answers how many tokens were revoked.
 */
export async function revokeApiTokens(db: Db, which: { token: string } | { userId: string }): Promise<number> {
  const match = 'token' in which ? eq(apiTokens.tokenHash, hashToken(which.token)) : eq(apiTokens.userId, which.userId);
  return (await revokeWithDescendants(db, match, wallClock())).length;
}
