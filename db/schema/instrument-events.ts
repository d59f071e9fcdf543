import { index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { encryptedJson } from './encrypted-text';
import { instrumentEventType } from './enums';

/** Lightweight client instrumentation, stored only for users who opted in to analytics. */
export const instrumentEvents = pgTable(
  'instrument_events',
  {
    /**
     * No foreign key, unlike every other user-owned table: the one statement that writes events already reads
     * and share-locks the user's row (consent), and a foreign key's per-row check would be a large share of an
     * event's database time. Deleting a user still removes its events: trigger `users_delete_instrument_events`.
     */
    userId: text('user_id').notNull(),
    type: instrumentEventType('type').notNull(),
    /** Whatever the app sent: encrypted (`sealJson`, as the ingest statement writes it). */
    payload: encryptedJson<Record<string, unknown>>('payload').notNull(),
    /**
     * The client's id when it sent one (a re-sent event is recognised and stored once), else a time-ordered
     * one (UUIDv7) drawn by the ingest statement, so a request's events sit together at the end of their
     * user's key range; the column default only serves other writers. Being also the key, one index serves
     * both identity and exactly-once.
     */
    eventId: uuid('event_id').notNull().defaultRandom(),
    /** Device clock when the event happened, and when the device sent it. */
    occurredAt: timestamp('occurred_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** received_at − (sent_at − occurred_at): the event's time on the server's clock. */
    derivedAt: timestamp('derived_at', { withTimezone: true }).notNull().defaultNow(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.eventId] }),
    // Retention deletes by age.
    index('instrument_events_received_idx').on(t.receivedAt),
  ],
);
