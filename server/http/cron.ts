import type { Db } from '@/db/client';
import { requireCronSecret } from '@/server/auth/credentials';
import { getDb } from '@/server/db';
import { errorResponse } from './endpoint';

/**
 * A Vercel cron route: GET with the cron secret as its credential (`server/auth/credentials.ts`). Fails closed —
 * without a configured secret every call is refused — and answers the job's result as JSON.
 */
export function cronRoute(job: (db: Db, request: Request) => Promise<unknown>) {
  return async (request: Request): Promise<Response> => {
    try {
      requireCronSecret(request.headers);
      const result = await job(await getDb(), request);
      return Response.json({ ok: true, result }, { headers: { 'cache-control': 'no-store' } });
    } catch (err) {
      return errorResponse(err);
    }
  };
}
