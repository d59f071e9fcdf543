import { principalForToken, type Principal } from '@/server/auth/principal';
import { getDb } from '@/server/db';
import type { TrpcContext } from './init';

/** Who is calling tRPC: a bearer token (API clients, tests); the dashboard's session cookie is added by its issue. */
export async function createTrpcContext(opts: { headers: Headers }): Promise<TrpcContext> {
  const db = await getDb();
  let principal: Principal | null = null;
  const bearer = /^Bearer\s+(\S+)$/i.exec(opts.headers.get('authorization') ?? '')?.[1];
  if (bearer) principal = await principalForToken(db, bearer);
  return { db, principal, now: new Date() };
}
