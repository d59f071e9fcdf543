import { sql } from 'drizzle-orm';
import { type Db, rows } from '@/db/client';

/** What the catalog says about the public schema, in a form two servers can be compared by. */
export interface SchemaShape {
  tables: string[];
  columns: Record<string, unknown>[];
  constraints: { table: string; name: string; type: string; def: string; columns: string[] }[];
  indexes: { table: string; name: string; def: string; columns: string[]; unique: boolean }[];
  enums: Record<string, string[]>;
  triggers: { table: string; name: string; def: string }[];
}

export async function introspect(db: Db): Promise<SchemaShape> {
  const tables = (
    await rows<{ table_name: string }>(
      db,
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
    )
  ).map((r) => r.table_name);

  const columns = await rows(
    db,
    sql`select table_name, column_name, data_type, udt_name, is_nullable, column_default, is_generated, generation_expression
        from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position`,
  );

  // contype n (NOT NULL as a constraint) exists only from PostgreSQL 18; nullability is compared via columns.
  const constraints = await rows<{ table: string; name: string; type: string; def: string; columns: string[] }>(
    db,
    sql`select c.conrelid::regclass::text as "table", c.conname as name, c.contype::text as type,
               pg_get_constraintdef(c.oid) as def,
               coalesce((select array_agg(a.attname::text order by k.ord)
                         from unnest(c.conkey) with ordinality k(attnum, ord)
                         join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum), '{}') as columns
        from pg_constraint c
        where c.connamespace = 'public'::regnamespace and c.contype in ('p', 'u', 'f', 'c', 'x')
        order by 1, 2`,
  );

  const indexes = await rows<{ table: string; name: string; def: string; columns: string[]; unique: boolean }>(
    db,
    sql`select t.relname::text as "table", i.relname::text as name, pg_get_indexdef(ix.indexrelid) as def,
               ix.indisunique as "unique",
               coalesce((select array_agg(a.attname::text order by k.ord)
                         from unnest(ix.indkey::int2[]) with ordinality k(attnum, ord)
                         join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum), '{}') as columns
        from pg_index ix
        join pg_class i on i.oid = ix.indexrelid
        join pg_class t on t.oid = ix.indrelid
        where t.relnamespace = 'public'::regnamespace
        order by 1, 2`,
  );

  const enumRows = await rows<{ name: string; label: string }>(
    db,
    sql`select t.typname::text as name, e.enumlabel::text as label
        from pg_type t join pg_enum e on e.enumtypid = t.oid
        where t.typnamespace = 'public'::regnamespace
        order by t.typname, e.enumsortorder`,
  );
  const enums: Record<string, string[]> = {};
  for (const r of enumRows) enums[r.name] = [...(enums[r.name] ?? []), r.label];

  const triggers = await rows<{ table: string; name: string; def: string }>(
    db,
    sql`select c.relname::text as "table", t.tgname::text as name, pg_get_triggerdef(t.oid) as def
        from pg_trigger t join pg_class c on c.oid = t.tgrelid
        where not t.tgisinternal and c.relnamespace = 'public'::regnamespace order by 1, 2`,
  );

  return { tables, columns, constraints, indexes, enums, triggers };
}
