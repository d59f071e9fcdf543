import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyticsDirtyWeeks, feedbackEvents, recommendations, sessions, sets } from '@/db/schema';
import { runAnalyticsJob } from '@/server/analytics/job';
import { isoWeekStart } from '@/server/time/calendar';
import { seedFeedback, seedSession } from '../fixtures/seed-examples';
import { call, del, get, post } from '../helpers/api';
import { daysAgo } from '../helpers/clock';
import { describeEachDatabase } from '../helpers/databases';
import { createUser, rowCounts } from '../helpers/fixtures';

const bench = (weight: number, reps = 5, setNumber = 1) => ({
  exercise: 'Bench Press',
  set_number: setNumber,
  rec_weight: weight,
  rec_reps: reps,
  actual_weight: weight,
  actual_reps: reps,
  intensity: 8,
});
/** A cursor as someone forging one writes it: the key, as JSON, in base64url. */
const forged = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
/** Days before today of the lifter's one-set sessions at 18:00, 60 kg and 2.5 kg more each time. */
const FIXTURE_DAYS = [20, 16, 12, 9, 5] as const;
const patch = (path: string, json: unknown, token: string, ifMatch?: string) =>
  call('PATCH', path, { json, token, headers: ifMatch === undefined ? {} : { 'if-match': ifMatch } });

describeEachDatabase('reading and correcting sessions', (ctx) => {
  let lifter: string;
  let other: string;
  let coach: string;
  const ids: string[] = []; // oldest first
  const record = async (date: string, weight: number, token = lifter, user = 'user-123') => {
    const res = await post('/api/v1/session', { user_id: user, date, finished: true, sets: [bench(weight)] }, token);
    expect(res.status).toBe(201);
    return res.body.session_id as string;
  };

  beforeAll(async () => {
    lifter = await createUser(ctx.db, 'user-123', { analyticsOptIn: true });
    other = await createUser(ctx.db, 'user-999', { analyticsOptIn: true });
    coach = await createUser(ctx.db, 'coach-1', { role: 'coach', coaches: ['user-123'] });
    // Seven sessions over three weeks; two on one day (an instant and a bare date).
    for (const [i, n] of FIXTURE_DAYS.entries()) ids.push(await record(`${daysAgo(n)}T18:00:00Z`, 60 + 2.5 * i));
    ids.push(await record(daysAgo(2), 72.5));
    ids.push(await record(`${daysAgo(2)}T07:00:00Z`, 50));
    await record(`${daysAgo(3)}T10:00:00Z`, 200, other, 'user-999');
  });

  describe('GET /sessions', () => {
    it('pages newest first with a cursor, every session exactly once, with its sets', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: { status: number; body: any } = await get(
          `/api/v1/sessions?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
          lifter,
        );
        expect(res.status).toBe(200);
        expect(res.body.sessions.length).toBeLessThanOrEqual(3);
        seen.push(...res.body.sessions.map((s: { session_id: string }) => s.session_id));
        cursor = res.body.next_cursor;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(3);
      // Newest first; on the shared day the instant (07:00) before the bare date (no time: last within its day).
      expect(seen).toEqual([ids[6], ids[5], ids[4], ids[3], ids[2], ids[1], ids[0]]);
      const first = (await get('/api/v1/sessions?limit=1', lifter)).body.sessions[0];
      expect(first).toMatchObject({
        user_id: 'user-123',
        date: `${daysAgo(2)}T07:00:00.000Z`,
        calendar_date: daysAgo(2),
        finished: true,
        version: 1,
        sets: [{ exercise: 'Bench Press', set_number: 1, actual_weight: 50, actual_reps: 5, done: true }],
      });
    });

    it('between from and to (inclusive), and an athlete’s for their coach', async () => {
      const res = await get(`/api/v1/sessions?from=${daysAgo(12)}&to=${daysAgo(5)}`, lifter);
      expect(res.body.sessions.map((s: { session_id: string }) => s.session_id)).toEqual([ids[4], ids[3], ids[2]]);
      expect(res.body.next_cursor).toBeNull();
      const coached = await get('/api/v1/sessions?user_id=user-123&limit=2', coach);
      expect(coached.status).toBe(200);
      expect(coached.body.sessions).toHaveLength(2);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=ten', 'limit'],
      ['from=2026-13-01', 'from'],
      [`from=${daysAgo(1)}&to=${daysAgo(5)}`, 'from'],
      ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
      ['cursor=%5B%5D', 'cursor'],
      // The probe's forged cursors, which reached SQL (500, with the statement in the log):
      [`cursor=${forged(['9999-99-99', '-infinity', '00000000-0000-4000-8000-000000000000'])}`, 'cursor'],
      [`cursor=${forged(['2026-01-01', '1', '00000000-0000-4000-8000-000000000000'])}`, 'cursor'],
      [`cursor=${forged(['2026-01-01', '-infinity', '------------------------------------'])}`, 'cursor'],
      [`cursor=${forged(['2026-01-01\u0000', '-infinity', '00000000-0000-4000-8000-000000000000'])}`, 'cursor'],
      [`cursor=${forged(['2026-02-30', '-infinity', '00000000-0000-4000-8000-000000000000'])}`, 'cursor'],
      [
        `cursor=${forged(['2026-01-01', '+275760-09-13T00:00:00.000Z', '00000000-0000-4000-8000-000000000000'])}`,
        'cursor',
      ],
      ['sort=asc', 'sort'],
    ])('?%s → 400 naming %s', async (query, field) => {
      const res = await get(`/api/v1/sessions?${query}`, lifter);
      expect(res.status).toBe(400);
      expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(field);
    });

    it('another lifter’s sessions → 403; no token → 401', async () => {
      expect((await get('/api/v1/sessions?user_id=user-999', lifter)).status).toBe(403);
      expect((await get('/api/v1/sessions?user_id=user-999', coach)).status).toBe(403);
      expect((await get('/api/v1/sessions', null)).status).toBe(401);
    });
  });

  describe('GET /sessions/{id}', () => {
    it('answers the session and its version as the ETag', async () => {
      const res = await get(`/api/v1/sessions/${ids[0]}`, lifter);
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe('"1"');
      expect(res.body).toMatchObject({ session_id: ids[0], version: 1 });
      expect((await get(`/api/sessions/${ids[0]}?user_id=user-123`, coach)).status).toBe(200);
    });

    it('another user’s id → 404 (never theirs); not a UUID → 400 naming id', async () => {
      const theirs = (await get('/api/v1/sessions', other)).body.sessions[0].session_id;
      const res = await get(`/api/v1/sessions/${theirs}`, lifter);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
      const bad = await get('/api/v1/sessions/not-a-uuid', lifter);
      expect(bad.status).toBe(400);
      expect(bad.body.error.issues[0].path).toBe('id');
    });
  });

  describe('PATCH /sessions/{id}', () => {
    it('without If-Match → 428; stale → 412 with the current ETag; weak or malformed tags refused; nothing changed', async () => {
      const before = await rowCounts(ctx.db);
      const path = `/api/v1/sessions/${ids[1]}`;
      const missing = await patch(path, { calories: 100 }, lifter);
      expect(missing.status).toBe(428);
      expect(missing.body.error.issues[0].path).toBe('If-Match');
      const stale = await patch(path, { calories: 100 }, lifter, '"7"');
      expect(stale.status).toBe(412);
      expect(stale.headers.get('etag')).toBe('"1"');
      expect((await patch(path, { calories: 100 }, lifter, 'W/"1"')).status).toBe(412);
      // The tag is compared as written (issue 29): "01" is not the "1" this API gave out.
      expect((await patch(path, { calories: 100 }, lifter, '"01"')).status).toBe(412);
      expect((await patch(path, { calories: 100 }, lifter, '"1 "')).status).toBe(412);
      expect((await patch(path, { calories: 100 }, lifter, 'one')).status).toBe(400);
      expect(await rowCounts(ctx.db)).toEqual(before);
      expect((await get(path, lifter)).body).toMatchObject({ calories: null, version: 1 });
    });

    it('corrects fields and replaces the set list; the version and updated_at move; a retry with the old tag → 412', async () => {
      const path = `/api/v1/sessions/${ids[1]}`;
      const read = await get(path, lifter);
      const res = await patch(
        path,
        { day_type: 'Push', calories: 2400, sets: [bench(62.5, 5, 1), bench(62.5, 4, 2)] },
        lifter,
        read.headers.get('etag')!,
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe('"2"');
      expect(res.body).toMatchObject({ day_type: 'Push', calories: 2400, version: 2, finished: true });
      expect(res.body.sets.map((s: { actual_reps: number }) => s.actual_reps)).toEqual([5, 4]);
      expect(Date.parse(res.body.updated_at)).toBeGreaterThan(Date.parse(read.body.updated_at));
      expect(res.body.created_at).toBe(read.body.created_at);
      const stored = await ctx.db
        .select()
        .from(sets)
        .where(and(eq(sets.userId, 'user-123'), eq(sets.sessionId, ids[1]!)));
      expect(stored).toHaveLength(2);
      expect((await patch(path, { calories: 1 }, lifter, read.headers.get('etag')!)).status).toBe(412);
      expect((await patch(path, { day_type: null }, lifter, '*')).body).toMatchObject({ day_type: null, version: 3 });
    });

    it.each([
      [{}, '(body)'],
      [{ sets: [{ exercise: 'Bench Press', set_number: 1, actual_weight: 80 }] }, 'sets[0].actual_reps'],
      [{ sets: [bench(80), bench(80)] }, 'sets[1].set_number'],
      [{ user_id: 'user-999' }, 'user_id'],
      [{ rec_meta: { id: 'x' } }, 'rec_meta'],
      [{ calories: 'lots' }, 'calories'],
      [{ date: 'yesterday' }, 'date'],
    ])('%j → 400 naming %s, nothing changed', async (body, field) => {
      const before = await ctx.db.select().from(sessions).where(eq(sessions.id, ids[2]!));
      const res = await patch(`/api/v1/sessions/${ids[2]}`, body, lifter, '*');
      expect(res.status).toBe(400);
      expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(field);
      expect(await ctx.db.select().from(sessions).where(eq(sessions.id, ids[2]!))).toEqual(before);
    });

    it('a coach, another lifter, a stranger: 403, 404, 401', async () => {
      const path = `/api/v1/sessions/${ids[2]}`;
      expect((await patch(path, { calories: 1 }, coach, '*')).status).toBe(404);
      expect((await patch(path, { calories: 1 }, other, '*')).status).toBe(404);
      expect((await call('PATCH', path, { json: { calories: 1 }, headers: { 'if-match': '*' } })).status).toBe(401);
      expect((await get(path, lifter)).body.version).toBe(1);
    });

    it('analytics show a correction at once: a PR corrected away, a session moved to another week', async () => {
      await runAnalyticsJob(ctx.db); // materialize every week first: the correction must not hide behind it
      const analytics = async () => (await get('/api/v1/analytics?user_id=user-123&range=30d', lifter)).body;
      expect((await analytics()).prs['Bench Press']).toBe(72.5);
      const path = `/api/v1/sessions/${ids[5]}`; // the 72.5 kg session, a bare date
      const moved = daysAgo(20);
      const res = await patch(path, { date: moved, sets: [bench(57.5)] }, lifter, '"1"');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ date: moved, calendar_date: moved });
      const after = await analytics();
      expect(after.prs['Bench Press']).toBe(70);
      // What stays in the old week: the 07:00 session's set, and those of the fixture's sessions that share its
      // ISO week (on a Monday or a Tuesday, the one five days earlier too).
      const week = isoWeekStart(daysAgo(2));
      const staying = 1 + FIXTURE_DAYS.filter((n) => isoWeekStart(daysAgo(n)) === week).length;
      const oldWeek = after.weekly_summary.find((w: { weekStart: string }) => w.weekStart === week);
      expect(oldWeek?.sets ?? 0).toBe(staying);
      const dirty = await ctx.db.select().from(analyticsDirtyWeeks).where(eq(analyticsDirtyWeeks.userId, 'user-123'));
      expect(dirty.map((d) => d.weekStart).sort()).toEqual([isoWeekStart(moved), isoWeekStart(daysAgo(2))].sort());
    });
  });

  describe('DELETE /sessions/{id}', () => {
    it('needs If-Match; deletes the session, its sets, its recommendation and the feedback on them; analytics follow', async () => {
      const created = await post(
        '/api/v1/session',
        {
          user_id: 'user-123',
          date: `${daysAgo(1)}T09:00:00Z`,
          finished: true,
          sets: [bench(90)],
          rec_meta: { id: 'rec-del' },
        },
        lifter,
      );
      const id = created.body.session_id as string;
      expect((await post('/api/v1/feedback', { ...seedFeedback, ref_id: 'rec-del' }, lifter)).status).toBe(200);
      expect(
        (await post('/api/v1/feedback', { ...seedFeedback, ref_type: 'session', ref_id: id }, lifter)).status,
      ).toBe(200);
      expect((await get('/api/v1/analytics?user_id=user-123', lifter)).body.prs['Bench Press']).toBe(90);

      expect((await del(`/api/v1/sessions/${id}`, lifter)).status).toBe(428);
      expect((await del(`/api/v1/sessions/${id}`, coach, { 'if-match': '*' })).status).toBe(404);
      expect((await del(`/api/v1/sessions/${id}`, lifter, { 'if-match': '"2"' })).status).toBe(412);
      const res = await del(`/api/v1/sessions/${id}`, lifter, { 'if-match': '"1"' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ session_id: id, deleted: true });

      expect((await get(`/api/v1/sessions/${id}`, lifter)).status).toBe(404);
      expect(await ctx.db.select().from(sets).where(eq(sets.sessionId, id))).toEqual([]);
      expect(await ctx.db.select().from(recommendations).where(eq(recommendations.id, 'rec-del'))).toEqual([]);
      const feedback = await ctx.db.select().from(feedbackEvents).where(eq(feedbackEvents.userId, 'user-123'));
      expect(feedback.filter((f) => f.refId === id || f.refId === 'rec-del')).toEqual([]);
      expect((await get('/api/v1/analytics?user_id=user-123', lifter)).body.prs['Bench Press']).toBe(70);
      // Deleting again: it is gone.
      expect((await del(`/api/v1/sessions/${id}`, lifter, { 'if-match': '*' })).status).toBe(404);
    });
  });
});

describeEachDatabase('client recommendation ids (rec_meta.id)', (ctx) => {
  let lifter: string;
  beforeAll(async () => {
    lifter = await createUser(ctx.db, 'user-123', { analyticsOptIn: true });
  });
  const withRec = (recMeta: Record<string, unknown>, over: Record<string, unknown> = {}) => ({
    ...seedSession,
    rec_meta: recMeta,
    ...over,
  });

  it('the seed’s session and feedback examples work end to end as written', async () => {
    const session = await post('/api/v1/session', withRec({ id: 'rec-456', weight: 18.5 }), lifter);
    expect(session.status).toBe(201);
    const feedback = await post('/api/v1/feedback', seedFeedback, lifter);
    expect(feedback.status).toBe(200);
    const [rec] = await ctx.db.select().from(recommendations).where(eq(recommendations.id, 'rec-456'));
    expect(rec?.sessionId).toBe(session.body.session_id);
  });

  it('the same session posted again answers the same session and writes nothing', async () => {
    const body = withRec({ id: 'rec-retry', weight: 20 });
    const first = await post('/api/v1/session', body, lifter);
    const before = await rowCounts(ctx.db);
    const again = await post('/api/v1/session', body, lifter);
    expect(again.status).toBe(201);
    expect(again.body.session_id).toBe(first.body.session_id);
    expect(await rowCounts(ctx.db)).toEqual(before);
  });

  it.each([
    ['another payload under the same id', withRec({ id: 'rec-taken', weight: 99 })],
    ['the same payload with another session', withRec({ id: 'rec-taken', weight: 20 }, { calories: 1 })],
  ])('reusing an id: %s → 409 naming rec_meta.id, nothing written', async (_what, body) => {
    await post('/api/v1/session', withRec({ id: 'rec-taken', weight: 20 }), lifter);
    const before = await rowCounts(ctx.db);
    const res = await post('/api/v1/session', body, lifter);
    expect(res.status).toBe(409);
    expect(res.body.error.issues[0].path).toBe('rec_meta.id');
    expect(await rowCounts(ctx.db)).toEqual(before);
  });

  it('a recommendation posted first under the id is linked to the session that carries it', async () => {
    const payload = { id: 'rec-early', weight: 40 };
    expect(
      (
        await post(
          '/api/v1/recommendations',
          { user_id: 'user-123', id: 'rec-early', exercise: 'Squat', rec_payload: payload },
          lifter,
        )
      ).status,
    ).toBe(201);
    const session = await post('/api/v1/session', withRec(payload), lifter);
    expect(session.status).toBe(201);
    const [rec] = await ctx.db.select().from(recommendations).where(eq(recommendations.id, 'rec-early'));
    expect(rec).toMatchObject({ sessionId: session.body.session_id, exercise: 'Squat' });
  });

  it('an integer id is kept as its text; a non-scalar id → 400 naming rec_meta.id', async () => {
    const res = await post('/api/v1/session', withRec({ id: 4711 }), lifter);
    expect(res.status).toBe(201);
    expect((await post('/api/v1/feedback', { ...seedFeedback, ref_id: '4711' }, lifter)).status).toBe(200);
    const bad = await post('/api/v1/session', withRec({ id: { nested: true } }), lifter);
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toBe('rec_meta.id');
  });

  it('without an id, the recommendation is still rec-<session_id>', async () => {
    const res = await post('/api/v1/session', withRec({ weight: 1 }), lifter);
    const id = `rec-${res.body.session_id}`;
    expect(await ctx.db.select().from(recommendations).where(eq(recommendations.id, id))).toHaveLength(1);
  });
});
