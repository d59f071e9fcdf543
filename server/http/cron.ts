import { timingSafeEqual, createHash } from 'node:crypto';
import { env } from '@/server/env';
import { getDb } from '@/server/db';
import type { Db } from '@/db/client';
import { ApiError } from './errors';
import { errorResponse } from './endpoint';

/** Compares digests, so neither the length nor the content of the secret leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * A Vercel cron route: GET with `Authorization: Bearer ${CRON_SECRET}`. Fails closed — without a configured
 * secret every call is refused — and answers the job's result as JSON.
 */
export function cronRoute(job: (db: Db, request: Request) => Promise<unknown>) {
  return async function GET(request: Request): Promise<Response> {
    try {
      const secret = env().CRON_SECRET;
      const header = request.headers.get('authorization') ?? '';
      const given = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      if (!secret || !given || !sameSecret(given, secret)) {
        throw new ApiError(401, 'unauthorized', secret ? 'Wrong or missing cron secret.' : 'CRON_SECRET is not configured.', undefined, {
          'www-authenticate': 'Bearer',
        });
      }
      const result = await job(await getDb(), request);
      return Response.json({ ok: true, result }, { headers: { 'cache-control': 'no-store' } });
    } catch (err) {
      return errorResponse(err);
    }
  };
}
