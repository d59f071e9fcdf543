import { authenticate } from '@/server/auth/credentials';
import { getDb } from '@/server/db';
import { wallClock } from '@/server/time/clock';
import type { TrpcContext } from './init';

/** Who is calling tRPC: a bearer API token (scripts), or the dashboard's session cookie. */
export async function createTrpcContext(opts: { headers: Headers }): Promise<TrpcContext> {
  const db = await getDb();
  return { db, caller: await authenticate(db, opts.headers, ['bearer', 'session']), now: wallClock() };
}
