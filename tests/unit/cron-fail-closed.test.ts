import { afterAll, describe, expect, it } from 'vitest';
import { resetEnv } from '@/server/env';
import { cronRoute } from '@/server/http/cron';

// Here CRON_SECRET is not configured; test files share module graphs, so the environment is read again.
describe('cron routes fail closed', () => {
  const before = process.env.CRON_SECRET;
  afterAll(() => {
    if (before !== undefined) process.env.CRON_SECRET = before;
    resetEnv();
  });

  it('refuse every call when CRON_SECRET is not configured, without running the job', async () => {
    delete process.env.CRON_SECRET;
    resetEnv();
    let ran = false;
    const GET = cronRoute(async () => {
      ran = true;
    });
    for (const authorization of [undefined, 'Bearer ', 'Bearer undefined', 'Bearer anything-at-all-long-enough']) {
      const res = await GET(
        new Request('http://x/api/cron/analytics', { headers: authorization ? { authorization } : {} }),
      );
      expect(res.status).toBe(401);
      expect((await res.json()).error.message).toMatch(/not configured/);
    }
    expect(ran).toBe(false);
  });
});
