import { index, jsonb, pgTable, primaryKey, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { instrumentEventType } from './enums';
import { userId } from './columns';

/** Lightweight client instrumentation, stored only for users who opted in to analytics. */
export const instrumentEvents = pgTable(
  'instrument_events',
  {
    userId: userId(),
    id: uuid('id').notNull().defaultRandom(),
    type: instrumentEventType('type').notNull(),
    payload: jsonb('payload').notNull().$type<Record<string, unknown>>(),
    /** Client-generated id: a re-sent event is recognised and stored once. */
    eventId: uuid('event_id'),
    /** Device clock when the event happened, and when the device sent it. */
    occurredAt: timestamp('occurred_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** received_at − (sent_at − occurred_at): the event's time on the server's clock. */
    derivedAt: timestamp('derived_at', { withTimezone: true }).notNull().defaultNow(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.id] }),
    unique('instrument_events_event_id_uq').on(t.userId, t.eventId),
    // Retention deletes by age.
    index('instrument_events_received_idx').on(t.receivedAt),
  ],
);
