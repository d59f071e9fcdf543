import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { preparedRows } from '@/db/prepared';
import { apiTokens, coachAthletes, type UserRole, users, webSessions } from '@/db/schema';
import { forbidden } from '@/server/errors';
import { hashToken } from './token-hash';

/** Who is calling: resolved from a bearer API token (REST, tRPC) or a session cookie (dashboard). */
export interface Principal {
  userId: string;
  /**
   * Researchers read models and experiments: aggregates of opted-in lifters, never one lifter's data. Admins
   * provision users, roles and coach links for the app's backend (`/api/v1/admin/…`).
   */
  role: UserRole;
}

const API_TOKEN_PREFIX = 'ovl_';
const SESSION_PREFIX = 'ows_';
const MAX_TOKEN_LENGTH = 200;
const shaped = (token: string, prefix: string) => token.startsWith(prefix) && token.length <= MAX_TOKEN_LENGTH;

/**
 * The principal behind a live API token (not revoked, not expired), with the token's id and expiry; null when
 * there is none. Marks the token used, at most once a minute.
 */
export async function apiTokenOwner(
  db: Db,
  token: string,
): Promise<(Principal & { tokenId: string; expiresAt: Date | null }) | null> {
  if (!shaped(token, API_TOKEN_PREFIX)) return null;
  // Prepared: this runs on every request the credential cache does not answer.
  const [row] = await preparedRows<{ user_id: string; role: UserRole; token_id: string; expires_at: string | null }>(
    db,
    sql`with live as (
          select ${users.id} as user_id, ${users.role}::text as role, ${apiTokens.id} as token_id,
                 ${apiTokens.expiresAt} as expires_at, ${apiTokens.lastUsedAt} as last_used_at
          from ${apiTokens} join ${users} on ${users.id} = ${apiTokens.userId}
          where ${apiTokens.tokenHash} = ${hashToken(token)} and ${apiTokens.revokedAt} is null
            and (${apiTokens.expiresAt} is null or ${apiTokens.expiresAt} > now())
          limit 1
        ),
        touched as (
          update ${apiTokens} set last_used_at = now()
          from live
          where ${apiTokens.userId} = live.user_id and ${apiTokens.id} = live.token_id
            and (live.last_used_at is null or live.last_used_at < now() - interval '1 minute')
        )
        select user_id, role, token_id::text as token_id, expires_at::text as expires_at from live`,
  );
  if (!row) return null;
  return {
    userId: row.user_id,
    role: row.role,
    tokenId: row.token_id,
    expiresAt: row.expires_at ? new Date(row.expires_at) : null,
  };
}

/** The API token a dashboard session was signed in with: what a token made in that session may not outlive. */
export interface ParentToken {
  tokenId: string;
  expiresAt: Date | null;
}

/** A dashboard session's principal, and the API token it was signed in with (null: signed in another way). */
export interface SessionPrincipal extends Principal {
  signedInWith: ParentToken | null;
}

/**
 * The principal behind a dashboard session cookie: unexpired, and — when it was made from an API token —
 * only while that token is not revoked.
 */
export async function principalForSession(db: Db, token: string, now: Date): Promise<SessionPrincipal | null> {
  if (!shaped(token, SESSION_PREFIX)) return null;
  const [row] = await db
    .select({ userId: users.id, role: users.role, tokenId: apiTokens.id, tokenExpiresAt: apiTokens.expiresAt })
    .from(webSessions)
    .innerJoin(users, eq(users.id, webSessions.userId))
    .leftJoin(apiTokens, and(eq(apiTokens.userId, webSessions.userId), eq(apiTokens.id, webSessions.apiTokenId)))
    .where(
      and(
        eq(webSessions.tokenHash, hashToken(token)),
        gt(webSessions.expiresAt, now),
        or(
          isNull(webSessions.apiTokenId),
          and(isNull(apiTokens.revokedAt), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now))),
        ),
      ),
    )
    .limit(1);
  if (!row) return null;
  const { tokenId, tokenExpiresAt, ...principal } = row;
  return { ...principal, signedInWith: tokenId ? { tokenId, expiresAt: tokenExpiresAt } : null };
}

export async function isCoachOf(db: Db, coachId: string, athleteId: string): Promise<boolean> {
  const [row] = await db
    .select({ one: coachAthletes.userId })
    .from(coachAthletes)
    .where(and(eq(coachAthletes.coachId, coachId), eq(coachAthletes.userId, athleteId)))
    .limit(1);
  return Boolean(row);
}

/** Refuses (403 naming `athleteId`) a caller who does not coach the athlete. */
export async function assertCoachOf(db: Db, coachId: string, athleteId: string): Promise<void> {
  if (!(await isCoachOf(db, coachId, athleteId))) throw forbidden(`You do not coach ${athleteId}.`, 'athleteId');
}

/** The access rules, for REST, tRPC and pages alike. Reads: yourself, or an athlete you coach. */
async function canRead(db: Db, principal: Principal, subjectId: string): Promise<boolean> {
  if (principal.userId === subjectId) return true;
  return principal.role === 'coach' && isCoachOf(db, principal.userId, subjectId);
}

/** Writes: only yourself (a coach may read its athletes' data, never write it). */
function canWrite(principal: Principal, subjectId: string): boolean {
  return principal.userId === subjectId;
}

/** The access rules as a check: refuses with 403 naming `field`. */
export async function authorize(
  db: Db,
  principal: Principal,
  access: 'read' | 'write',
  subjectId: string,
  field = 'user_id',
): Promise<void> {
  if (access === 'write' && !canWrite(principal, subjectId)) {
    throw forbidden(`You may only write your own data (you are ${principal.userId}).`, field);
  }
  if (access === 'read' && !(await canRead(db, principal, subjectId))) {
    throw forbidden('You may read only your own data or that of athletes you coach.', field);
  }
}

/** Models and experiments are the researchers': aggregates of many lifters, never one lifter's data. */
export function authorizeResearch(principal: Principal): void {
  if (principal.role !== 'researcher') throw forbidden('Only researchers may use experiments.');
}

/** Provisioning users, roles and coach links is the admins' (the app's backend). */
export function authorizeAdmin(principal: Principal): void {
  if (principal.role !== 'admin') throw forbidden('Only admins may provision users and coach links.');
}
