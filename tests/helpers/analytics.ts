import type { Db } from '@/db/client';
import { analyticsOf } from '@/server/analytics/service';
import { analyticsToWire } from '@/server/http/wire';

/** What GET /api/analytics answers for a lifter, computed in process (the route does the same two steps). */
export async function getAnalytics(db: Db, userId: string, range: string, now: Date) {
  return analyticsToWire(await analyticsOf(db, userId, range, now));
}
