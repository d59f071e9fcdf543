import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type Db, rows } from '@/db/client';
import { runAnalyticsJob } from '@/server/analytics/job';
import { databaseBefore } from '../helpers/migrations';

// 0014 adds each week's sets with a recommendation and those that met it to the materialized weekly stats: weeks
// materialized before it must not read as "0 of 0" until the analytics job has been round again.
describe('migration 0014 (weekly success counts) on a database with materialized weeks', () => {
  it('marks them dirty, so reads are live and right at once, and the next job run materializes the counts', async () => {
    const { db, upgrade, close } = await databaseBefore('0014_weekly_success');
    try {
      await db.execute(sql`insert into users (id, analytics_opt_in) values ('old-lifter', true)`);
      await db.execute(sql`insert into sessions (id, user_id, date, performed_at)
        values ('00000000-0000-4000-8000-000000000001', 'old-lifter', '2025-11-18', '2025-11-18T18:00:00Z')`);
      await db.execute(sql`insert into sets (user_id, session_id, exercise, set_number, rec_weight, rec_reps, actual_weight, actual_reps, done)
        values ('old-lifter', '00000000-0000-4000-8000-000000000001', 'Squat', 1, 100, 5, 100, 5, true),
               ('old-lifter', '00000000-0000-4000-8000-000000000001', 'Squat', 2, 100, 5, 100, 4, true),
               ('old-lifter', '00000000-0000-4000-8000-000000000001', 'Squat', 3, null, null, 60, 10, true)`);
      // As the analytics job of that time left it: the week materialized, nothing dirty.
      await db.execute(sql`insert into exercise_weekly_stats (user_id, exercise, week_start, sets, volume_kg)
        values ('old-lifter', 'Squat', '2025-11-17', 3, 1500)`);
      const dirty = () => rows<{ n: number }>(db as never, sql`select count(*)::int as n from analytics_dirty_weeks`);
      expect(await dirty()).toEqual([{ n: 0 }]);

      await upgrade();

      expect(await dirty()).toEqual([{ n: 1 }]);
      await runAnalyticsJob(db as unknown as Db);
      const counts = await rows<{ sample: number; successes: number }>(
        db as never,
        sql`select sample, successes from exercise_weekly_stats where user_id = 'old-lifter'`,
      );
      expect(counts).toEqual([{ sample: 2, successes: 1 }]);
    } finally {
      await close();
    }
  });
});
