import { TRPCError } from '@trpc/server';
import { beforeAll, expect, it } from 'vitest';
import type { Principal } from '@/server/auth/principal';
import { seedDemo } from '@/server/demo/seed';
import { analyticsToWire } from '@/server/http/wire';
import { createCaller } from '@/server/trpc/root';
import { getAnalytics } from '../helpers/analytics';
import { describeEachDatabase } from '../helpers/databases';

const NOW = new Date('2026-11-25T10:00:00Z');
const lifter: Principal = { userId: 'user-123', role: 'lifter' };
const other: Principal = { userId: 'user-456', role: 'lifter' };
const coach: Principal = { userId: 'coach-1', role: 'coach' };

describeEachDatabase('tRPC analytics router', (ctx) => {
  const as = (principal: Principal | null) =>
    createCaller({ db: ctx.db, caller: principal && { principal, kind: 'session' }, now: NOW });
  beforeAll(async () => {
    await seedDemo(ctx.db, { today: NOW });
  });

  it('answers what GET /api/analytics answers, in camelCase', async () => {
    const rest = await getAnalytics(ctx.db, 'user-123', '1y', NOW);
    const api = as(lifter).analytics;
    const [prs, plateaus, weeklySummary, strength] = await Promise.all([
      api.prs({ range: '1y' }),
      api.plateaus({ range: '1y' }),
      api.weeklySummary({ range: '1y' }),
      api.strength({ range: '1y' }),
    ]);
    const wire = analyticsToWire({
      userId: 'user-123',
      range: rest.range,
      prs,
      plateaus,
      weeklySummary: weeklySummary.weeks,
      strength,
    });
    expect(wire).toEqual(rest);
    expect(Object.keys(rest.strength).length).toBeGreaterThan(0);
    expect(rest.plateaus.length).toBeGreaterThan(0);
  });

  it('gives one exercise’s weekly best e1RM and volume', async () => {
    const history = await as(lifter).analytics.exerciseHistory({ range: 'all', exercise: 'Back Squat' });
    expect(history).toHaveLength(20);
    const e1rms = history.map((h) => h.bestE1rm!);
    expect(e1rms.at(-1)).toBeGreaterThan(e1rms[0]!);
    expect(history.every((h) => h.volumeKg > 0 && h.sets > 0)).toBe(true);
    expect(await as(lifter).analytics.exerciseHistory({ range: 'all', exercise: 'Nope' })).toEqual([]);
  });

  it('lets a coach read an athlete and refuses everyone else', async () => {
    expect((await as(coach).analytics.plateaus({ userId: 'user-123' })).length).toBe(1);
    await expect(as(other).analytics.prs({ userId: 'user-123' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(as(null).analytics.prs({})).rejects.toBeInstanceOf(TRPCError);
    await expect(as(null).analytics.prs({})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('refuses a bad range', async () => {
    await expect(as(lifter).analytics.prs({ range: 'forever' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
