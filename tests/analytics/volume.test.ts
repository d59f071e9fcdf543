import { sql } from 'drizzle-orm';
import { beforeAll, beforeEach, expect, it } from 'vitest';
import { rows } from '@/db/client';
import { strengthEstimates } from '@/db/schema';
import { runAnalyticsJob } from '@/server/analytics/job';
import { isoWeekStart } from '@/server/time/calendar';
import { call, get, post } from '../helpers/api';
import { daysAgo, testNow, today } from '../helpers/clock';
import { describeEachDatabase } from '../helpers/databases';
import { createUser, rowCounts } from '../helpers/fixtures';

const set = (exercise: string, n: number, weight: number, reps: number, intensity?: number) => ({
  exercise,
  set_number: n,
  actual_weight: weight,
  actual_reps: reps,
  ...(intensity === undefined ? {} : { intensity }),
});

/**
 * Weekly volume per muscle group against fixed sets: which count, for which groups, how much, and what is hard.
 * Bench Press is the catalog's chest (primary) with shoulders and triceps (secondary, ½) — free-exercise-db.
 */
describeEachDatabase('volume per muscle group', (ctx) => {
  let token: string;
  let coach: string;
  let stranger: string;
  const volume = async (user = 'vera', as = token) => get(`/api/v1/analytics/volume?user_id=${user}&range=4w`, as);
  const thisWeek = (body: { weeks: { week_start: string; groups: Record<string, unknown> }[] }) =>
    body.weeks.find((w) => w.week_start === isoWeekStart(today()))!.groups as Record<
      string,
      { hard_sets: number; sets: number; tonnage_kg: number }
    >;

  beforeAll(async () => {
    token = await createUser(ctx.db, 'vera');
    coach = await createUser(ctx.db, 'coach-v', { role: 'coach', coaches: ['vera'] });
    stranger = await createUser(ctx.db, 'coach-x', { role: 'coach' });
    const session = (date: string, sets: unknown[]) =>
      post('/api/v1/session', { user_id: 'vera', date, finished: true, sets }, token);
    expect(
      (
        await session(today(), [
          set('Bench Press', 1, 80, 5, 8), // hard by RPE
          set('Bench Press', 2, 80, 5, 6), // not hard by RPE
          set('Bench Press', 3, 90, 5), // no RPE: 30·(100/90 − 1) − 5 < 3 in reserve → hard
          set('Bench Press', 4, 60, 5), // no RPE: 15 in reserve → not hard
          set('Zercher Squat', 5, 70, 6, 9), // not in the catalog
        ])
      ).status,
    ).toBe(201);
    expect((await session(daysAgo(7), [set('Bench Press', 1, 75, 5, 9)])).status).toBe(201);
    // The estimated strength on the day, as the analytics job would have stored it.
    await ctx.db.insert(strengthEstimates).values({
      userId: 'vera',
      exercise: 'Bench Press',
      date: today(),
      level: Math.log(100),
      trend: 0,
      levelVar: 0.001,
      levelTrendCov: 0,
      trendVar: 0.0001,
      estimateKg: 100,
      lowKg: 95,
      highKg: 105,
      trendPctPerWeek: 0,
    });
  });
  beforeEach(async () => {
    await ctx.db.execute(sql`delete from exercise_muscles`);
    await ctx.db.execute(sql`delete from muscle_targets`);
  });

  it('counts a set 1 for its primary group and ½ for each secondary, hard by RPE or by reps in reserve', async () => {
    const res = await volume();
    expect(res.status).toBe(200);
    const groups = thisWeek(res.body);
    expect(groups.chest).toEqual({ hard_sets: 2, sets: 4, tonnage_kg: 80 * 5 * 2 + 90 * 5 + 60 * 5 });
    expect(groups.triceps).toEqual({ hard_sets: 1, sets: 2, tonnage_kg: (80 * 5 * 2 + 90 * 5 + 60 * 5) / 2 });
    expect(groups.shoulders).toEqual(groups.triceps);
    expect(groups.quadriceps).toBeUndefined();
    expect(res.body.unmapped).toEqual(['Zercher Squat']);
    expect(res.body.hard_set).toEqual({ rpe_at_least: 7, reps_in_reserve_at_most: 3 });
    // Every week of the range is there, the empty ones too; last week's single set counts there.
    expect(res.body.weeks.length).toBeGreaterThanOrEqual(4);
    const lastWeek = res.body.weeks.find((w: { week_start: string }) => w.week_start === isoWeekStart(daysAgo(7)));
    expect(lastWeek.groups.chest).toEqual({ hard_sets: 1, sets: 1, tonnage_kg: 375 });
    expect(res.body.targets.chest).toEqual({ min: 10, max: 20 });
  });

  it('the analytics job materializes the hard sets with the weekly aggregates; the answer stays the same', async () => {
    const live = (await volume()).body;
    const job = await runAnalyticsJob(ctx.db, { now: testNow() });
    expect(job.remaining).toBe(0);
    const stored = await rows<{ exercise: string; hard_sets: number; sets: number }>(
      ctx.db,
      sql`select exercise, hard_sets, sets from exercise_weekly_stats
          where user_id = 'vera' and week_start = ${isoWeekStart(today())}::date order by exercise`,
    );
    expect(stored).toEqual([
      { exercise: 'Bench Press', hard_sets: 2, sets: 4 },
      { exercise: 'Zercher Squat', hard_sets: 1, sets: 1 },
    ]);
    const groups = await rows<{ muscle: string; unmapped: string; hard_sets: number; sets: number }>(
      ctx.db,
      sql`select muscle, unmapped, hard_sets, sets from muscle_weekly_stats
          where user_id = 'vera' and week_start = ${isoWeekStart(today())}::date order by muscle`,
    );
    expect(groups).toEqual([
      { muscle: '', unmapped: 'Zercher Squat', hard_sets: 0, sets: 0 },
      { muscle: 'chest', unmapped: '', hard_sets: 2, sets: 4 },
      { muscle: 'shoulders', unmapped: '', hard_sets: 1, sets: 2 },
      { muscle: 'triceps', unmapped: '', hard_sets: 1, sets: 2 },
    ]);
    expect((await volume()).body).toEqual(live);
  });

  it('a lifter maps an exercise the catalog lacks, or remaps one it has; the volume follows at once', async () => {
    const mapped = await call('PUT', '/api/v1/exercises/zercher%20squat/muscles', {
      token,
      json: { primary: ['quadriceps'], secondary: ['glutes', 'abdominals'] },
    });
    expect(mapped.status).toBe(200);
    expect(mapped.body).toEqual({
      exercise: 'Zercher Squat',
      primary: ['quadriceps'],
      secondary: ['glutes', 'abdominals'],
    });
    await call('PUT', '/api/v1/exercises/Bench%20Press/muscles', { token, json: { primary: ['triceps'] } });
    const groups = thisWeek((await volume()).body);
    expect(groups.quadriceps).toEqual({ hard_sets: 1, sets: 1, tonnage_kg: 420 });
    expect(groups.glutes).toEqual({ hard_sets: 0.5, sets: 0.5, tonnage_kg: 210 });
    expect(groups.triceps!.sets).toBe(4);
    expect(groups.chest).toBeUndefined();
    expect((await volume()).body.unmapped).toEqual([]);
  });

  it('a lifter sets their own target for a group', async () => {
    const res = await call('PUT', '/api/v1/analytics/volume/targets/chest', { token, json: { min: 12, max: 16 } });
    expect(res).toMatchObject({ status: 200, body: { muscle: 'chest', min: 12, max: 16 } });
    const body = (await volume()).body;
    expect(body.targets.chest).toEqual({ min: 12, max: 16 });
    expect(body.targets.lats).toEqual({ min: 10, max: 20 });
  });

  it.each([
    ['/exercises/Bench%20Press/muscles', {}, 400, 'primary'],
    ['/exercises/Bench%20Press/muscles', { primary: [] }, 400, 'primary'],
    ['/exercises/Bench%20Press/muscles', { primary: ['pecs'] }, 400, 'primary'],
    ['/exercises/Bench%20Press/muscles', { primary: ['chest', 'chest'] }, 400, 'primary'],
    ['/exercises/Bench%20Press/muscles', { primary: ['chest'], secondary: ['chest'] }, 400, 'secondary'],
    ['/exercises/Bench%20Press/muscles', { primary: ['chest'], tertiary: [] }, 400, 'tertiary'],
    ['/exercises/Never%20Trained/muscles', { primary: ['chest'] }, 404, 'name'],
    ['/analytics/volume/targets/pecs', { min: 10, max: 20 }, 400, 'muscle'],
    ['/analytics/volume/targets/chest', { min: 12, max: 8 }, 400, 'max'],
    ['/analytics/volume/targets/chest', { min: -1, max: 8 }, 400, 'min'],
    ['/analytics/volume/targets/chest', { min: '10', max: 20 }, 400, 'min'],
  ])('PUT %s %j → %i naming %s, writing nothing', async (path, json, status, field) => {
    const before = await rowCounts(ctx.db);
    const res = await call('PUT', `/api/v1${path}`, { token, json });
    expect(res.status).toBe(status);
    expect(JSON.stringify(res.body.error)).toContain(field);
    expect(await rowCounts(ctx.db)).toEqual(before);
  });

  it('a coach reads an athlete’s volume; another coach and a bad range are refused', async () => {
    expect((await volume('vera', coach)).status).toBe(200);
    expect((await volume('vera', stranger)).status).toBe(403);
    const bad = await get('/api/v1/analytics/volume?range=3q', token);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toContain('range');
  });

  it('a rename carries the lifter’s mapping to the new name', async () => {
    await call('PUT', '/api/v1/exercises/Zercher%20Squat/muscles', { token, json: { primary: ['quadriceps'] } });
    const renamed = await post('/api/v1/exercises/rename', { from: 'zercher squat', to: 'Zercher' }, token);
    expect(renamed.status).toBe(200);
    expect(thisWeek((await volume()).body).quadriceps).toEqual({ hard_sets: 1, sets: 1, tonnage_kg: 420 });
    await post('/api/v1/exercises/rename', { from: 'Zercher', to: 'Zercher Squat' }, token);
  });

  it('a merge carries the mapping onto the weeks the other exercise was settled in', async () => {
    await runAnalyticsJob(ctx.db, { now: testNow() });
    await call('PUT', '/api/v1/exercises/Zercher%20Squat/muscles', { token, json: { primary: ['quadriceps'] } });
    const merged = await post('/api/v1/exercises/rename', { from: 'Zercher Squat', to: 'Bench Press' }, token);
    expect(merged.body).toMatchObject({ merged: true });
    // Last week had Bench Press only; the job had settled it under the catalog's chest.
    const body = (await volume()).body;
    const lastWeek = body.weeks.find((w: { week_start: string }) => w.week_start === isoWeekStart(daysAgo(7)));
    expect(lastWeek.groups).toEqual({ quadriceps: { hard_sets: 1, sets: 1, tonnage_kg: 375 } });
    await runAnalyticsJob(ctx.db, { now: testNow() });
    expect((await volume()).body).toEqual(body);
  });
});
