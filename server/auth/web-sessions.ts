import { randomBytes } from 'node:crypto';
import { asc, eq, lt } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { demoAccounts, users, webSessions } from '@/db/schema';
import { env } from '@/server/env';
import { apiTokenOwner, type Principal } from './principal';
import { hashToken } from './token-hash';

export const SESSION_DAYS = 14;

export type Persona = 'lifter' | 'coach' | 'researcher';
const PREFIX = 'ows_';

export interface StartedSession {
  principal: Principal;
  token: string;
  expiresAt: Date;
}

/** Starts a dashboard session; the returned token goes into an httpOnly cookie and nowhere else. */
export async function createWebSession(
  db: Db,
  userId: string,
  now: Date,
  opts: { apiTokenId?: string } = {},
): Promise<{ token: string; expiresAt: Date }> {
  const token = PREFIX + randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
  await db
    .insert(webSessions)
    .values({ userId, tokenHash: hashToken(token), apiTokenId: opts.apiTokenId ?? null, expiresAt });
  return { token, expiresAt };
}

/** Signs a session out: gone from the database, so refused by every process from its next request. */
export async function endWebSession(db: Db, token: string | undefined): Promise<void> {
  if (!token) return;
  await db.delete(webSessions).where(eq(webSessions.tokenHash, hashToken(token)));
}

export async function deleteExpiredWebSessions(db: Db, now: Date): Promise<number> {
  const gone = await db.delete(webSessions).where(lt(webSessions.expiresAt, now)).returning({ id: webSessions.id });
  return gone.length;
}

/** Whether one-click demo sign-in is switched on here (`DEMO_SIGNIN`; off in production unless set to on). */
function demoSignInEnabled(): boolean {
  return env().DEMO_SIGNIN === 'on';
}

/** The demo accounts the project's seeder created, by persona; none when demo sign-in is off. */
export async function demoAccountsAvailable(db: Db): Promise<Partial<Record<Persona, string>>> {
  if (!demoSignInEnabled()) return {};
  const rows = await db
    .select({ userId: demoAccounts.userId, persona: demoAccounts.persona })
    .from(demoAccounts)
    .orderBy(asc(demoAccounts.createdAt), asc(demoAccounts.userId));
  const out: Partial<Record<Persona, string>> = {};
  for (const r of rows) out[r.persona] ??= r.userId;
  return out;
}

export type SignInAttempt = { method: 'token'; token: string } | { method: 'demo'; persona: Persona };

/**
 * Sign-in for people: an API token exchanged for a session that ends when the token is revoked, or a demo
 * account. Null: not recognised. (The edge throttles attempts per client first.)
 */
export async function signIn(db: Db, attempt: SignInAttempt, now: Date): Promise<StartedSession | null> {
  if (attempt.method === 'token') {
    const owner = await apiTokenOwner(db, attempt.token.trim());
    if (!owner) return null;
    const principal = { userId: owner.userId, role: owner.role };
    return { principal, ...(await createWebSession(db, owner.userId, now, { apiTokenId: owner.tokenId })) };
  }
  const userId = (await demoAccountsAvailable(db))[attempt.persona];
  if (!userId) return null;
  const [principal] = await db.select({ userId: users.id, role: users.role }).from(users).where(eq(users.id, userId));
  if (!principal) return null;
  return { principal, ...(await createWebSession(db, userId, now)) };
}
