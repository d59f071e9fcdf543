import { count, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { feedbackEvents, idempotencyKeys, instrumentEvents, jobRuns, webSessions } from '@/db/schema';
import { resetEnv } from '@/server/env';
import { type RetentionPolicy, runRetention } from '@/server/privacy/retention';
import { call } from '../helpers/api';
import { msAgo } from '../helpers/clock';
import { describeEachDatabase } from '../helpers/databases';
import { createUser } from '../helpers/fixtures';

const SECRET = 'cron-secret-for-tests-0123456789';
process.env.CRON_SECRET = SECRET;
resetEnv(); // test files share module graphs (no isolation): read the environment again

const DAY = 86_400_000;
const NOW = new Date('2026-06-15T12:00:00Z');
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
const policy: RetentionPolicy = { instrumentDays: 180, feedbackNotesDays: 365, idempotencyDays: 7 };

describeEachDatabase('retention', (ctx) => {
  beforeAll(async () => {
    await createUser(ctx.db, 'kept', { analyticsOptIn: true });
    const event = (days: number) => ({
      userId: 'kept',
      type: 'session_finished' as const,
      payload: { days },
      receivedAt: ago(days),
      derivedAt: ago(days),
    });
    // Either side of each cutoff, by a day.
    await ctx.db.insert(instrumentEvents).values([event(400), event(181), event(179), event(1)]);
    const feedback = (days: number, notes: string | null) => ({
      userId: 'kept',
      refType: 'session' as const,
      refId: `s-${days}`,
      helpful: true,
      notes,
      createdAt: ago(days),
    });
    await ctx.db
      .insert(feedbackEvents)
      .values([
        feedback(500, 'old words'),
        feedback(366, 'just too old'),
        feedback(364, 'recent'),
        feedback(400, null),
      ]);
    const key = (days: number) => ({
      userId: 'kept',
      key: `k-${days}`,
      requestHash: 'h',
      statusCode: 201,
      response: {},
      createdAt: ago(days),
    });
    await ctx.db.insert(idempotencyKeys).values([key(8), key(6)]);
    await ctx.db.insert(webSessions).values([
      { userId: 'kept', tokenHash: 'expired', expiresAt: ago(1) },
      { userId: 'kept', tokenHash: 'live', expiresAt: ago(-1) },
    ]);
  });

  const n = async (table: typeof instrumentEvents | typeof idempotencyKeys | typeof webSessions) =>
    (await ctx.db.select({ n: count() }).from(table))[0]!.n;

  it('removes what is older than each period and keeps what is younger', async () => {
    const result = await runRetention(ctx.db, NOW, policy);
    expect(result).toMatchObject({
      instrument_events_deleted: 2,
      feedback_notes_erased: 2,
      idempotency_keys_deleted: 1,
      web_sessions_deleted: 1,
    });
    const events = await ctx.db.select({ payload: instrumentEvents.payload }).from(instrumentEvents);
    expect(events.map((e) => e.payload.days).sort()).toEqual([1, 179]);
    const feedback = await ctx.db
      .select({ refId: feedbackEvents.refId, notes: feedbackEvents.notes })
      .from(feedbackEvents);
    expect(Object.fromEntries(feedback.map((f) => [f.refId, f.notes]))).toEqual({
      's-500': null,
      's-366': null,
      's-364': 'recent',
      's-400': null,
    });
    // The answer itself stays: only the free text goes.
    expect((await ctx.db.select({ n: count() }).from(feedbackEvents))[0]!.n).toBe(4);
    expect(await ctx.db.select({ key: idempotencyKeys.key }).from(idempotencyKeys)).toEqual([{ key: 'k-6' }]);
    expect(await ctx.db.select({ hash: webSessions.tokenHash }).from(webSessions)).toEqual([{ hash: 'live' }]);
  });

  it('deletes nothing on a second run, and records both runs with their counts', async () => {
    const before = {
      events: await n(instrumentEvents),
      keys: await n(idempotencyKeys),
      sessions: await n(webSessions),
    };
    const again = await runRetention(ctx.db, new Date(NOW.getTime() + 1000), policy);
    expect(again).toMatchObject({
      instrument_events_deleted: 0,
      feedback_notes_erased: 0,
      idempotency_keys_deleted: 0,
      web_sessions_deleted: 0,
    });
    expect({
      events: await n(instrumentEvents),
      keys: await n(idempotencyKeys),
      sessions: await n(webSessions),
    }).toEqual(before);
    const runs = await ctx.db.select().from(jobRuns).where(eq(jobRuns.job, 'retention'));
    expect(runs).toHaveLength(2);
    expect(runs.every((r) => r.status === 'done' && r.finishedAt)).toBe(true);
    expect(runs.map((r) => r.stats.instrument_events_deleted).sort()).toEqual([0, 2]);
    expect(runs[0]!.stats.policy).toEqual(policy);
  });

  it('deletes in chunks until everything old is gone', async () => {
    const many = Array.from({ length: 10_050 }, (_, i) => ({
      userId: 'kept',
      type: 'profile_snapshot' as const,
      payload: { i },
      receivedAt: ago(200),
      derivedAt: ago(200),
    }));
    for (let i = 0; i < many.length; i += 2000) await ctx.db.insert(instrumentEvents).values(many.slice(i, i + 2000));
    const result = await runRetention(ctx.db, new Date(NOW.getTime() + 2000), policy);
    expect(result.instrument_events_deleted).toBe(10_050);
    expect(await n(instrumentEvents)).toBe(2);
  });

  it('the daily cron route refuses a wrong secret and runs the policy from the environment with the right one', async () => {
    await ctx.db.delete(instrumentEvents);
    const real = (days: number) => msAgo(days * DAY);
    await ctx.db.insert(instrumentEvents).values(
      [200, 10].map((days) => ({
        userId: 'kept',
        type: 'session_finished' as const,
        payload: { days },
        receivedAt: real(days),
        derivedAt: real(days),
      })),
    );
    expect((await call('GET', '/api/cron/retention')).status).toBe(401);
    expect(
      (await call('GET', '/api/cron/retention', { headers: { authorization: 'Bearer wrong-secret-wrong-secret' } }))
        .status,
    ).toBe(401);
    expect(await n(instrumentEvents)).toBe(2);
    const runsBefore = (await ctx.db.select({ n: count() }).from(jobRuns).where(eq(jobRuns.job, 'retention')))[0]!.n;

    const res = await call('GET', '/api/cron/retention', { headers: { authorization: `Bearer ${SECRET}` } });
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ instrument_events_deleted: 1, run_id: expect.any(String) });
    // RETENTION_INSTRUMENT_DAYS defaults to 180: the 200-day-old event is gone, the 10-day-old one stays.
    expect(
      (await ctx.db.select({ payload: instrumentEvents.payload }).from(instrumentEvents)).map((e) => e.payload.days),
    ).toEqual([10]);
    const runsAfter = (await ctx.db.select({ n: count() }).from(jobRuns).where(eq(jobRuns.job, 'retention')))[0]!.n;
    expect(runsAfter).toBe(runsBefore + 1);
  });
});
