import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { instrumentEvents, users } from '@/db/schema';
import type { InstrumentEvent, InstrumentInput } from '@/server/contracts/instrument';
import { derivedEventTime } from './event-time';

export interface InstrumentResult {
  accepted: number;
  duplicates: number;
  dropped: number;
}

/** One event (the seed's shape) or a batch, as a list; a batch-level `sent_at` applies to events without one. */
export function eventsOf(input: InstrumentInput): InstrumentEvent[] {
  if ('events' in input) return input.events.map((e) => ({ ...e, sent_at: e.sent_at ?? input.sent_at }));
  const { user_id: _ignored, ...event } = input;
  return [event];
}

/**
 * Stores events exactly once. The client retries on any network error, so a re-sent `event_id` — in an
 * earlier request or twice in this one — is counted as a duplicate, never stored again. Users who have not
 * opted in to analytics have their events dropped, not stored.
 */
export async function recordInstrumentEvents(
  db: Db,
  user: { userId: string; analyticsOptIn: boolean },
  events: InstrumentEvent[],
  receivedAt: Date,
): Promise<InstrumentResult> {
  const dropped = { accepted: 0, duplicates: 0, dropped: events.length };
  if (!user.analyticsOptIn) return dropped;

  const seen = new Set<string>();
  const rows: (typeof instrumentEvents.$inferInsert)[] = [];
  for (const e of events) {
    if (e.event_id) {
      const id = e.event_id.toLowerCase();
      if (seen.has(id)) continue;
      seen.add(id);
    }
    const occurredAt = e.occurred_at ? new Date(e.occurred_at) : null;
    const sentAt = e.sent_at ? new Date(e.sent_at) : null;
    rows.push({
      userId: user.userId,
      type: e.type,
      payload: e.payload,
      eventId: e.event_id ?? null,
      occurredAt,
      sentAt,
      derivedAt: derivedEventTime(receivedAt, occurredAt, sentAt),
      receivedAt,
    });
  }
  // Re-check consent under a share lock on the user row: an opt-out (which updates that row, then deletes the
  // user's events) either waits for this insert and deletes it too, or commits first and this stores nothing.
  return db.transaction(async (tx) => {
    const [consent] = await tx
      .select({ optIn: users.analyticsOptIn })
      .from(users)
      .where(eq(users.id, user.userId))
      .for('share');
    if (!consent?.optIn) return dropped;
    const inserted = await tx
      .insert(instrumentEvents)
      .values(rows)
      .onConflictDoNothing({ target: [instrumentEvents.userId, instrumentEvents.eventId] })
      .returning({ one: sql<number>`1` });
    return { accepted: inserted.length, duplicates: events.length - inserted.length, dropped: 0 };
  });
}
