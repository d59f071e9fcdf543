import { randomUUID } from 'node:crypto';
import { asc, count, eq, sql } from 'drizzle-orm';
import { beforeAll, expect, it, onTestFinished, vi } from 'vitest';
import { type Db, rows } from '@/db/client';
import { instrumentEvents } from '@/db/schema';
import { resetEnv } from '@/server/env';
import { recordInstrumentEvents, recordInstrumentRequests } from '@/server/ingest/instrument';
import { post } from '../helpers/api';
import { describeEachDatabase } from '../helpers/databases';
import { createUser } from '../helpers/fixtures';

/** When the service calls below received their events: any instant will do. */
const RECEIVED_AT = new Date('2026-12-09T10:00:00Z');
const ev = (over: Record<string, unknown> = {}) => ({ type: 'session_submitted', payload: { n: 1 }, ...over });

describeEachDatabase('POST /api/instrument', (ctx) => {
  let optedIn: string;
  let optedOut: string;
  beforeAll(async () => {
    optedIn = await createUser(ctx.db, 'user-in', { analyticsOptIn: true });
    optedOut = await createUser(ctx.db, 'user-out', { analyticsOptIn: false });
  });
  const stored = async (userId: string) =>
    (await ctx.db.select({ n: count() }).from(instrumentEvents).where(eq(instrumentEvents.userId, userId)))[0]!.n;

  it('stores a re-sent event once: duplicates across requests and within a batch', async () => {
    const id = randomUUID();
    expect((await post('/api/v1/instrument', ev({ event_id: id }), optedIn)).body).toEqual({
      accepted: 1,
      duplicates: 0,
      dropped: 0,
    });
    expect((await post('/api/v1/instrument', ev({ event_id: id }), optedIn)).body).toEqual({
      accepted: 0,
      duplicates: 1,
      dropped: 0,
    });
    const other = randomUUID();
    const batch = await post(
      '/api/v1/instrument',
      { events: [ev({ event_id: id }), ev({ event_id: other }), ev({ event_id: other.toUpperCase() }), ev(), ev()] },
      optedIn,
    );
    // id: seen before; other: new once, then again in the same batch (case-insensitively); two without ids.
    expect(batch.body).toEqual({ accepted: 3, duplicates: 2, dropped: 0 });
    expect(await stored('user-in')).toBe(4);
  });

  it('derives a skew-corrected time from device clocks: received − (sent − occurred)', async () => {
    const id = randomUUID();
    // The device clock is an hour fast; the event happened 90 s before it was sent.
    const res = await post(
      '/api/v1/instrument',
      ev({ event_id: id, occurred_at: '2025-11-24T13:00:00Z', sent_at: '2025-11-24T13:01:30Z' }),
      optedIn,
    );
    expect(res.status).toBe(200);
    const [row] = await ctx.db.select().from(instrumentEvents).where(eq(instrumentEvents.eventId, id));
    expect(row!.occurredAt?.toISOString()).toBe('2025-11-24T13:00:00.000Z');
    expect(row!.sentAt?.toISOString()).toBe('2025-11-24T13:01:30.000Z');
    expect(row!.receivedAt.getTime() - row!.derivedAt.getTime()).toBe(90_000);
  });

  it('applies a batch-level sent_at to events without their own', async () => {
    const a = randomUUID();
    const b = randomUUID();
    await post(
      '/api/v1/instrument',
      {
        sent_at: '2025-11-24T10:10:00Z',
        events: [
          ev({ event_id: a, occurred_at: '2025-11-24T10:00:00Z' }),
          ev({ event_id: b, occurred_at: '2025-11-24T10:09:00Z', sent_at: '2025-11-24T10:09:30Z' }),
        ],
      },
      optedIn,
    );
    const rows = await ctx.db
      .select()
      .from(instrumentEvents)
      .where(eq(instrumentEvents.userId, 'user-in'))
      .orderBy(asc(instrumentEvents.derivedAt));
    const byId = new Map(rows.map((r) => [r.eventId, r]));
    expect(byId.get(a)!.receivedAt.getTime() - byId.get(a)!.derivedAt.getTime()).toBe(600_000);
    expect(byId.get(b)!.receivedAt.getTime() - byId.get(b)!.derivedAt.getTime()).toBe(30_000);
  });

  const at = (s: string) => `2025-11-24T${s}Z`;
  it.each([
    ['device in sync', at('10:00:00'), at('10:00:05'), 5_000],
    ['device an hour fast', at('11:00:00'), at('11:00:05'), 5_000],
    ['device a day slow, queued 10 min', '2025-11-23T10:00:00Z', '2025-11-23T10:10:00Z', 600_000],
    ['no sent_at: received', at('09:00:00'), undefined, 0],
    ['no occurred_at: received', undefined, at('09:00:00'), 0],
    ['occurred after sent: never later than received', at('10:05:00'), at('10:00:00'), 0],
    ['offsets, not only Z', '2025-11-24T11:00:00+01:00', '2025-11-24T10:00:42Z', 42_000],
  ])('derived time: %s', async (_what, occurred_at, sent_at, lag) => {
    const id = randomUUID();
    await post(
      '/api/v1/instrument',
      ev({ event_id: id, ...(occurred_at ? { occurred_at } : {}), ...(sent_at ? { sent_at } : {}) }),
      optedIn,
    );
    const [row] = await ctx.db.select().from(instrumentEvents).where(eq(instrumentEvents.eventId, id));
    expect(row!.receivedAt.getTime() - row!.derivedAt.getTime()).toBe(lag);
  });

  const show = async (db: Db) =>
    (await rows<{ synchronous_commit: string }>(db, sql`show synchronous_commit`))[0]!.synchronous_commit;
  const recordIn = (db: Db) =>
    recordInstrumentEvents(db, 'user-in', [{ type: 'session_finished', payload: {} }], RECEIVED_AT);

  it('commits as every other write does by default: an answer means stored', async () => {
    const inside = await ctx.db.transaction(async (tx) => {
      await tx.execute(sql`set local synchronous_commit = 'on'`);
      await recordIn(tx);
      return show(tx);
    });
    expect(inside).toBe('on');
  });

  it('with INSTRUMENT_SYNCHRONOUS_COMMIT=off, relaxes synchronous_commit for its own transaction only', async () => {
    vi.stubEnv('INSTRUMENT_SYNCHRONOUS_COMMIT', 'off');
    resetEnv();
    onTestFinished(() => {
      vi.unstubAllEnvs();
      resetEnv();
    });
    const inside = await ctx.db.transaction(async (tx) => {
      await tx.execute(sql`set local synchronous_commit = 'on'`);
      await recordIn(tx);
      return show(tx);
    });
    expect(inside).toBe('off'); // the statement set it for its transaction…
    if (ctx.kind === 'pglite') {
      // …and it ended with it (PGlite has one connection, so this is the very same session).
      await ctx.db.execute(sql`set synchronous_commit = 'on'`);
      expect((await post('/api/v1/instrument', ev(), optedIn)).status).toBe(200);
      expect(await show(ctx.db)).toBe('on');
    }
  });

  it('drops the events of a user who has not opted in, storing nothing', async () => {
    const res = await post('/api/v1/instrument', { events: [ev(), ev(), ev({ event_id: randomUUID() })] }, optedOut);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accepted: 0, duplicates: 0, dropped: 3 });
    expect(await stored('user-out')).toBe(0);
  });

  it('draws time-ordered ids (UUIDv7) for events sent without one: received ms, position, a random tail per request', async () => {
    const user = await createUser(ctx.db, 'user-v7', { analyticsOptIn: true });
    const clientId = randomUUID();
    const batch = (tag: string, n: number) => ({
      events: Array.from({ length: n }, (_, i) =>
        ev({ payload: { tag, i }, ...(i === 1 ? { event_id: clientId } : {}) }),
      ),
    });
    expect((await post('/api/v1/instrument', batch('a', 4), user)).body).toEqual({
      accepted: 4,
      duplicates: 0,
      dropped: 0,
    });
    // The same client id again (a duplicate), then 1,000 events: the counter reaches 0x3e8 within its 12 bits.
    expect((await post('/api/v1/instrument', batch('b', 1000), user)).body).toEqual({
      accepted: 999,
      duplicates: 1,
      dropped: 0,
    });
    const all = await ctx.db.select().from(instrumentEvents).where(eq(instrumentEvents.userId, 'user-v7'));
    const v7 = /^([0-9a-f]{8})-([0-9a-f]{4})-7([0-9a-f]{3})-([89ab][0-9a-f]{3}-[0-9a-f]{12})$/;
    const tails = new Set<string>();
    for (const tag of ['a', 'b']) {
      const drawn = all
        .filter((r) => (r.payload as { tag: string }).tag === tag && r.eventId !== clientId)
        .sort((x, y) => (x.payload as { i: number }).i - (y.payload as { i: number }).i);
      expect(drawn).toHaveLength(tag === 'a' ? 3 : 999);
      const parts = drawn.map((r) => v7.exec(r.eventId));
      expect(parts.every(Boolean)).toBe(true);
      for (const [k, m] of parts.entries()) {
        const row = drawn[k]!;
        expect(parseInt(m![1]! + m![2]!, 16)).toBe(row.receivedAt.getTime()); // unix milliseconds
        // The counter is the event's position in its request (the client-id event holds position 2).
        expect(parseInt(m![3]!, 16)).toBe((row.payload as { i: number }).i + 1);
      }
      const tail = new Set(parts.map((m) => m![4]));
      expect(tail.size).toBe(1); // drawn once per request
      tails.add([...tail][0]!);
      // Time-ordered: in key order, a request's events are in the order they were sent.
      expect(drawn.map((r) => r.eventId)).toEqual(drawn.map((r) => r.eventId).sort());
    }
    expect(tails.size).toBe(2); // a new random tail for each request
  });

  it('gives two requests of one user in the same millisecond, grouped in one statement, different drawn ids', async () => {
    const user = 'user-same-ms';
    await createUser(ctx.db, user, { analyticsOptIn: true });
    const receivedAt = new Date('2026-11-25T12:00:00.123Z');
    const events = [
      { type: 'session_finished' as const, payload: {} },
      { type: 'session_finished' as const, payload: {} },
    ];
    const results = await recordInstrumentRequests(ctx.db, [
      { userId: user, events, receivedAt },
      { userId: user, events, receivedAt },
    ]);
    // Same millisecond and same positions: only the per-request random tail keeps the four keys apart.
    expect(results).toEqual([
      { accepted: 2, duplicates: 0, dropped: 0 },
      { accepted: 2, duplicates: 0, dropped: 0 },
    ]);
    const ids = (await ctx.db.select().from(instrumentEvents).where(eq(instrumentEvents.userId, user))).map(
      (r) => r.eventId,
    );
    expect(new Set(ids).size).toBe(4);
    expect(new Set(ids.map((id) => id.slice(19))).size).toBe(2);
  });

  it('takes a full batch of 1,000 events in one request', async () => {
    const before = await stored('user-in');
    const events = Array.from({ length: 1000 }, (_, i) => ev({ event_id: randomUUID(), payload: { i } }));
    const res = await post('/api/v1/instrument', { events }, optedIn);
    expect(res.body).toEqual({ accepted: 1000, duplicates: 0, dropped: 0 });
    expect(await stored('user-in')).toBe(before + 1000);
  });
});
