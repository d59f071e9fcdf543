import { count } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { analyticsDirtyWeeks } from '@/db/schema';
import { markAllWeeksDirty } from '@/server/analytics/job';
import { seedDemo } from '@/server/demo/seed';
import { resetEnv } from '@/server/env';
import { call } from '../helpers/api';
import { describeEachDatabase } from '../helpers/databases';

/** The demo's "today": nothing here depends on when the test runs. */
const DEMO_TODAY = new Date('2026-11-25T10:00:00Z');

const SECRET = 'cron-secret-for-tests-0123456789';
// Before anything reads the environment (it is validated once, on first use, per module graph).
process.env.CRON_SECRET = SECRET;
resetEnv(); // test files share module graphs (no isolation): read the environment again

describeEachDatabase('GET /api/cron/analytics', (ctx) => {
  beforeAll(async () => {
    await seedDemo(ctx.db, { today: DEMO_TODAY });
    await markAllWeeksDirty(ctx.db);
  });

  const dirty = async () => (await ctx.db.select({ n: count() }).from(analyticsDirtyWeeks))[0]!.n;

  it.each([
    ['no Authorization', undefined],
    ['a wrong secret', `Bearer ${SECRET}x`],
    ['the secret without Bearer', SECRET],
    ['an API token scheme', 'Bearer ovl_abc'],
  ])('401 with %s, and nothing runs', async (_what, authorization) => {
    const { env } = await import('@/server/env');
    expect(env().CRON_SECRET).toBe(SECRET);
    const before = await dirty();
    const res = await call('GET', '/api/cron/analytics', { headers: authorization ? { authorization } : {} });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
    expect(await dirty()).toBe(before);
    expect(before).toBeGreaterThan(0);
  });

  it('runs the job with the right secret', async () => {
    const res = await call('GET', '/api/cron/analytics', { headers: { authorization: `Bearer ${SECRET}` } });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    expect(res.body.result.remaining).toBe(0);
    expect(res.body.result.weeks).toBeGreaterThan(0);
    expect(await dirty()).toBe(0);
  });
});
