import { sql } from 'drizzle-orm';
import { beforeAll, beforeEach, expect, it } from 'vitest';
import { rows } from '@/db/client';
import type { Principal } from '@/server/auth/principal';
import { deleteUser } from '@/server/privacy/delete-user';
import { addDays, isoWeekStart } from '@/server/time/calendar';
import { del, get, post } from '../helpers/api';
import { testNow, today } from '../helpers/clock';
import { describeEachDatabase } from '../helpers/databases';
import { createUser, rowCounts } from '../helpers/fixtures';
import { dashboardCaller } from '../helpers/trpc';

// The database refuses the change; drizzle wraps the refusal in its own error.
const APPEND_ONLY = { cause: expect.objectContaining({ message: expect.stringMatching(/append-only/) }) };

/** Planned deloads and blocks: who may plan them, what the overlay serves, what is refused, the history kept. */
describeEachDatabase('planned deloads', (ctx) => {
  const tokens = {} as Record<'ana' | 'ben' | 'coach' | 'stranger', string>;
  // The lifters have no time zone: their week is the UTC one.
  const thisWeek = () => isoWeekStart(today());
  const week = (n: number) => addDays(thisWeek(), 7 * n);
  const plan = (body: Record<string, unknown>, token = tokens.ana) => post('/api/v1/deloads', body, token);
  const trpcAs = (userId: string, role: Principal['role']) => dashboardCaller(ctx.db, { userId, role }, testNow());

  beforeAll(async () => {
    tokens.ana = await createUser(ctx.db, 'ana');
    tokens.ben = await createUser(ctx.db, 'ben');
    tokens.coach = await createUser(ctx.db, 'coach-c', { role: 'coach', coaches: ['ana'] });
    tokens.stranger = await createUser(ctx.db, 'coach-s', { role: 'coach', coaches: ['ben'] });
  });
  beforeEach(async () => {
    await ctx.db.execute(sql`delete from deload_plans`);
  });

  it('a lifter plans a deload; the overlay serves it that week only, with the reason', async () => {
    const res = await plan({ kind: 'deload', week_start: thisWeek(), load_factor: 0.8, set_factor: 0.6 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      user_id: 'ana',
      kind: 'deload',
      week_start: thisWeek(),
      build_weeks: 0,
      deload_weeks: 1,
      cycles: 1,
      exercises: null,
      load_factor: 0.8,
      set_factor: 0.6,
      planned_by: 'ana',
      source: 'lifter',
      cancelled_from: null,
      weeks: [thisWeek()],
    });
    const overlay = await get('/api/v1/modifiers', tokens.ana);
    expect(overlay.body.deloads).toEqual([
      { plan_id: res.body.id, exercises: null, load_factor: 0.8, set_factor: 0.6, reason: 'planned deload, by you' },
    ]);
    // Next week is not a deload: planned for next week instead, today's overlay serves none.
    await ctx.db.execute(sql`delete from deload_plans`);
    expect((await plan({ kind: 'deload', week_start: week(1), load_factor: 0.8 })).status).toBe(201);
    expect((await get('/api/v1/modifiers', tokens.ana)).body.deloads).toEqual([]);
  });

  it('a coach plans a block for its athlete: the deload weeks repeat, the reason names the coach', async () => {
    const res = await plan(
      {
        user_id: 'ana',
        kind: 'block',
        week_start: week(-0),
        build_weeks: 3,
        cycles: 2,
        exercises: ['Back Squat', 'Bench Press'],
        set_factor: 0.5,
        note: 'Meet prep: two blocks',
      },
      tokens.coach,
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ planned_by: 'coach-c', source: 'coach', load_factor: 1, deload_weeks: 1 });
    expect(res.body.weeks).toEqual([week(3), week(7)]);
    const listed = await get('/api/v1/deloads?user_id=ana', tokens.coach);
    expect(listed.status).toBe(200);
    expect(listed.body.plans.map((p: { id: string }) => p.id)).toEqual([res.body.id]);
    expect(listed.body.plans[0].note).toBe('Meet prep: two blocks');
    const [raw] = await rows<{ note: string }>(ctx.db, sql`select note from deload_plans`);
    expect(raw!.note).not.toContain('Meet prep');
    // A coach of someone else, and another lifter, may neither plan nor read.
    expect(
      (await plan({ user_id: 'ana', kind: 'deload', week_start: week(9), load_factor: 0.7 }, tokens.stranger)).status,
    ).toBe(403);
    expect(
      (await plan({ user_id: 'ana', kind: 'deload', week_start: week(9), load_factor: 0.7 }, tokens.ben)).status,
    ).toBe(403);
    expect((await get('/api/v1/deloads?user_id=ana', tokens.stranger)).status).toBe(403);
  });

  it.each([
    ['a past week', { kind: 'deload', week_start: 'PAST', load_factor: 0.8 }, 'week_start'],
    ['an empty week', { kind: 'deload', week_start: 'EMPTY', load_factor: 0.8 }, 'week_start'],
    ['a week that is no date', { kind: 'deload', week_start: 'FEB30', load_factor: 0.8 }, 'week_start'],
    ['a day that is not a Monday', { kind: 'deload', week_start: 'TUESDAY', load_factor: 0.8 }, 'week_start'],
    ['a week more than a year ahead', { kind: 'deload', week_start: 'FAR', load_factor: 0.8 }, 'week_start'],
    ['a load factor below 0.6', { kind: 'deload', week_start: 'NEXT', load_factor: 0.5 }, 'load_factor'],
    ['a load factor of 1', { kind: 'deload', week_start: 'NEXT', load_factor: 1 }, 'load_factor'],
    ['a set factor above 0.9', { kind: 'deload', week_start: 'NEXT', set_factor: 0.95 }, 'set_factor'],
    ['neither factor', { kind: 'deload', week_start: 'NEXT' }, 'load_factor'],
    ['an unknown kind', { kind: 'taper', week_start: 'NEXT', load_factor: 0.8 }, 'kind'],
    [
      'a block without its build weeks',
      { kind: 'block', week_start: 'NEXT', cycles: 2, load_factor: 0.8 },
      'build_weeks',
    ],
    [
      'a block of 13 cycles',
      { kind: 'block', week_start: 'NEXT', build_weeks: 3, cycles: 13, load_factor: 0.8 },
      'cycles',
    ],
    ['block fields on a deload', { kind: 'deload', week_start: 'NEXT', cycles: 2, load_factor: 0.8 }, 'cycles'],
    [
      'an exercise twice',
      { kind: 'deload', week_start: 'NEXT', exercises: ['Squat', 'Squat'], load_factor: 0.8 },
      'exercises',
    ],
    [
      'three deload weeks a cycle',
      { kind: 'block', week_start: 'NEXT', build_weeks: 3, deload_weeks: 3, cycles: 2, load_factor: 0.8 },
      'deload_weeks',
    ],
    ['an empty note', { kind: 'deload', week_start: 'NEXT', load_factor: 0.8, note: ' ' }, 'note'],
    ['a factor as text', { kind: 'deload', week_start: 'NEXT', load_factor: '0.8' }, 'load_factor'],
    ['an empty exercise list', { kind: 'deload', week_start: 'NEXT', exercises: [], load_factor: 0.8 }, 'exercises'],
  ])('refuses %s: 400 naming the field, nothing written', async (_, body, field) => {
    const dates: Record<string, string> = {
      PAST: week(-1),
      TUESDAY: addDays(week(1), 1),
      FAR: week(53),
      NEXT: week(1),
      EMPTY: '',
      FEB30: '2027-02-30',
    };
    const before = await rowCounts(ctx.db);
    const res = await plan({ ...body, week_start: dates[body.week_start as string] });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(field);
    expect(await rowCounts(ctx.db)).toEqual(before);
  });

  it('refuses a plan overlapping another for the same exercises: 409 naming week_start, nothing written', async () => {
    const block = await plan({
      kind: 'block',
      week_start: week(1),
      build_weeks: 2,
      cycles: 2,
      exercises: ['Bench Press'],
      load_factor: 0.8,
    });
    expect(block.status).toBe(201);
    const before = await rowCounts(ctx.db);
    // Inside the block's span (weeks 1–6), on the same exercise or on every exercise.
    for (const exercises of [['Bench Press'], null]) {
      const res = await plan({ kind: 'deload', week_start: week(2), exercises, load_factor: 0.7 });
      expect(res.status).toBe(409);
      expect(res.body.error.issues[0].path).toBe('week_start');
      expect(res.body.error.message).toContain(block.body.id);
    }
    expect(await rowCounts(ctx.db)).toEqual(before);
    // Another exercise in the same weeks, or the same one after the block, is fine.
    expect(
      (await plan({ kind: 'deload', week_start: week(2), exercises: ['Back Squat'], load_factor: 0.7 })).status,
    ).toBe(201);
    expect(
      (await plan({ kind: 'deload', week_start: week(7), exercises: ['Bench Press'], load_factor: 0.7 })).status,
    ).toBe(201);
  });

  it('cancelling keeps the plan in the history, frees its weeks, and cannot be done twice', async () => {
    const created = await plan({ kind: 'block', week_start: week(1), build_weeks: 1, cycles: 3, load_factor: 0.8 });
    const path = `/api/v1/deloads/${created.body.id}`;
    const cancelled = await del(`${path}?user_id=ana`, tokens.coach);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id: created.body.id, cancelled_from: week(1), weeks: [] });
    expect((await del(path, tokens.ana)).status).toBe(409);
    expect((await del('/api/v1/deloads/00000000-0000-4000-8000-000000000000', tokens.ana)).status).toBe(404);
    expect((await del(path, tokens.ben)).status).toBe(404);
    expect((await del('/api/v1/deloads/not-a-uuid', tokens.ana)).body.error.issues[0].path).toBe('id');
    const listed = await get('/api/v1/deloads', tokens.ana);
    expect(listed.body.plans).toHaveLength(1);
    expect(listed.body.plans[0].cancelled_from).toBe(week(1));
    expect((await plan({ kind: 'deload', week_start: week(2), load_factor: 0.7 })).status).toBe(201);
  });

  it('a block cancelled midway keeps the deload weeks already served', async () => {
    await ctx.db.execute(sql`insert into deload_plans (user_id, kind, start_week, build_weeks, deload_weeks, cycles,
      load_factor, set_factor, planned_by, source) values ('ana', 'block', ${week(-4)}, 1, 1, 4, 0.8, 1, 'ana', 'lifter')`);
    const [{ id }] = (await get('/api/v1/deloads', tokens.ana)).body.plans;
    const cancelled = await del(`/api/v1/deloads/${id}`, tokens.ana);
    expect(cancelled.body).toMatchObject({ cancelled_from: thisWeek(), weeks: [week(-3), week(-1)] });
  });

  it('the history is append-only; a deleted coach leaves its name replaced, a deleted lifter no plans', async () => {
    const res = await plan({ user_id: 'ana', kind: 'deload', week_start: week(1), load_factor: 0.8 }, tokens.coach);
    await expect(ctx.db.execute(sql`update deload_plans set load_factor = 0.9`)).rejects.toMatchObject(APPEND_ONLY);
    expect((await del(`/api/v1/deloads/${res.body.id}?user_id=ana`, tokens.coach)).status).toBe(200);
    await expect(ctx.db.execute(sql`update deload_cancellations set from_week = ${week(2)}`)).rejects.toMatchObject(
      APPEND_ONLY,
    );
    await createUser(ctx.db, 'coach-gone', { role: 'coach', coaches: ['ben'] });
    await ctx.db.execute(sql`insert into deload_plans (user_id, kind, start_week, build_weeks, deload_weeks, cycles,
      load_factor, set_factor, planned_by, source) values ('ben', 'deload', ${week(1)}, 0, 1, 1, 0.8, 1, 'coach-gone', 'coach')`);
    await deleteUser(ctx.db, 'coach-gone');
    const [ben] = await rows<{ planned_by: string }>(
      ctx.db,
      sql`select planned_by from deload_plans where user_id = 'ben'`,
    );
    expect(ben!.planned_by).toBe('deleted-user');
    const [cancelledBy] = await rows<{ cancelled_by: string }>(
      ctx.db,
      sql`select cancelled_by from deload_cancellations`,
    );
    expect(cancelledBy!.cancelled_by).toBe('coach-c');
    await createUser(ctx.db, 'leaver');
    await ctx.db.execute(sql`insert into deload_plans (user_id, kind, start_week, build_weeks, deload_weeks, cycles,
      load_factor, set_factor, planned_by, source) values ('leaver', 'deload', ${week(1)}, 0, 1, 1, 0.8, 1, 'leaver', 'lifter')`);
    await deleteUser(ctx.db, 'leaver');
    expect(await rows(ctx.db, sql`select 1 from deload_plans where user_id = 'leaver'`)).toEqual([]);
  });

  it('tRPC: the same plans, planned and cancelled from the dashboard', async () => {
    const coach = trpcAs('coach-c', 'coach');
    const planned = await coach.deloads.plan({ user_id: 'ana', kind: 'deload', week_start: week(1), set_factor: 0.5 });
    expect(planned).toMatchObject({ plannedBy: 'coach-c', weeks: [week(1)], setFactor: 0.5, loadFactor: 1 });
    expect((await trpcAs('ana', 'lifter').deloads.list({})).map((p) => p.id)).toEqual([planned.id]);
    await expect(trpcAs('coach-s', 'coach').deloads.list({ userId: 'ana' })).rejects.toThrow();
    await expect(
      coach.deloads.plan({ user_id: 'ana', kind: 'deload', week_start: week(1), load_factor: 0.7 }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    const cancelled = await coach.deloads.cancel({ userId: 'ana', planId: planned.id });
    expect(cancelled.cancelledFrom).toBe(week(1));
  });
});
