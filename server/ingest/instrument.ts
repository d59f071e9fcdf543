import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { preparedRows } from '@/db/prepared';
import { sealJson } from '@/db/schema';
import type { InstrumentEvent, InstrumentInput } from '@/server/contracts/instrument';
import { env } from '@/server/env';

export interface InstrumentResult {
  accepted: number;
  duplicates: number;
  dropped: number;
}

/** One request's worth of events: whose they are and when the server received them. */
export interface InstrumentRequest {
  userId: string;
  events: InstrumentEvent[];
  receivedAt: Date;
}

/** One event (the seed's shape) or a batch, as a list; a batch-level `sent_at` applies to events without one. */
export function eventsOf(input: InstrumentInput): InstrumentEvent[] {
  if ('events' in input) {
    const sentAt = input.sent_at;
    return sentAt ? input.events.map((e) => (e.sent_at ? e : { ...e, sent_at: sentAt })) : input.events;
  }
  const { user_id: _ignored, ...event } = input;
  return [event];
}

/** Stores one request's events (see `recordInstrumentRequests`); usable inside a transaction. */
export async function recordInstrumentEvents(
  db: Db,
  userId: string,
  events: InstrumentEvent[],
  receivedAt: Date,
): Promise<InstrumentResult> {
  const [result] = await recordInstrumentRequests(db, [{ userId, events, receivedAt }]);
  return result!;
}

/**
 * Stores the events of one or more requests exactly once, in one SQL statement (so all of them or none).
 *
 * - **Exactly once.** The client retries on any network error, so a re-sent `event_id` — in an earlier
 *   request, earlier in this one, or in an earlier request of the same group — is counted as a duplicate,
 *   never stored again (ids compare case-insensitively; the first copy wins). An event without an id gets one
 *   drawn here, so `(user_id, event_id)` is the table's key and its only per-event index.
 * - **Drawn ids are time-ordered** (UUIDv7, RFC 9562): the received time's milliseconds, a 12-bit counter (the
 *   event's position in its request, ≤ 1,000) and 62 random bits drawn once per request. A request's events
 *   then land next to each other at the end of their user's range of the key, instead of on random pages of
 *   it, which costs the database less per stored event. Two requests of one user in one millisecond differ in
 *   their 62 random bits.
 * - **Consent.** Events of users who have not opted in to analytics are dropped, not stored. Consent is read
 *   under a share lock on each user's row, so an opt-out (which locks that row, then deletes the user's events)
 *   either waits for this insert and deletes its rows too, or commits first and this stores nothing for them.
 * - **Time.** Device clocks drift, but the lag between "happened" and "sent" on one device is trustworthy, so,
 *   as Snowplow's derived timestamp does: `derived_at = received_at − (sent_at − occurred_at)`, simply
 *   `received_at` without both device times, and never later than `received_at`.
 * - **Durability.** An answer means stored: the statement commits as every other write does, waiting for the WAL
 *   flush. A deployment that accepts losing the last fraction of a second of telemetry on a database crash may
 *   set `INSTRUMENT_SYNCHRONOUS_COMMIT=off`: then this statement alone commits with `synchronous_commit = off`
 *   for its own transaction — never part of a request, never anything else.
 *
 * The events travel as one JSON document, so a request costs one round trip however many events it holds;
 * `InstrumentWriter` groups concurrent requests into one call of this.
 */
export async function recordInstrumentRequests(db: Db, requests: InstrumentRequest[]): Promise<InstrumentResult[]> {
  const seen = new Set<string>();
  const plan = requests.map((r) => {
    let anonymous = 0;
    const ids: string[] = [];
    const fresh = r.events.filter((e) => {
      if (!e.event_id) {
        anonymous++;
        return true;
      }
      const id = e.event_id.toLowerCase();
      const key = `${r.userId}\u0000${id}`;
      if (seen.has(key)) return false;
      seen.add(key);
      ids.push(id);
      return true;
    });
    return { request: r, fresh, ids, anonymous };
  });
  // Built by hand so each request's events are serialized once; each payload goes sealed, as its column stores it
  // (the statement never reads inside it).
  const document = `[${plan
    .map(
      (p) =>
        `{"user_id":${JSON.stringify(p.request.userId)},"received_at":"${p.request.receivedAt.toISOString()}","events":${JSON.stringify(p.fresh.map((e) => ({ ...e, payload: sealJson(e.payload) })))}}`,
    )
    .join(',')}]`;
  // Events without a client id cannot conflict (their key is drawn here): when no event of the group has one,
  // the insert needs neither the conflict check (speculative insertion costs every row an extra index probe)
  // nor answer rows.
  const withClientIds = plan.some((p) => p.ids.length > 0);
  const userIds = [...new Set(requests.map((r) => r.userId))];
  const relaxed = env().INSTRUMENT_SYNCHRONOUS_COMMIT === 'off';
  const answer = await preparedRows<{ kind: 'consent' | 'stored'; user_id: string; event_id: string | null }>(
    db,
    sql`with ${relaxed ? sql`commit_mode as (select set_config('synchronous_commit', 'off', true) as mode),` : sql``}
        requests as (
          select r.user_id, r.received_at, r.events,
                 -- UUIDv7 in text, around the counter: 'tttttttt-tttt-7' and '-vrrr-rrrrrrrrrrrr' (a v4's variant
                 -- and random tail). gen_random_uuid() is volatile, so this CTE is never inlined into the
                 -- per-event join: one tail per request.
                 overlay(lpad(to_hex(floor(extract(epoch from r.received_at) * 1000)::bigint), 12, '0')
                         placing '-' from 9 for 0) || '-7' as id_head,
                 right(gen_random_uuid()::text, 18) as id_tail
          from jsonb_to_recordset(${document}::jsonb) as r(user_id text, received_at timestamptz, events jsonb)
        ),
        consent as (
          -- The user ids travel apart from the events: a locking query copies every row it reads besides the
          -- locked ones (for a recheck), and reading them from \`requests\` copied each request's whole events.
          select u.id from users u ${relaxed ? sql`, commit_mode` : sql``}
          where u.id in (select jsonb_array_elements_text(${JSON.stringify(userIds)}::jsonb)) and u.analytics_opt_in
          for share of u
        ),
        ins as (
          insert into instrument_events (user_id, type, payload, event_id, occurred_at, sent_at, derived_at, received_at)
          select r.user_id, e.type::instrument_event_type, e.payload, coalesce(e.event_id, (r.id_head || lpad(to_hex(e.n), 3, '0') || r.id_tail)::uuid),
                 e.occurred_at, e.sent_at,
                 case when e.occurred_at is not null and e.sent_at is not null
                      then r.received_at - greatest(interval '0', e.sent_at - e.occurred_at)
                      else r.received_at end,
                 r.received_at
          from requests r
          join consent c on c.id = r.user_id
          cross join lateral rows from (jsonb_to_recordset(r.events)
                 as (type text, payload text, event_id uuid, occurred_at timestamptz, sent_at timestamptz))
                 with ordinality as e(type, payload, event_id, occurred_at, sent_at, n)
          ${withClientIds ? sql`on conflict (user_id, event_id) do nothing returning user_id, event_id` : sql``}
        )
        select 'consent' as kind, id as user_id, null::text as event_id from consent
        ${withClientIds ? sql`union all select 'stored', user_id, event_id::text from ins` : sql``}`,
  );
  const consented = new Set<string>();
  const stored = new Set<string>();
  for (const row of answer) {
    if (row.kind === 'consent') consented.add(row.user_id);
    else stored.add(`${row.user_id}\u0000${row.event_id}`);
  }
  return plan.map(({ request, ids, anonymous }) => {
    if (!consented.has(request.userId)) return { accepted: 0, duplicates: 0, dropped: request.events.length };
    // Events without an id cannot conflict, so all of them were stored.
    const accepted = anonymous + ids.filter((id) => stored.has(`${request.userId}\u0000${id}`)).length;
    return { accepted, duplicates: request.events.length - accepted, dropped: 0 };
  });
}
