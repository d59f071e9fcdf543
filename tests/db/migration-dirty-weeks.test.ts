import { type SQL, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '@/db/client';
import { databaseBefore } from '../helpers/migrations';

// Migrations that add to the materialized weekly rows mark every week materialized before dirty: each is rebuilt by
// the next analytics run and read live until then.
describe.each([
  // 0032 adds hard sets to the exercise weeks (0 on the old rows until rebuilt).
  ['0032_hard_sets', sql`select sum(hard_sets)::int as n from exercise_weekly_stats`],
  // 0034 materializes volume per muscle group (no rows for the old weeks until rebuilt).
  ['0034_muscle_weekly_stats', sql`select count(*)::int as n from muscle_weekly_stats`],
] as [string, SQL][])('migration %s on a database with weekly rows', (migration, added) => {
  it('marks every materialized week dirty, once, keeping marks already there', async () => {
    const { db, upgrade, close } = await databaseBefore(migration);
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
      const [stored] = await rows<{ n: number }>(db as never, added);
      expect(stored!.n).toBe(0);
    } finally {
      await close();
    }
  });
});

describe('migration 0036_strength_habits on a database with stored beliefs', () => {
  it("marks each lifter's first week with a belief dirty, and the old beliefs read as having no habits", async () => {
    const { db, upgrade, close } = await databaseBefore('0036_strength_habits');
    try {
      await db.execute(sql`insert into users (id) values ('old-lifter'), ('other')`);
      const belief = (user: string, exercise: string, date: string) =>
        sql`(${user}, ${exercise}, ${date}, 4.6, 0, 0.001, 0, 0.0001, 100, 90, 110, 0)`;
      await db.execute(sql`insert into strength_estimates (user_id, exercise, date, level, trend, level_var,
        level_trend_cov, trend_var, estimate_kg, low_kg, high_kg, trend_pct_per_week) values
        ${belief('old-lifter', 'Bench Press', '2025-06-04')}, ${belief('old-lifter', 'Deadlift', '2025-06-12')},
        ${belief('old-lifter', 'Bench Press', '2025-07-01')}, ${belief('other', 'Squat', '2025-05-31')}`);
      await upgrade();
      const dirty = await rows<{ user: string; week: string }>(
        db as never,
        sql`select user_id as "user", week_start::text as week from analytics_dirty_weeks order by 1, 2`,
      );
      // Monday weeks: Wednesday 4 June 2025 is in the week of 2 June; Saturday 31 May in the week of 26 May.
      expect(dirty).toEqual([
        { user: 'old-lifter', week: '2025-06-02' },
        { user: 'other', week: '2025-05-26' },
      ]);
      const [empty] = await rows<{ n: number }>(
        db as never,
        sql`select count(*)::int as n from strength_estimates where habits = '{}'`,
      );
      expect(empty!.n).toBe(4);
    } finally {
      await close();
    }
  });
});
