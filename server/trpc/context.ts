import { parse as parseCookie } from 'cookie';
import { principalForToken, type Principal } from '@/server/auth/principal';
import { principalForSession, SESSION_COOKIE } from '@/server/auth/web-sessions';
import { getDb } from '@/server/db';
import type { TrpcContext } from './init';

/** Who is calling tRPC: the dashboard's session cookie, or a bearer token (API clients). */
export async function createTrpcContext(opts: { headers: Headers }): Promise<TrpcContext> {
  const db = await getDb();
  let principal: Principal | null = null;
  const bearer = /^Bearer\s+(\S+)$/i.exec(opts.headers.get('authorization') ?? '')?.[1];
  if (bearer) principal = await principalForToken(db, bearer);
  else {
    const cookies = parseCookie(opts.headers.get('cookie') ?? '');
    principal = await principalForSession(db, cookies[SESSION_COOKIE]);
  }
  return { db, principal, now: new Date() };
}
