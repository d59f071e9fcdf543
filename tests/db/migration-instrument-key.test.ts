import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '@/db/client';
import { databaseBefore } from '../helpers/migrations';

// 0007 makes (user_id, event_id) the key of instrument_events: events stored earlier without a client id must
// survive the upgrade, each with a server-drawn id.
describe('migration 0007 (instrument event key) on a database with events in it', () => {
  it('keeps every event, gives the id-less ones a unique id, and keys the table on (user_id, event_id)', async () => {
    const { db, upgrade, close } = await databaseBefore('0007_instrument_event_key');
    try {
      await db.execute(sql`insert into users (id, analytics_opt_in) values ('old-lifter', true)`);
      await db.execute(sql`insert into instrument_events (user_id, type, payload, event_id) values
        ('old-lifter', 'session_finished', '{"n":1}', null),
        ('old-lifter', 'session_finished', '{"n":2}', null),
        ('old-lifter', 'session_submitted', '{"n":3}', '6f1c2a52-8d0b-4c57-9a53-0d1c7b8f4e11')`);

      await upgrade();

      const events = await rows<{ n: number; event_id: string }>(
        db as never,
        sql`select (payload::jsonb->>'n')::int as n, event_id::text from instrument_events order by 1`,
      );
      expect(events.map((e) => e.n)).toEqual([1, 2, 3]);
      expect(events[2]!.event_id).toBe('6f1c2a52-8d0b-4c57-9a53-0d1c7b8f4e11');
      expect(events[0]!.event_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Set(events.map((e) => e.event_id)).size).toBe(3);

      const [pk] = await rows<{ def: string }>(
        db as never,
        sql`select pg_get_constraintdef(oid) as def from pg_constraint
            where conrelid = 'instrument_events'::regclass and contype = 'p'`,
      );
      expect(pk!.def).toBe('PRIMARY KEY (user_id, event_id)');
      const columns = await rows<{ column_name: string }>(
        db as never,
        sql`select column_name from information_schema.columns where table_name = 'instrument_events'`,
      );
      expect(columns.map((c) => c.column_name)).not.toContain('id');
    } finally {
      await close();
    }
  });
});
