import type { Db } from '@/db/client';
import { requireCronSecret } from '@/server/auth/credentials';
import { getDb } from '@/server/db';
import { type Partition, parsePartition } from '@/server/jobs/partition';
import { strictQueryParam } from './body';
import { errorResponse } from './endpoint';

/**
 * A Vercel cron route: GET with the cron secret as its credential (`server/auth/credentials.ts`). Fails closed —
 * without a configured secret every call is refused — and answers the job's result as JSON.
 */
export function cronRoute(job: (db: Db, partition: Partition) => Promise<unknown>) {
  return async (request: Request): Promise<Response> => {
    try {
      requireCronSecret(request.headers);
      // `?partition=k/n`: several calls (or cron entries) share one run, each over its own lifters.
      const partition = parsePartition(strictQueryParam(new URL(request.url), 'partition'));
      const result = await job(await getDb(), partition);
      return Response.json({ ok: true, result }, { headers: { 'cache-control': 'no-store' } });
    } catch (err) {
      return errorResponse(err);
    }
  };
}
