import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '@/db/client';
import { databaseBefore } from '../helpers/migrations';

// 0032 adds hard sets to the weekly rows: every week materialized before must be rebuilt, so it is marked dirty.
describe('migration 0032 (hard sets per exercise-week) on a database with weekly rows', () => {
  it('marks every materialized week dirty, once, keeping marks already there', async () => {
    const { db, upgrade, close } = await databaseBefore('0032_hard_sets');
    try {
      await db.execute(sql`insert into users (id) values ('old-lifter')`);
      await db.execute(sql`insert into exercise_weekly_stats (user_id, exercise, week_start, sets, volume_kg) values
        ('old-lifter', 'Bench Press', '2025-06-02', 3, 1200), ('old-lifter', 'Deadlift', '2025-06-02', 2, 900),
        ('old-lifter', 'Bench Press', '2025-06-09', 3, 1250)`);
      await db.execute(
        sql`insert into analytics_dirty_weeks (user_id, week_start) values ('old-lifter', '2025-06-09')`,
      );
      await upgrade();
      const dirty = await rows<{ week: string }>(
        db as never,
        sql`select week_start::text as week from analytics_dirty_weeks where user_id = 'old-lifter' order by 1`,
      );
      expect(dirty.map((d) => d.week)).toEqual(['2025-06-02', '2025-06-09']);
      const [stored] = await rows<{ n: number }>(
        db as never,
        sql`select sum(hard_sets)::int as n from exercise_weekly_stats`,
      );
      expect(stored!.n).toBe(0);
    } finally {
      await close();
    }
  });
});
