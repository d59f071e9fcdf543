import { asc, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows } from '@/db/client';
import { analyticsDirtyWeeks, exerciseWeeklyStats, jobRuns } from '@/db/schema';
import { runAnalyticsJob } from '@/server/analytics/job';
import { createApiToken } from '@/server/auth/tokens';
import { buildDemoData, DEMO_LIFTER_ID, DEMO_PLATEAU_EXERCISE, DEMO_PLATEAU_WEEKS } from '@/server/demo/demo-data';
import { seedDemo } from '@/server/demo/seed';
import { addDays, isoWeekStart } from '@/server/time/calendar';
import { getAnalytics } from '../helpers/analytics';
import { post } from '../helpers/api';
import { describeEachDatabase, openTestDatabase } from '../helpers/databases';

const NOW = new Date('2026-11-25T10:00:00Z');
const demo = buildDemoData(NOW);
const RANGES = ['7d', '30d', '12w', '6m', '1y', 'all'];

/** PRs straight from the generator's sets: an independent computation of what the SQL must find. */
function expectedPrs(userId: string) {
  const prs: Record<string, number> = {};
  for (const s of demo.sessions.filter((x) => x.user_id === userId))
    for (const x of s.sets)
      if (x.done && x.actual_reps >= 1) prs[x.exercise] = Math.max(prs[x.exercise] ?? 0, x.actual_weight);
  return prs;
}

describeEachDatabase('analytics on the demo data', (ctx) => {
  beforeAll(async () => {
    await seedDemo(ctx.db, { today: NOW });
  });

  it('reports the seeded PRs', async () => {
    const a = await getAnalytics(ctx.db, DEMO_LIFTER_ID, 'all', NOW);
    expect(a.prs).toEqual(expectedPrs(DEMO_LIFTER_ID));
    expect(a.prs[DEMO_PLATEAU_EXERCISE]).toBe(80);
  });

  it('reports the seeded Bench Press plateau, and only it', async () => {
    const a = await getAnalytics(ctx.db, DEMO_LIFTER_ID, '30d', NOW);
    const plateauStart = addDays(isoWeekStart('2026-11-25'), -7 * DEMO_PLATEAU_WEEKS);
    expect(a.plateaus).toEqual([
      {
        exercise: DEMO_PLATEAU_EXERCISE,
        since: plateauStart,
        weeks: DEMO_PLATEAU_WEEKS,
        best_e1rm: 93.33,
        last_e1rm: expect.any(Number),
      },
    ]);
  });

  it('shows the bulk in bodyweight and calories week by week', async () => {
    const a = await getAnalytics(ctx.db, DEMO_LIFTER_ID, 'all', NOW);
    expect(a.weekly_summary).toHaveLength(21); // 20 weeks of history and the current week
    const totalDelta = a.weekly_summary.reduce((s, w) => s + (w.kg_delta ?? 0), 0);
    expect(totalDelta).toBeGreaterThan(3);
    expect(a.weekly_summary.slice(0, 20).every((w) => w.sessions >= 3 && w.avg_calories! > 2400)).toBe(true);
  });

  it('answers the same before the job, after it, and after a full rebuild', async () => {
    const before = await Promise.all(RANGES.map((r) => getAnalytics(ctx.db, DEMO_LIFTER_ID, r, NOW)));
    // The seed ran the job; add a session so one week is dirty and computed live.
    const token = await createApiToken(ctx.db, DEMO_LIFTER_ID);
    const res = await post(
      '/api/v1/session',
      {
        user_id: DEMO_LIFTER_ID,
        date: '2026-11-24T17:00:00Z',
        sets: [
          {
            exercise: 'Bench Press',
            set_number: 1,
            rec_weight: 82.5,
            rec_reps: 5,
            actual_weight: 82.5,
            actual_reps: 5,
          },
        ],
      },
      token,
    );
    expect(res.status).toBe(201);
    const [dirty] = await ctx.db.select({ n: count() }).from(analyticsDirtyWeeks);
    expect(dirty!.n).toBe(1);
    const live = await Promise.all(RANGES.map((r) => getAnalytics(ctx.db, DEMO_LIFTER_ID, r, NOW)));
    expect(live[RANGES.indexOf('all')]!.prs[DEMO_PLATEAU_EXERCISE]).toBe(82.5);
    expect(live).not.toEqual(before);

    const run = await runAnalyticsJob(ctx.db, { now: new Date(NOW.getTime() + 1000) });
    expect(run).toMatchObject({ weeks: 1, remaining: 0 });
    expect(await Promise.all(RANGES.map((r) => getAnalytics(ctx.db, DEMO_LIFTER_ID, r, NOW)))).toEqual(live);

    const again = await runAnalyticsJob(ctx.db, { now: new Date(NOW.getTime() + 2000) });
    expect(again).toMatchObject({ weeks: 0, exerciseRows: 0, remaining: 0 });

    const snapshot = await rows(
      ctx.db,
      sql`select * from exercise_weekly_stats order by user_id, exercise, week_start`,
    );
    await runAnalyticsJob(ctx.db, { full: true, now: new Date(NOW.getTime() + 3000) });
    expect(await rows(ctx.db, sql`select * from exercise_weekly_stats order by user_id, exercise, week_start`)).toEqual(
      snapshot,
    );
    expect(await Promise.all(RANGES.map((r) => getAnalytics(ctx.db, DEMO_LIFTER_ID, r, NOW)))).toEqual(live);
  });

  it('records every run in job_runs and processes in batches within a time budget', async () => {
    await ctx.db.execute(sql`delete from exercise_weekly_stats`);
    const stopped = await runAnalyticsJob(ctx.db, {
      full: true,
      batchSize: 5,
      timeBudgetMs: 0,
      now: new Date(NOW.getTime() + 4000),
    });
    expect(stopped.weeks).toBe(0);
    expect(stopped.remaining).toBeGreaterThan(5);
    const progress: number[] = [];
    const done = await runAnalyticsJob(ctx.db, {
      batchSize: 5,
      now: new Date(NOW.getTime() + 5000),
      onProgress: (d) => progress.push(d),
    });
    expect(done.weeks).toBe(stopped.remaining);
    expect(progress.length).toBeGreaterThan(2);
    // The period is the run's instant: ordering by it puts the latest run last (rows have no order of their own).
    const runs = await ctx.db.select().from(jobRuns).where(eq(jobRuns.job, 'analytics')).orderBy(asc(jobRuns.period));
    expect(runs.length).toBeGreaterThanOrEqual(5);
    expect(runs.at(-1)).toMatchObject({ status: 'done', stats: expect.objectContaining({ remaining: 0 }) });
    const [n] = await ctx.db.select({ n: count() }).from(exerciseWeeklyStats);
    expect(n!.n).toBeGreaterThan(100);
  });
});

describe('analytics are identical on PGlite and PostgreSQL', () => {
  let a: Database;
  let b: Database;
  beforeAll(async () => {
    [a, b] = await Promise.all([openTestDatabase('pglite'), openTestDatabase('postgres')]);
    await Promise.all([seedDemo(a.db, { today: NOW }), seedDemo(b.db, { today: NOW })]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it.each(RANGES.flatMap((r) => [DEMO_LIFTER_ID, 'user-456'].map((u) => [u, r])))(
    '%s, range %s',
    async (user, range) => {
      const [x, y] = await Promise.all([getAnalytics(a.db, user, range, NOW), getAnalytics(b.db, user, range, NOW)]);
      expect(x).toEqual(y);
      expect(Object.keys(x.prs).length).toBeGreaterThan(0);
    },
  );
});
