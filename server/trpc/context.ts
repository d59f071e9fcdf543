import { parse as parseCookie } from 'cookie';
import { principalForToken, type Principal } from '@/server/auth/principal';
import { principalForSession, SESSION_COOKIE } from '@/server/auth/web-sessions';
import { hashToken } from '@/server/auth/tokens';
import { getDb } from '@/server/db';
import type { TrpcContext } from './init';

/** Who is calling tRPC: the dashboard's session cookie, or a bearer token (API clients). */
export async function createTrpcContext(opts: { headers: Headers }): Promise<TrpcContext> {
  const db = await getDb();
  const bearer = /^Bearer\s+(\S+)$/i.exec(opts.headers.get('authorization') ?? '')?.[1];
  if (bearer) return { db, principal: await principalForToken(db, bearer), now: new Date(), rateKey: hashToken(bearer) };
  const session = parseCookie(opts.headers.get('cookie') ?? '')[SESSION_COOKIE];
  const principal = await principalForSession(db, session);
  return { db, principal, now: new Date(), rateKey: session ? `session:${hashToken(session)}` : undefined };
}
