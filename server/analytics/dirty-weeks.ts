import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { analyticsDirtyWeeks } from '@/db/schema';
import { isoWeekStart } from '@/server/time/calendar';

/**
 * Marks the ISO weeks of these dates as changed, in the writer's transaction: until the analytics job has
 * materialized them again, reads compute them live.
 */
export async function markWeeksDirty(db: Db, userId: string, dates: readonly string[]): Promise<void> {
  const weeks = [...new Set(dates.map(isoWeekStart))];
  if (weeks.length === 0) return;
  await db
    .insert(analyticsDirtyWeeks)
    .values(weeks.map((weekStart) => ({ userId, weekStart })))
    .onConflictDoUpdate({
      target: [analyticsDirtyWeeks.userId, analyticsDirtyWeeks.weekStart],
      set: { touchedAt: sql`now()` },
    });
}
