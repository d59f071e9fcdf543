import { sql } from 'drizzle-orm';
import { preparedRows, type Db } from '@/db/client';
import type { InstrumentEvent, InstrumentInput } from '@/server/contracts/instrument';
import { env } from '@/server/env';

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
 *
 * Each event also gets the time it happened on the server's clock. Device clocks drift, but the lag between
 * "happened" and "sent" on one device is trustworthy, so, as Snowplow's derived timestamp does:
 *
 *   derived_at = received_at − (sent_at − occurred_at)
 *
 * and simply `received_at` without both device times; never later than `received_at` (a device claiming the
 * event happened after it was sent is not believed).
 *
 * Durability: instrument events are lightweight telemetry, so by default this statement commits with
 * `synchronous_commit = off` (`INSTRUMENT_SYNCHRONOUS_COMMIT`): the answer does not wait for the WAL flush,
 * which more than halves the database's work per request. A database crash can lose the last fraction of a
 * second of acknowledged events — never half of a batch, never anything else (sessions, profiles, feedback
 * and consent always commit durably).
 *
 * All of it is one SQL statement — one round trip however many events, the events travelling as one JSON
 * document, timed and consent-checked in the database. Consent is re-checked under a share
 * lock on the user row, so an opt-out (which locks that row, then deletes the user's events) either waits for
 * this insert and deletes it too, or commits first and this stores nothing.
 */
export async function recordInstrumentEvents(
  db: Db,
  userId: string,
  events: InstrumentEvent[],
  receivedAt: Date,
): Promise<InstrumentResult> {
  // A re-sent event inside one batch counts once: the first copy wins (ids compare case-insensitively).
  const seen = new Set<string>();
  const fresh = events.filter((e) => {
    if (!e.event_id) return true;
    const id = e.event_id.toLowerCase();
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  // Telemetry, not training data: by default acknowledged before its WAL reaches disk (this statement only).
  const syncCommit = env().INSTRUMENT_SYNCHRONOUS_COMMIT;
  const [result] = await preparedRows<{ opted_in: boolean; inserted: number }>(
    db,
    sql`with commit_mode as (select set_config('synchronous_commit', ${syncCommit}, true) as mode),
        consent as (select 1 from users, commit_mode where id = ${userId} and analytics_opt_in for share of users),
        received as (select ${receivedAt.toISOString()}::timestamptz as at),
        ins as (
          insert into instrument_events (user_id, type, payload, event_id, occurred_at, sent_at, derived_at, received_at)
          select ${userId}, e.type::instrument_event_type, e.payload, e.event_id, e.occurred_at, e.sent_at,
                 case when e.occurred_at is not null and e.sent_at is not null
                      then r.at - greatest(interval '0', e.sent_at - e.occurred_at)
                      else r.at end,
                 r.at
          from jsonb_to_recordset(${JSON.stringify(fresh)}::jsonb)
                 as e(type text, payload jsonb, event_id uuid, occurred_at timestamptz, sent_at timestamptz),
               received r
          where exists (select 1 from consent)
          on conflict (user_id, event_id) do nothing
          returning 1
        )
        select exists (select 1 from consent) as opted_in, (select count(*)::int from ins) as inserted`,
  );
  if (!result?.opted_in) return { accepted: 0, duplicates: 0, dropped: events.length };
  return { accepted: result.inserted, duplicates: events.length - result.inserted, dropped: 0 };
}
