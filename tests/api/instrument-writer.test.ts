import { randomUUID } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { instrumentEvents } from '@/db/schema';
import type { InstrumentEvent } from '@/server/contracts/instrument';
import { InstrumentWriter } from '@/server/ingest/instrument-writer';
import { describeEachDatabase } from '../helpers/databases';
import { createUser } from '../helpers/fixtures';

const ev = (over: Partial<InstrumentEvent> = {}): InstrumentEvent => ({
  type: 'session_finished',
  payload: { n: 1 },
  ...over,
});
const receivedAt = new Date('2026-11-25T12:00:00Z');

describeEachDatabase('instrument group commit', (ctx) => {
  beforeAll(async () => {
    await createUser(ctx.db, 'ann', { analyticsOptIn: true });
    await createUser(ctx.db, 'bob', { analyticsOptIn: true });
    await createUser(ctx.db, 'cat', { analyticsOptIn: false });
  });
  const stored = async (userId: string, eventId?: string) =>
    (
      await ctx.db
        .select({ n: count() })
        .from(instrumentEvents)
        .where(and(eq(instrumentEvents.userId, userId), eventId ? eq(instrumentEvents.eventId, eventId) : undefined))
    )[0]!.n;

  it('stores requests that queue behind a running statement together, each answered as if alone', async () => {
    const writer = new InstrumentWriter(ctx.db, 1);
    const shared = randomUUID();
    const [annBefore, bobBefore] = [await stored('ann'), await stored('bob')];
    const results = await Promise.all([
      writer.record({ userId: 'ann', events: [ev()], receivedAt }), // runs at once, alone
      writer.record({ userId: 'ann', events: [ev({ event_id: shared }), ev()], receivedAt }),
      writer.record({ userId: 'bob', events: [ev({ event_id: shared }), ev(), ev()], receivedAt }), // another user's id space
      writer.record({ userId: 'cat', events: [ev(), ev()], receivedAt }), // not opted in
      writer.record({ userId: 'ann', events: [ev({ event_id: shared.toUpperCase() })], receivedAt }), // re-sent in the group
    ]);
    expect(results).toEqual([
      { accepted: 1, duplicates: 0, dropped: 0 },
      { accepted: 2, duplicates: 0, dropped: 0 },
      { accepted: 3, duplicates: 0, dropped: 0 },
      { accepted: 0, duplicates: 0, dropped: 2 },
      { accepted: 0, duplicates: 1, dropped: 0 },
    ]);
    expect(writer.stats).toEqual({ requests: 5, statements: 2 });
    expect(await stored('ann')).toBe(annBefore + 3);
    expect(await stored('bob')).toBe(bobBefore + 3);
    expect(await stored('cat')).toBe(0);
    expect(await stored('ann', shared)).toBe(1);
    // A later request re-sending it is a duplicate too.
    expect(await writer.record({ userId: 'ann', events: [ev({ event_id: shared })], receivedAt })).toEqual({
      accepted: 0,
      duplicates: 1,
      dropped: 0,
    });
  });

  it('keeps a group within its event limit, never splitting a request', async () => {
    const writer = new InstrumentWriter(ctx.db, 1, 4);
    const three = () => writer.record({ userId: 'bob', events: [ev(), ev(), ev()], receivedAt });
    const results = await Promise.all([
      three(),
      three(),
      three(),
      writer.record({ userId: 'bob', events: [ev()], receivedAt }),
    ]);
    expect(results.map((r) => r.accepted)).toEqual([3, 3, 3, 1]);
    // [3] alone, then [3] (3 + 3 > 4), then [3, 1].
    expect(writer.stats).toEqual({ requests: 4, statements: 3 });
  });

  it('fails only the bad request of a group: the others are stored and answered', async () => {
    const writer = new InstrumentWriter(ctx.db, 1);
    const good = randomUUID();
    const bad = randomUUID();
    const settled = await Promise.allSettled([
      writer.record({ userId: 'ann', events: [ev()], receivedAt }),
      writer.record({ userId: 'ann', events: [ev({ event_id: good })], receivedAt }),
      // A time PostgreSQL cannot read fails the statement; the HTTP layer refuses it earlier, the writer must still
      // contain it.
      writer.record({
        userId: 'bob',
        events: [ev({ event_id: bad }), ev({ occurred_at: 'not a time' })],
        receivedAt,
      }),
      writer.record({ userId: 'bob', events: [ev()], receivedAt }),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(await stored('ann', good)).toBe(1);
    expect(await stored('bob', bad)).toBe(0); // none of the failed request's events, not even the valid one
    // The group of three failed, then each of them ran alone.
    expect(writer.stats).toEqual({ requests: 4, statements: 5 });
  });

  it('runs up to its concurrency at once and queues the rest', async () => {
    const writer = new InstrumentWriter(ctx.db, 3);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => writer.record({ userId: 'bob', events: [ev()], receivedAt })),
    );
    expect(results.every((r) => r.accepted === 1)).toBe(true);
    // Three start alone; the seven that queued meanwhile go together in the first free slot.
    expect(writer.stats).toEqual({ requests: 10, statements: 4 });
  });

  // instrument_events has no foreign key to users: the statement's own check is all that keeps strays out.
  it('stores nothing for a user that does not exist, alone or in a group', async () => {
    const writer = new InstrumentWriter(ctx.db, 1);
    const results = await Promise.all([
      writer.record({ userId: 'ann', events: [ev()], receivedAt }),
      writer.record({ userId: 'nobody', events: [ev(), ev({ event_id: randomUUID() })], receivedAt }),
      writer.record({ userId: 'bob', events: [ev()], receivedAt }),
    ]);
    expect(results[1]).toEqual({ accepted: 0, duplicates: 0, dropped: 2 });
    expect(results[2]).toEqual({ accepted: 1, duplicates: 0, dropped: 0 });
    expect(await stored('nobody')).toBe(0);
  });
});
