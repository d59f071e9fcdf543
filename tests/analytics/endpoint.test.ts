import { beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '@/server/auth/tokens';
import { analyticsResponse } from '@/server/contracts/analytics';
import { seedDemo } from '@/server/demo/seed';
import { call, get } from '../helpers/api';
import { testNow } from '../helpers/clock';
import { describeEachDatabase } from '../helpers/databases';
import { createUser } from '../helpers/fixtures';

describeEachDatabase('GET /api/analytics', (ctx) => {
  let lifter: string;
  let other: string;
  let coach: string;
  let strangerCoach: string;
  beforeAll(async () => {
    await seedDemo(ctx.db, { today: testNow() });
    lifter = await createApiToken(ctx.db, 'user-123');
    other = await createApiToken(ctx.db, 'user-456');
    coach = await createApiToken(ctx.db, 'coach-1');
    strangerCoach = await createUser(ctx.db, 'coach-2', { role: 'coach' });
  });

  it('answers the seed’s shape for the seed’s query, at both paths', async () => {
    for (const path of ['/api/analytics', '/api/v1/analytics']) {
      const res = await get(`${path}?user_id=user-123&range=30d`, lifter);
      expect(res.status).toBe(200);
      const parsed = analyticsResponse.strict().parse(res.body);
      expect(Object.keys(parsed.prs).length).toBeGreaterThan(5);
      expect(parsed.plateaus.map((p) => p.exercise)).toEqual(['Bench Press']);
      expect(parsed.weekly_summary.length).toBeGreaterThanOrEqual(5);
    }
  });

  it('defaults to the token’s user and 30d', async () => {
    const res = await get('/api/v1/analytics', lifter);
    expect(res.status).toBe(200);
    expect(res.body.user_id).toBe('user-123');
    expect(res.body.range.value).toBe('30d');
  });

  it('lets a coach read an athlete, nobody else', async () => {
    expect((await get('/api/v1/analytics?user_id=user-123', coach)).status).toBe(200);
    expect((await get('/api/v1/analytics?user_id=user-456', coach)).status).toBe(200);
    const stranger = await get('/api/v1/analytics?user_id=user-123', strangerCoach);
    expect(stranger.status).toBe(403);
    expect(stranger.body.error.issues[0].path).toBe('user_id');
    expect((await get('/api/v1/analytics?user_id=user-123', other)).status).toBe(403);
    expect((await get('/api/v1/analytics?user_id=coach-1', lifter)).status).toBe(403);
    expect((await get('/api/v1/analytics?user_id=nobody', lifter)).status).toBe(403);
  });

  it('401 without a token', async () => {
    expect((await get('/api/v1/analytics?user_id=user-123')).status).toBe(401);
  });

  describe('bad query parameters → 400 naming the parameter', () => {
    it.each([
      ['range=30', 'range'],
      ['range=0d', 'range'],
      ['range=lifetime', 'range'],
      ['range=21y', 'range'],
      ['range=', 'range'],
      ['user_id=', 'user_id'],
      ['user_id=a%20b', 'user_id'],
      ['exercise=Squat', 'exercise'],
      ['range=30d&range=7d', 'range'],
    ])('?%s', async (qs, field) => {
      const res = await get(`/api/v1/analytics?${qs}`, lifter);
      expect(res.status).toBe(400);
      expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(field);
    });
  });

  it.each(['POST', 'PUT', 'DELETE'])('%s → 405', async (method) => {
    const res = await call(method, '/api/v1/analytics', { token: lifter, json: {} });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
  });
});
