import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiTokens } from '@/db/schema';
import { seedFeedback, seedProfileVersion, seedSession } from '../fixtures/seed-examples';
import { call, post } from '../helpers/api';
import { testNow } from '../helpers/clock';
import { describeEachDatabase } from '../helpers/databases';
import { createUser, rowCounts } from '../helpers/fixtures';

const bodies: Record<string, Record<string, unknown>> = {
  '/api/v1/profile_versions': seedProfileVersion,
  '/api/v1/session': seedSession,
  '/api/v1/recommendations': { user_id: 'user-123', exercise: 'Bench Press', rec_payload: { weight: 80 } },
  '/api/v1/feedback': seedFeedback,
  '/api/v1/instrument': { user_id: 'user-123', type: 'session_finished', payload: {} },
};

describeEachDatabase('authentication and cross-user access', (ctx) => {
  let lifter: string;
  let other: string;
  let coach: string;
  let revoked: string;
  beforeAll(async () => {
    lifter = await createUser(ctx.db, 'user-123', { analyticsOptIn: true });
    other = await createUser(ctx.db, 'user-999', { analyticsOptIn: true });
    coach = await createUser(ctx.db, 'coach-1', { role: 'coach', coaches: ['user-123'] });
    revoked = await createUser(ctx.db, 'user-gone');
    await ctx.db.update(apiTokens).set({ revokedAt: testNow() }).where(eq(apiTokens.userId, 'user-gone'));
  });

  for (const [path, body] of Object.entries(bodies)) {
    describe(path, () => {
      it.each([
        ['no Authorization header', undefined],
        ['a Basic scheme', 'Basic dXNlcjpwYXNz'],
        ['Bearer without a token', 'Bearer '],
        ['an unknown token', `Bearer ovl_${'A'.repeat(43)}`],
        ['a token of the wrong shape', 'Bearer hunter2'],
      ])('%s → 401', async (_what, authorization) => {
        const before = await rowCounts(ctx.db);
        const res = await call('POST', path, { json: body, headers: authorization ? { authorization } : {} });
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe('unauthorized');
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(await rowCounts(ctx.db)).toEqual(before);
      });

      it('a revoked token → 401', async () => {
        const res = await post(path, { ...body, user_id: 'user-gone' }, revoked);
        expect(res.status).toBe(401);
      });

      it("another lifter's token → 403 naming user_id, nothing written", async () => {
        const before = await rowCounts(ctx.db);
        const res = await post(path, body, other);
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
        expect(res.body.error.issues[0].path).toBe('user_id');
        expect(await rowCounts(ctx.db)).toEqual(before);
      });

      it("the athlete's own coach may not write → 403", async () => {
        const res = await post(path, body, coach);
        expect(res.status).toBe(403);
      });

      it('a user_id that does not exist → 403 (never a 500)', async () => {
        const res = await post(path, { ...body, user_id: 'user-does-not-exist' }, lifter);
        expect(res.status).toBe(403);
      });
    });
  }

  it('the token owner may write (instrument without user_id uses the token’s user)', async () => {
    const res = await post('/api/v1/instrument', { type: 'session_finished', payload: {} }, other);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accepted: 1, duplicates: 0, dropped: 0 });
  });

  it('feedback cannot point at another user’s recommendation or session → 404', async () => {
    const rec = await post(
      '/api/v1/recommendations',
      { user_id: 'user-999', id: 'rec-456', exercise: 'Squat', rec_payload: {} },
      other,
    );
    expect(rec.status).toBe(201);
    const session = await post('/api/v1/session', { ...seedSession, user_id: 'user-999' }, other);
    expect(session.status).toBe(201);

    expect((await post('/api/v1/feedback', seedFeedback, lifter)).status).toBe(404);
    const res = await post(
      '/api/v1/feedback',
      { ...seedFeedback, ref_type: 'session', ref_id: session.body.session_id },
      lifter,
    );
    expect(res.status).toBe(404);
    expect(res.body.error.issues[0].path).toBe('ref_id');
  });
});
