import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER, rows } from '@/db/client';
import { migrationsBefore } from '../helpers/migrations';

// 0007 makes (user_id, event_id) the key of instrument_events: events stored earlier without a client id must
// survive the upgrade, each with a server-drawn id.
describe('migration 0007 (instrument event key) on a database with events in it', () => {
  const { folderBefore, cleanup } = migrationsBefore();
  afterAll(cleanup);

  it('keeps every event, gives the id-less ones a unique id, and keys the table on (user_id, event_id)', async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    const { drizzle } = await import('drizzle-orm/pglite');
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    const client = await PGlite.create('memory://');
    const db = drizzle(client);
    try {
      await migrate(db, { migrationsFolder: folderBefore('0007_instrument_event_key') });
      await db.execute(sql`insert into users (id, analytics_opt_in) values ('old-lifter', true)`);
      await db.execute(sql`insert into instrument_events (user_id, type, payload, event_id) values
        ('old-lifter', 'session_finished', '{"n":1}', null),
        ('old-lifter', 'session_finished', '{"n":2}', null),
        ('old-lifter', 'session_submitted', '{"n":3}', '6f1c2a52-8d0b-4c57-9a53-0d1c7b8f4e11')`);

      await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });

      const events = await rows<{ n: number; event_id: string }>(
        db as never,
        sql`select (payload->>'n')::int as n, event_id::text from instrument_events order by 1`,
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
      await client.close();
    }
  });
});
