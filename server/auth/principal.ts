import { and, eq, sql } from 'drizzle-orm';
import { preparedRows, type Db } from '@/db/client';
import { apiTokens, coachAthletes, users } from '@/db/schema';
import { hashToken } from './tokens';

/** Who is calling: resolved from a bearer token (REST) or a session cookie (dashboard). */
export interface Principal {
  userId: string;
  role: 'lifter' | 'coach';
}

/** The principal behind a bearer token, or null when the token is unknown or revoked. */
export async function principalForToken(db: Db, token: string): Promise<Principal | null> {
  if (!token.startsWith('ovl_') || token.length > 200) return null;
  const [row] = await preparedRows<{ user_id: string; role: Principal['role'] }>(
    db,
    sql`select u.id as user_id, u.role::text as role
        from ${apiTokens} t join ${users} u on u.id = t.user_id
        where t.token_hash = ${hashToken(token)} and t.revoked_at is null
        limit 1`,
  );
  return row ? { userId: row.user_id, role: row.role } : null;
}

export async function isCoachOf(db: Db, coachId: string, athleteId: string): Promise<boolean> {
  const [row] = await db
    .select({ one: coachAthletes.userId })
    .from(coachAthletes)
    .where(and(eq(coachAthletes.coachId, coachId), eq(coachAthletes.userId, athleteId)))
    .limit(1);
  return Boolean(row);
}

/** Reads: yourself, or an athlete you coach. */
export async function canRead(db: Db, principal: Principal, subjectId: string): Promise<boolean> {
  if (principal.userId === subjectId) return true;
  return principal.role === 'coach' && isCoachOf(db, principal.userId, subjectId);
}

/** Writes: only yourself (a coach may read its athletes' data, never write it). */
export function canWrite(principal: Principal, subjectId: string): boolean {
  return principal.userId === subjectId;
}

/**
 * The hot path's token lookup, remembered for a few seconds (`AUTH_CACHE_SECONDS`, default 15; 0 turns it
 * off): an ingest request then costs one database round trip instead of two. Unknown tokens are never
 * remembered, so a new token works at once. Deleting a user forgets its entries in this process at once;
 * other instances notice within the TTL. Only identity and role are remembered: consent is always read by the
 * statement that needs it, never from here.
 */
interface Remembered {
  principal: Principal;
  expires: number;
}
const cacheHolder = globalThis as typeof globalThis & { __overloadPrincipals?: Map<string, Remembered> };
const MAX_REMEMBERED = 50_000;

export async function cachedPrincipalForToken(db: Db, token: string, ttlSeconds: number, now = Date.now()): Promise<Principal | null> {
  if (ttlSeconds <= 0) return principalForToken(db, token);
  const cache = (cacheHolder.__overloadPrincipals ??= new Map());
  const key = hashToken(token);
  const hit = cache.get(key);
  if (hit && hit.expires > now) return hit.principal;
  const principal = await principalForToken(db, token);
  if (!principal) {
    cache.delete(key);
    return null;
  }
  if (cache.size >= MAX_REMEMBERED) cache.clear(); // crude but bounded; a refill costs one query per token
  cache.set(key, { principal, expires: now + ttlSeconds * 1000 });
  return principal;
}

/** Forgets every remembered token of a user (after its deletion). */
export function forgetPrincipal(userId: string): void {
  const cache = cacheHolder.__overloadPrincipals;
  if (!cache) return;
  for (const [key, r] of cache) if (r.principal.userId === userId) cache.delete(key);
}
