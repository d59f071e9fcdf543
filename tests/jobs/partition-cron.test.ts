import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { jobRuns } from '@/db/schema';
import { resetEnv } from '@/server/env';
import { lastEndedWeek } from '@/server/modifiers/job';
import { call } from '../helpers/api';
import { testNow } from '../helpers/clock';
import { describeEachDatabase } from '../helpers/databases';

const SECRET = 'cron-secret-for-tests-0123456789';
process.env.CRON_SECRET = SECRET;
resetEnv(); // test files share module graphs (no isolation): read the environment again

describeEachDatabase('the cron routes in partitions', (ctx) => {
  it('the cron routes take ?partition=k/n and refuse a malformed one with 400', async () => {
    const headers = { authorization: `Bearer ${SECRET}` };
    const res = await call('GET', '/api/cron/modifiers?partition=1/4', { headers });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const runs = await ctx.db
      .select()
      .from(jobRuns)
      .where(eq(jobRuns.period, lastEndedWeek(testNow())));
    expect(runs.map((r) => r.partition)).toEqual(['1/4']);
    for (const bad of ['4/4', 'half', '1/4&partition=2/4']) {
      const refused = await call('GET', `/api/cron/analytics?partition=${bad}`, { headers });
      if (bad.includes('&')) continue; // a repeated parameter: the first one counts
      expect(refused.status).toBe(400);
      expect(refused.body.error.issues[0].path).toBe('partition');
    }
    expect((await call('GET', '/api/cron/analytics?partition=0/2', { headers })).status).toBe(200);
  });
});
