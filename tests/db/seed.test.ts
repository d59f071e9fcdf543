import { asc, count, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { profileVersions, sessions, sets, users } from '@/db/schema';
import { authenticate, authorization } from '@/server/auth/credentials';
import { buildDemoData, DEMO_LIFTER_ID, DEMO_SECOND_LIFTER_ID } from '@/server/demo/demo-data';
import { seedDemo } from '@/server/demo/seed';
import { describeEachDatabase } from '../helpers/databases';

const TODAY = new Date('2026-11-25T10:00:00Z');
const demo = buildDemoData(TODAY);

describeEachDatabase('demo seed', (ctx) => {
  let tokens: { userId: string; token: string }[] = [];

  it('writes the whole demo world once', async () => {
    const result = await seedDemo(ctx.db, { today: TODAY });
    expect(result.seeded).toBe(true);
    tokens = result.tokens;
    const [u] = await ctx.db.select({ n: count() }).from(users);
    const [s] = await ctx.db.select({ n: count() }).from(sessions);
    const [x] = await ctx.db.select({ n: count() }).from(sets);
    expect(u!.n).toBe(demo.users.length);
    expect(s!.n).toBe(demo.sessions.length);
    expect(x!.n).toBe(demo.sessions.reduce((n, sess) => n + sess.sets.length, 0));
  });

  it('does nothing the second time', async () => {
    const again = await seedDemo(ctx.db, { today: TODAY });
    expect(again).toEqual({ seeded: false, tokens: [], counts: {} });
    const [s] = await ctx.db.select({ n: count() }).from(sessions);
    expect(s!.n).toBe(demo.sessions.length);
  });

  it('round-trips jsonb snapshots and keeps dates as YYYY-MM-DD strings', async () => {
    const stored = await ctx.db
      .select()
      .from(profileVersions)
      .where(eq(profileVersions.userId, DEMO_LIFTER_ID))
      .orderBy(asc(profileVersions.effectiveDate));
    const expected = demo.profileVersions.filter((v) => v.user_id === DEMO_LIFTER_ID);
    expect(stored.map((v) => v.snapshotJson)).toEqual(expected.map((v) => v.snapshot));
    expect(stored.map((v) => v.effectiveDate)).toEqual(expected.map((v) => v.effective_date));
    // The generated column reads bodyweight out of the snapshot.
    expect(stored.map((v) => v.weightKg)).toEqual(expected.map((v) => v.snapshot.weightKg));
  });

  it('keeps both the instant and the calendar date, in the lifter’s own zone', async () => {
    const rows = await ctx.db
      .select({ date: sessions.date, performedAt: sessions.performedAt })
      .from(sessions)
      .where(eq(sessions.userId, DEMO_SECOND_LIFTER_ID))
      .orderBy(asc(sessions.performedAt));
    const sent = demo.sessions.filter((s) => s.user_id === DEMO_SECOND_LIFTER_ID);
    expect(rows.map((r) => r.performedAt?.toISOString())).toEqual(sent.map((s) => new Date(s.date).toISOString()));
    const berlin = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' });
    expect(rows.map((r) => r.date)).toEqual(sent.map((s) => berlin.format(new Date(s.date))));
  });

  it('issues a working token per demo user, stored only as a hash', async () => {
    expect(tokens.map((t) => t.userId).sort()).toEqual(demo.users.map((u) => u.id).sort());
    // As a request presents them (the path every API call takes).
    const caller = (token: string) =>
      authenticate(ctx.db, new Headers({ authorization: authorization(token) }), ['bearer']);
    for (const t of tokens) expect((await caller(t.token))?.principal.userId).toBe(t.userId);
    expect(await caller(`${tokens[0]!.token}x`)).toBeNull();
    const raw = JSON.stringify(await ctx.db.query.apiTokens.findMany());
    for (const t of tokens) expect(raw).not.toContain(t.token);
  });
});
