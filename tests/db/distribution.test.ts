import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { citusDdl, citusPlan, GLOBAL_TABLES } from '@/db/citus';
import { rows } from '@/db/client';
import { describeEachDatabase } from '../helpers/databases';
import { introspect, type SchemaShape } from '../helpers/introspect';

/**
 * The distribution rule: every user-owned table carries `user_id`, and every primary key, unique constraint and
 * unique index on it includes `user_id`, so the schema can be sharded by user later without change. Only the
 * tables `db/citus.ts` names are global; a new table is user-owned unless it is added to that list on purpose.
 */

/**
 * User-owned tables whose `user_id` is not a foreign key, on purpose. Each must still lose its rows with the
 * user (tested below) and be written only by code that checks the user exists.
 */
const UNREFERENCED_USER_ID: Record<string, string> = {
  instrument_events: 'ingest share-locks the user row itself; trigger users_delete_instrument_events cascades',
  sets: '(user_id, session_id) references sessions, whose user_id references users: one check per session, not per set',
};

describeEachDatabase('distribution rule', (ctx) => {
  let shape: SchemaShape;
  beforeAll(async () => {
    shape = await introspect(ctx.db);
  });

  const userOwned = () => shape.tables.filter((t) => !(t in GLOBAL_TABLES));
  const columnsOf = (table: string) =>
    shape.columns.filter((c) => c.table_name === table).map((c) => c.column_name as string);

  it('lists only global tables that exist', () => {
    for (const t of Object.keys(GLOBAL_TABLES)) expect(shape.tables).toContain(t);
    expect(userOwned().length).toBeGreaterThanOrEqual(11);
  });

  it('gives every user-owned table a NOT NULL user_id referencing users', () => {
    for (const table of userOwned()) {
      expect(columnsOf(table), `${table} has no user_id`).toContain('user_id');
      const col = shape.columns.find((c) => c.table_name === table && c.column_name === 'user_id')!;
      expect(col.is_nullable, `${table}.user_id is nullable`).toBe('NO');
      const fk = shape.constraints.find(
        (c) => c.table === table && c.type === 'f' && c.columns.length === 1 && c.columns[0] === 'user_id',
      );
      if (table in UNREFERENCED_USER_ID) {
        expect(fk, `${table} is listed as unreferenced but has a foreign key`).toBeUndefined();
        continue;
      }
      expect(fk?.def, `${table}.user_id does not reference users`).toMatch(/REFERENCES users\(id\)/);
    }
  });

  it('deletes the rows of an unreferenced table with their user, also when users are deleted in bulk', async () => {
    for (const table of Object.keys(UNREFERENCED_USER_ID)) expect(shape.tables).toContain(table);
    await ctx.db.execute(
      sql`insert into users (id, analytics_opt_in) values ('gone-1', true), ('gone-2', true), ('stays', true)`,
    );
    await ctx.db.execute(sql`insert into instrument_events (user_id, type, payload) values
      ('gone-1', 'session_finished', '{}'), ('gone-1', 'session_submitted', '{}'),
      ('gone-2', 'session_finished', '{}'), ('stays', 'session_finished', '{}')`);
    await ctx.db.execute(sql`insert into sessions (user_id, id, date) values
      ('gone-1', '00000000-0000-4000-8000-000000000001', '2026-01-05'),
      ('stays', '00000000-0000-4000-8000-000000000002', '2026-01-05')`);
    await ctx.db.execute(sql`insert into sets (user_id, session_id, exercise, sent_exercise, set_number) values
      ('gone-1', '00000000-0000-4000-8000-000000000001', 'Squat', 'Squat', 1),
      ('stays', '00000000-0000-4000-8000-000000000002', 'Squat', 'Squat', 1)`);
    await ctx.db.execute(sql`delete from users where id in ('gone-1', 'gone-2')`);
    for (const table of Object.keys(UNREFERENCED_USER_ID)) {
      const left = await rows<{ user_id: string }>(
        ctx.db,
        sql`select user_id from ${sql.identifier(table)} order by 1`,
      );
      expect(left, table).toEqual([{ user_id: 'stays' }]);
    }
  });

  it("refuses a set whose session is not its user's", async () => {
    await ctx.db.execute(sql`insert into users (id) values ('owner'), ('other')`);
    await ctx.db.execute(sql`insert into sessions (user_id, id, date) values
      ('owner', '00000000-0000-4000-8000-000000000003', '2026-01-05')`);
    await expect(
      ctx.db.execute(sql`insert into sets (user_id, session_id, exercise, sent_exercise, set_number) values
        ('other', '00000000-0000-4000-8000-000000000003', 'Squat', 'Squat', 1)`),
    ).rejects.toThrow();
  });

  it('includes user_id in every primary key and unique constraint of a user-owned table', () => {
    for (const table of userOwned()) {
      const keys = shape.constraints.filter((c) => c.table === table && (c.type === 'p' || c.type === 'u'));
      expect(
        keys.some((k) => k.type === 'p'),
        `${table} has no primary key`,
      ).toBe(true);
      for (const k of keys) expect(k.columns, `${table}.${k.name} lacks user_id`).toContain('user_id');
    }
  });

  it('includes user_id in every unique index of a user-owned table (partial ones too)', () => {
    for (const table of userOwned()) {
      for (const ix of shape.indexes.filter((i) => i.table === table && i.unique)) {
        expect(ix.columns, `${table}.${ix.name} lacks user_id`).toContain('user_id');
      }
    }
  });

  it('joins user-owned tables to each other on user_id, so rows of one user stay together', () => {
    for (const table of userOwned()) {
      for (const fk of shape.constraints.filter((c) => c.table === table && c.type === 'f')) {
        const target = /REFERENCES (\w+)\(/.exec(fk.def)?.[1];
        // Global tables become reference tables when sharded: referencing one needs no user_id.
        if (!target || target === 'users' || target in GLOBAL_TABLES) continue;
        expect(fk.columns, `${table}.${fk.name} -> ${target} lacks user_id`).toContain('user_id');
        expect(fk.def, `${table}.${fk.name} must map user_id to user_id`).toMatch(/REFERENCES \w+\(user_id,/);
      }
    }
  });
});

describeEachDatabase('the Citus DDL (npm run db:citus)', (ctx) => {
  it('names every table exactly once: the global ones as reference tables, the rest distributed by user', async () => {
    const plan = await citusPlan(ctx.db);
    const ddl = citusDdl(plan);
    const { tables } = await introspect(ctx.db);
    const named = [...ddl.matchAll(/create_(reference|distributed)_table\('(\w+)'/g)].map((m) => m[2]);
    expect([...named].sort()).toEqual([...tables].sort());
    for (const t of tables) {
      const kind = t in GLOBAL_TABLES && t !== 'users' ? 'reference' : 'distributed';
      expect(ddl).toContain(`create_${kind}_table('${t}'`);
    }
    expect(ddl).toContain("create_distributed_table('users', 'id');");
    expect(ddl).toContain("create_distributed_table('sets', 'user_id', colocate_with => 'users');");
    expect(plan.problems).toEqual([]);
    // The one foreign key across shards: a coach and its athletes live apart.
    expect(plan.crossShard).toEqual([{ table: 'coach_athletes', constraint: expect.stringMatching(/coach_id/) }]);
    expect(ddl).toMatch(/alter table coach_athletes drop constraint \w*coach_id\w*;/);
  });

  it('distributes a table only after the tables it references', async () => {
    const plan = await citusPlan(ctx.db);
    const order = plan.distributed.map((d) => d.table);
    const fks = await rows<{ child: string; parent: string }>(
      ctx.db,
      sql`select conrelid::regclass::text as child, confrelid::regclass::text as parent
          from pg_constraint where contype = 'f' and connamespace = 'public'::regnamespace`,
    );
    for (const { child, parent } of fks) {
      if (child === parent || !order.includes(child) || !order.includes(parent)) continue;
      expect(order.indexOf(parent), `${child} before ${parent}`).toBeLessThan(order.indexOf(child));
    }
  });
});
