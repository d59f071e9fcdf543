import { count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { profiles, recommendations, sessions, sets } from '@/db/schema';
import { seedProfileVersion, seedSession } from '../fixtures/seed-examples';
import { post } from '../helpers/api';
import { describeEachDatabase } from '../helpers/databases';
import { createUser, rowCounts } from '../helpers/fixtures';

const set = (n: number, patch: Record<string, unknown> = {}) => ({
  exercise: 'Bench Press',
  set_number: n,
  rec_weight: 80,
  rec_reps: 5,
  actual_weight: 80,
  actual_reps: 5,
  intensity: 8,
  ...patch,
});

describeEachDatabase('atomic writes and idempotent retries', (ctx) => {
  let token: string;
  beforeAll(async () => {
    token = await createUser(ctx.db, 'user-123', { analyticsOptIn: true });
  });

  it('a session whose last set is invalid writes nothing at all', async () => {
    const before = await rowCounts(ctx.db);
    const body = {
      ...seedSession,
      rec_meta: { plan: 'x' },
      sets: [set(1), set(2), set(3), set(4, { actual_reps: -1 })],
    };
    const res = await post('/api/v1/session', body, token);
    expect(res.status).toBe(400);
    expect(res.body.error.issues[0].path).toBe('sets[3].actual_reps');
    expect(await rowCounts(ctx.db)).toEqual(before);
  });

  it('a session that fails inside the database rolls back its session row and earlier sets', async () => {
    // Two sets with the same number pass no validation; simulate a constraint failure half-way by
    // violating the unique set number through the service directly.
    const { recordSession } = await import('@/server/ingest/sessions');
    const before = await rowCounts(ctx.db);
    const input = { ...seedSession, finished: true, sets: [set(1), set(1)] } as never;
    await expect(recordSession(ctx.db, 'user-123', input)).rejects.toThrow();
    expect(await rowCounts(ctx.db)).toEqual(before);
  });

  it('a retried POST with the same Idempotency-Key writes once and replays the first answer', async () => {
    const key = 'retry-1';
    const body = { ...seedSession, sets: [set(1), set(2), set(3)], rec_meta: { plan: 'a' } };
    const first = await post('/api/v1/session', body, token, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    const afterFirst = await rowCounts(ctx.db);
    const second = await post('/api/v1/session', body, token, { 'idempotency-key': key });
    // The unversioned alias is the same endpoint: the key is honoured there too.
    const third = await post('/api/session', body, token, { 'idempotency-key': key });
    for (const r of [second, third]) {
      expect(r.status).toBe(201);
      expect(r.body).toEqual(first.body);
      expect(r.headers.get('idempotency-replayed')).toBe('true');
    }
    expect(first.headers.get('idempotency-replayed')).toBeNull();
    expect(await rowCounts(ctx.db)).toEqual(afterFirst);
    const [n] = await ctx.db.select({ n: count() }).from(sets).where(eq(sets.sessionId, first.body.session_id));
    expect(n!.n).toBe(3);
  });

  it('the same key with a different body → 422, nothing written', async () => {
    const before = await rowCounts(ctx.db);
    const res = await post('/api/v1/session', { ...seedSession, calories: 1 }, token, { 'idempotency-key': 'retry-1' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('idempotency_key_reused');
    expect(await rowCounts(ctx.db)).toEqual(before);
  });

  it('the same key on another endpoint → 422', async () => {
    const res = await post('/api/v1/profile_versions', seedProfileVersion, token, { 'idempotency-key': 'retry-1' });
    expect(res.status).toBe(422);
  });

  it('concurrent retries with one key still write once', async () => {
    const body = { ...seedSession, sets: [set(1)] };
    const before = (await ctx.db.select({ n: count() }).from(sessions))[0]!.n;
    const results = await Promise.all(
      Array.from({ length: 5 }, () => post('/api/v1/session', body, token, { 'idempotency-key': 'race-1' })),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.body.session_id)).size).toBe(1);
    const after = (await ctx.db.select({ n: count() }).from(sessions))[0]!.n;
    expect(after).toBe(before + 1);
  });

  it('a failed request does not store its key: the key works once the request can succeed', async () => {
    const bad = await post(
      '/api/v1/feedback',
      { user_id: 'user-123', ref_type: 'session', ref_id: 'x', helpful: true },
      token,
      {
        'idempotency-key': 'fb-1',
      },
    );
    expect(bad.status).toBe(404);
    // The 404 was not stored: the same key may be used once the request can succeed.
    const session = await post('/api/v1/session', seedSession, token);
    const good = await post(
      '/api/v1/feedback',
      { user_id: 'user-123', ref_type: 'session', ref_id: session.body.session_id, helpful: true },
      token,
      { 'idempotency-key': 'fb-1' },
    );
    expect(good.status).toBe(200);
  });
});

describeEachDatabase('session dates and sets', (ctx) => {
  let token: string;
  beforeAll(async () => {
    token = await createUser(ctx.db, 'user-123');
    await post(
      '/api/v1/profile_versions',
      { ...seedProfileVersion, snapshot: { ...seedProfileVersion.snapshot, timeZone: 'Europe/Berlin' } },
      token,
    );
  });

  it('takes the calendar date of an instant in the lifter’s zone and keeps the instant', async () => {
    const res = await post('/api/v1/session', { ...seedSession, date: '2025-11-24T23:30:00Z' }, token);
    const [s] = await ctx.db.select().from(sessions).where(eq(sessions.id, res.body.session_id));
    expect(s!.date).toBe('2025-11-25');
    expect(s!.performedAt?.toISOString()).toBe('2025-11-24T23:30:00.000Z');
  });

  it('accepts a bare date and keeps no instant', async () => {
    const res = await post('/api/v1/session', { ...seedSession, date: '2025-11-20' }, token);
    expect(res.status).toBe(201);
    const [s] = await ctx.db.select().from(sessions).where(eq(sessions.id, res.body.session_id));
    expect(s!.date).toBe('2025-11-20');
    expect(s!.performedAt).toBeNull();
  });

  it('accepts an offset instant and a session without rec_meta, skipped sets and no sets', async () => {
    const res = await post(
      '/api/v1/session',
      {
        user_id: 'user-123',
        date: '2025-11-24T08:00:00+05:30',
        sets: [set(1), { exercise: 'Bench Press', set_number: 2, rec_weight: 80, rec_reps: 5, done: false }],
      },
      token,
    );
    expect(res.status).toBe(201);
    const stored = await ctx.db.select().from(sets).where(eq(sets.sessionId, res.body.session_id));
    expect(stored.find((s) => s.setNumber === 2)).toMatchObject({ done: false, actualReps: null, actualWeight: null });
    const [rec] = await ctx.db
      .select({ n: count() })
      .from(recommendations)
      .where(eq(recommendations.sessionId, res.body.session_id));
    expect(rec!.n).toBe(0);
    expect((await post('/api/v1/session', { user_id: 'user-123', date: '2025-11-21', sets: [] }, token)).status).toBe(
      201,
    );
  });
});

describe('profile versions', () => {
  describeEachDatabase('keep the profile at the latest effective date', (ctx) => {
    let token: string;
    beforeAll(async () => {
      token = await createUser(ctx.db, 'user-123');
    });
    const version = (date: string, snapshot: Record<string, unknown>) =>
      post('/api/v1/profile_versions', { user_id: 'user-123', snapshot, effective_date: date, source: 'auto' }, token);

    it('updates the profile from a newer version, ignores a back-dated one, keeps unknown keys', async () => {
      expect((await version('2025-11-10', { weightKg: 70, heightCm: 188, age: 20, sex: 'male' })).status).toBe(201);
      expect((await version('2025-11-24', { weightKg: 71.2, mood: 'great', goals: ['bulk'] })).status).toBe(201);
      expect((await version('2025-11-01', { weightKg: 68 })).status).toBe(201);
      const [p] = await ctx.db.select().from(profiles).where(eq(profiles.userId, 'user-123'));
      expect(p).toMatchObject({ currentWeightKg: 71.2, heightCm: 188, age: 20, sex: 'male' });
      const versions = await ctx.db.query.profileVersions.findMany({
        where: (v, { eq }) => eq(v.effectiveDate, '2025-11-24'),
      });
      expect(versions[0]!.snapshotJson).toEqual({ weightKg: 71.2, mood: 'great', goals: ['bulk'] });
      expect(versions[0]!.source).toBe('auto');
    });

    it('a version on the same date as the latest wins (newer write)', async () => {
      await version('2025-11-24', { weightKg: 71.5 });
      const [p] = await ctx.db.select().from(profiles).where(eq(profiles.userId, 'user-123'));
      expect(p!.currentWeightKg).toBe(71.5);
    });
  });
});
