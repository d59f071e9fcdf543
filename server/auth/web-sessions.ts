import { randomBytes } from 'node:crypto';
import { and, eq, gt, inArray, lt } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { users, webSessions } from '@/db/schema';
import { DEMO_COACH_ID, DEMO_LIFTER_ID } from '@/server/demo/demo-data';
import { env } from '@/server/env';
import { principalForToken, type Principal } from './principal';
import { hashToken } from './tokens';

export const SESSION_COOKIE = 'overload_session';
export const SESSION_DAYS = 14;
const PREFIX = 'ows_';

/** Starts a dashboard session; the returned token goes into an httpOnly cookie and nowhere else. */
export async function createWebSession(db: Db, userId: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const token = PREFIX + randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
  await db.insert(webSessions).values({ userId, tokenHash: hashToken(token), expiresAt });
  return { token, expiresAt };
}

export async function principalForSession(db: Db, token: string | undefined, now = new Date()): Promise<Principal | null> {
  if (!token || !token.startsWith(PREFIX) || token.length > 200) return null;
  const [row] = await db
    .select({ userId: users.id, role: users.role })
    .from(webSessions)
    .innerJoin(users, eq(users.id, webSessions.userId))
    .where(and(eq(webSessions.tokenHash, hashToken(token)), gt(webSessions.expiresAt, now)))
    .limit(1);
  return row ?? null;
}

export async function endWebSession(db: Db, token: string | undefined): Promise<void> {
  if (!token) return;
  await db.delete(webSessions).where(eq(webSessions.tokenHash, hashToken(token)));
}

export async function deleteExpiredWebSessions(db: Db, now = new Date()): Promise<number> {
  const gone = await db.delete(webSessions).where(lt(webSessions.expiresAt, now)).returning({ id: webSessions.id });
  return gone.length;
}

/** Sign-in by presenting an API token: the dashboard session belongs to the token's user. */
export async function signInWithApiToken(db: Db, apiToken: string) {
  const principal = await principalForToken(db, apiToken.trim());
  if (!principal) return null;
  return { principal, ...(await createWebSession(db, principal.userId)) };
}

/** The demo users available for one-click sign-in: only when the demo data is present and not switched off. */
export async function demoAccounts(db: Db): Promise<{ lifter: boolean; coach: boolean }> {
  if (env().DEMO_SIGNIN === 'off') return { lifter: false, coach: false };
  const found = new Set(
    (await db.select({ id: users.id }).from(users).where(inArray(users.id, [DEMO_LIFTER_ID, DEMO_COACH_ID]))).map((u) => u.id),
  );
  return { lifter: found.has(DEMO_LIFTER_ID), coach: found.has(DEMO_COACH_ID) };
}

export async function signInAsDemo(db: Db, who: 'lifter' | 'coach') {
  const available = await demoAccounts(db);
  if (!available[who]) return null;
  const userId = who === 'lifter' ? DEMO_LIFTER_ID : DEMO_COACH_ID;
  const [principal] = await db
    .select({ userId: users.id, role: users.role })
    .from(users)
    .where(eq(users.id, userId));
  if (!principal) return null;
  return { principal, ...(await createWebSession(db, userId)) };
}
