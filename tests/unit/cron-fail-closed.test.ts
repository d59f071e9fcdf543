import { describe, expect, it } from 'vitest';
import { cronRoute } from '@/server/http/cron';

// A separate file: the environment is read once per module graph, and here CRON_SECRET is never set.
describe('cron routes fail closed', () => {
  it('refuse every call when CRON_SECRET is not configured, without running the job', async () => {
    delete process.env.CRON_SECRET;
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
