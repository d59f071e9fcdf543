import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { apiTokens, coachAthletes, users } from '@/db/schema';
import { hashToken } from './tokens';

/** Who is calling: resolved from a bearer token (REST) or a session cookie (dashboard). */
export interface Principal {
  userId: string;
  role: 'lifter' | 'coach';
  analyticsOptIn: boolean;
}

/** The principal behind a bearer token, or null when the token is unknown or revoked. */
export async function principalForToken(db: Db, token: string): Promise<Principal | null> {
  if (!token.startsWith('ovl_') || token.length > 200) return null;
  const [row] = await db
    .select({ userId: users.id, role: users.role, analyticsOptIn: users.analyticsOptIn })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), isNull(apiTokens.revokedAt)))
    .limit(1);
  return row ?? null;
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
