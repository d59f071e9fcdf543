import { count } from 'drizzle-orm';
import { afterEach, beforeAll, expect, it, vi } from 'vitest';
import { adaptiveModifiers, jobRuns } from '@/db/schema';
import { buildDemoData } from '@/server/demo/demo-data';
import { seedDemo } from '@/server/demo/seed';
import { resetEnv } from '@/server/env';
import { lastEndedWeek } from '@/server/modifiers/job';
import { call } from '../helpers/api';
import { msAgo, testNow } from '../helpers/clock';
import { describeEachDatabase } from '../helpers/databases';

const SECRET = 'cron-secret-for-tests-0123456789';
// Before anything reads the environment (it is validated once, on first use, per module graph).
process.env.CRON_SECRET = SECRET;
resetEnv(); // test files share module graphs (no isolation): read the environment again

describeEachDatabase('GET /api/cron/modifiers', (ctx) => {
  beforeAll(async () => {
    // Today's demo data, with modifiers backfilled as if the seed ran a week ago: the week that just ended
    // has sessions and no modifiers yet.
    await seedDemo(ctx.db, { data: buildDemoData(testNow()), today: msAgo(7 * 86_400_000) });
  });
  const total = async () => (await ctx.db.select({ n: count() }).from(adaptiveModifiers))[0]!.n;
  const runs = async () => (await ctx.db.select({ n: count() }).from(jobRuns))[0]!.n;
  afterEach(() => {
    vi.unstubAllEnvs();
    resetEnv();
  });

  it.each([
    ['no Authorization', undefined],
    ['a wrong secret', 'Bearer nope-nope-nope-nope-nope'],
    ['a secret with one character more', `Bearer ${SECRET}0`],
  ])('401 with %s; nothing written', async (_what, authorization) => {
    const before = await total();
    const res = await call('GET', '/api/cron/modifiers', { headers: authorization ? { authorization } : {} });
    expect(res.status).toBe(401);
    expect(await total()).toBe(before);
  });

  it.each([
    ['serving', 'MODIFIER_POLICY'],
    ['in shadow', 'SHADOW_POLICIES'],
  ])(
    '503 policy_unavailable when the model configured %s does not exist; no run opened, nothing written',
    async (_, variable) => {
      vi.stubEnv(variable, 'model@99');
      resetEnv();
      const [before, runsBefore] = [await total(), await runs()];
      const res = await call('GET', '/api/cron/modifiers', { headers: { authorization: `Bearer ${SECRET}` } });
      expect(res.status).toBe(503);
      expect(res.body.error).toEqual({ code: 'policy_unavailable', message: 'no model version 99' });
      expect([await total(), await runs()]).toEqual([before, runsBefore]);
    },
  );

  it('runs the week that just ended with the right secret, and a second call writes nothing', async () => {
    const before = await total();
    const res = await call('GET', '/api/cron/modifiers', { headers: { authorization: `Bearer ${SECRET}` } });
    expect(res.status).toBe(200);
    const [result] = res.body.result;
    expect(result).toMatchObject({ week: lastEndedWeek(testNow()), status: 'done' });
    expect(result.rows).toBeGreaterThan(0);
    expect(await total()).toBe(before + result.rows);
    const again = await call('GET', '/api/cron/modifiers', { headers: { authorization: `Bearer ${SECRET}` } });
    expect(again.body.result[0]).toMatchObject({ alreadyDone: true, rows: 0 });
    expect(await total()).toBe(before + result.rows);
  });
});
