import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { consentEvents, instrumentEvents, users } from '@/db/schema';
import { exportDecisionRows } from '@/server/learning/training-export';
import { pseudonym } from '@/server/privacy/pseudonym';
import { seedSession } from '../fixtures/seed-examples';
import { get, post } from '../helpers/api';
import { describeEachDatabase } from '../helpers/databases';
import { createUser } from '../helpers/fixtures';

const event = () => ({ type: 'session_finished', payload: { ok: true }, event_id: randomUUID() });

describeEachDatabase('analytics opt-in', (ctx) => {
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    alice = await createUser(ctx.db, 'alice'); // users start opted out
    bob = await createUser(ctx.db, 'bob');
  });
  const stored = async (userId: string) =>
    (await ctx.db.select({ n: count() }).from(instrumentEvents).where(eq(instrumentEvents.userId, userId)))[0]!.n;
  const optIn = async (userId: string) =>
    (await ctx.db.select({ v: users.analyticsOptIn }).from(users).where(eq(users.id, userId)))[0]!.v;

  it('starts opted out: no instrument row is stored, every event is counted as dropped', async () => {
    expect(await optIn('alice')).toBe(false);
    const res = await post('/api/v1/instrument', { events: [event(), event(), event()] }, alice);
    expect(res.body).toEqual({ accepted: 0, duplicates: 0, dropped: 3 });
    expect(await stored('alice')).toBe(0);
  });

  it('training features work without opt-in', async () => {
    const session = await post('/api/v1/session', { ...seedSession, user_id: 'alice' }, alice);
    expect(session.status).toBe(201);
    const analytics = await get('/api/v1/analytics?range=all', alice);
    expect(analytics.status).toBe(200);
    expect(analytics.body.prs['Incline Dumbbell Press']).toBe(18.5);
  });

  it('opting in stores events from then on', async () => {
    const res = await post('/api/v1/consent', { analytics: true }, alice);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ analytics: true, changed: true, deleted_events: 0 });
    expect(await optIn('alice')).toBe(true);
    expect((await post('/api/v1/instrument', { events: [event(), event()] }, alice)).body).toMatchObject({
      accepted: 2,
    });
    expect(await stored('alice')).toBe(2);
  });

  it('opting out deletes the stored events, and later events are dropped', async () => {
    const res = await post('/api/consent', { user_id: 'alice', analytics: false }, alice);
    expect(res.body).toEqual({ analytics: false, changed: true, deleted_events: 2 });
    expect(await stored('alice')).toBe(0);
    expect((await post('/api/v1/instrument', event(), alice)).body).toEqual({ accepted: 0, duplicates: 0, dropped: 1 });
    expect(await stored('alice')).toBe(0);
  });

  it('keeps the whole consent history, newest first, including repeated answers', async () => {
    expect((await post('/api/v1/consent', { analytics: false }, alice)).body).toMatchObject({ changed: false });
    const res = await get('/api/v1/consent', alice);
    expect(res.status).toBe(200);
    expect(res.body.analytics).toBe(false);
    expect(res.body.history.map((h: { granted: boolean }) => h.granted)).toEqual([false, false, true]);
    expect(res.body.history.every((h: { source: string }) => h.source === 'api')).toBe(true);
    const rows = await ctx.db.select().from(consentEvents).where(eq(consentEvents.userId, 'alice'));
    expect(rows).toHaveLength(3);
  });

  it('only the user may give or read its consent', async () => {
    const res = await post('/api/v1/consent', { user_id: 'alice', analytics: true }, bob);
    expect(res.status).toBe(403);
    expect(res.body.error.issues[0].path).toBe('user_id');
    expect((await get('/api/v1/consent?user_id=alice', bob)).status).toBe(403);
    expect(await optIn('alice')).toBe(false);
  });

  it.each([
    [{}, 'analytics'],
    [{ analytics: 'yes' }, 'analytics'],
    [{ analytics: 1 }, 'analytics'],
    [{ analytics: null }, 'analytics'],
    [{ analytics: true, extra: 1 }, 'extra'],
    [{ analytics: true, user_id: '' }, 'user_id'],
  ])('refuses %j naming %s, writing nothing', async (body, field) => {
    const before = (await ctx.db.select({ n: count() }).from(consentEvents))[0]!.n;
    const res = await post('/api/v1/consent', body, bob);
    expect(res.status).toBe(400);
    expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(field);
    expect((await ctx.db.select({ n: count() }).from(consentEvents))[0]!.n).toBe(before);
  });

  it('leaves users who never opted in out of the training export entirely', async () => {
    await post('/api/v1/session', { ...seedSession, user_id: 'bob' }, bob);
    await post('/api/v1/consent', { analytics: true }, bob);
    const exported: { subject: unknown; exercise: unknown }[] = [];
    const result = await exportDecisionRows(ctx.db, (rows) => void exported.push(...rows), {
      throughWeek: '2025-12-01',
    });
    // Bob trained one exercise in one week: one decision, the week after.
    expect(result).toEqual({ users: 1, rows: 1 });
    expect(exported).toEqual([
      expect.objectContaining({ subject: pseudonym('bob'), exercise: 'Incline Dumbbell Press' }),
    ]);
    expect(JSON.stringify(exported)).not.toContain('alice');
    expect(JSON.stringify(exported)).not.toContain('"bob"');
  });
});
