import { sql } from 'drizzle-orm';
import { type Db, rows } from './client';

/**
 * The schema on Citus (docs/scaling.md): every user-owned table is distributed by `user_id` and co-located with
 * `users` (distributed by its `id`), so one lifter's rows live on one shard and every per-lifter query and
 * join stays on it; the global tables below become reference tables, copied to every node. The DDL is generated
 * from the catalog of a migrated database, so a new table cannot be forgotten: it is user-owned unless listed here.
 */
export const GLOBAL_TABLES: Record<string, string> = {
  users: 'the root: its own id is the distribution key',
  job_runs: 'batch job bookkeeping, not owned by any user',
  models: 'trained models: fitted on pseudonymous data of many lifters, owned by none',
  experiments: 'A/B tests of policies: run over many lifters, owned by none (assignments and exposures are owned)',
  experiment_arms: 'the arms of an experiment',
  identities: 'identity-provider accounts, looked up by issuer and subject before the user is known',
  retired_identities: 'hashes of the identities of deleted users, owned by none',
};

type ForeignKey = {
  name: string;
  child: string;
  parent: string;
  childColumns: string[];
  parentColumns: string[];
};

interface Catalog {
  tables: string[];
  /** table → the tables its foreign keys reference. */
  references: Map<string, Set<string>>;
  foreignKeys: ForeignKey[];
}

async function readCatalog(db: Db): Promise<Catalog> {
  const tables = (
    await rows<{ name: string }>(
      db,
      sql`select table_name as name from information_schema.tables
          where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
    )
  ).map((t) => t.name);
  const columnsOf = (rel: string, keys: string) =>
    sql.raw(`coalesce((select array_agg(a.attname::text order by k.ord)
                       from unnest(c.${keys}) with ordinality k(attnum, ord)
                       join pg_attribute a on a.attrelid = c.${rel} and a.attnum = k.attnum), '{}')`);
  const foreignKeys = await rows<ForeignKey>(
    db,
    sql`select c.conname as name, c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent,
               ${columnsOf('conrelid', 'conkey')} as "childColumns", ${columnsOf('confrelid', 'confkey')} as "parentColumns"
        from pg_constraint c where c.contype = 'f' and c.connamespace = 'public'::regnamespace order by 2, 1`,
  );
  const references = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const fk of foreignKeys) if (fk.child !== fk.parent) references.get(fk.child)?.add(fk.parent);
  return { tables, references, foreignKeys };
}

/** Parents before children: Citus distributes a table only after the tables its foreign keys point at. */
function parentsFirst(tables: readonly string[], references: Map<string, Set<string>>): string[] {
  const out: string[] = [];
  const placed = new Set<string>();
  const visit = (t: string, path: Set<string>) => {
    if (placed.has(t) || path.has(t)) return;
    path.add(t);
    for (const parent of [...(references.get(t) ?? [])].sort()) if (tables.includes(parent)) visit(parent, path);
    placed.add(t);
    out.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return out;
}

export interface CitusPlan {
  reference: string[];
  /** In the order they must be distributed; `users` first. */
  distributed: { table: string; column: string }[];
  /**
   * Foreign keys between distributed tables that do not map distribution column to distribution column (e.g.
   * `coach_athletes.coach_id → users.id`: the coach lives on another shard). Citus cannot enforce them; they are
   * dropped, and the application keeps them (deleting a user removes its coach links explicitly).
   */
  crossShard: { table: string; constraint: string }[];
  /** Foreign keys Citus refuses outright: a reference table pointing at a distributed one. */
  problems: string[];
}

export async function citusPlan(db: Db): Promise<CitusPlan> {
  const { tables, references, foreignKeys } = await readCatalog(db);
  const reference = tables.filter((t) => t in GLOBAL_TABLES && t !== 'users');
  const owned = tables.filter((t) => !(t in GLOBAL_TABLES));
  const distributed = [
    { table: 'users', column: 'id' },
    ...parentsFirst(owned, references).map((table) => ({ table, column: 'user_id' })),
  ];
  const distributionColumn = new Map(distributed.map((d) => [d.table, d.column]));
  const crossShard = foreignKeys
    .filter((fk) => distributionColumn.has(fk.child) && distributionColumn.has(fk.parent))
    .filter(
      (fk) =>
        !fk.childColumns.some(
          (c, i) => c === distributionColumn.get(fk.child) && fk.parentColumns[i] === distributionColumn.get(fk.parent),
        ),
    )
    .map((fk) => ({ table: fk.child, constraint: fk.name }));
  const problems = reference.flatMap((t) =>
    [...(references.get(t) ?? [])]
      .filter((p) => !reference.includes(p))
      .map((p) => `${t} references ${p}, which is distributed: Citus cannot keep that foreign key`),
  );
  return { reference, distributed, crossShard, problems };
}

/** The DDL, to run once on the coordinator after the migrations. */
export function citusDdl(plan: CitusPlan): string {
  const lines = [
    '-- Overload on Citus: run on the coordinator after `npm run db:migrate` (docs/scaling.md).',
    '-- Generated from the schema by `npm run db:citus`; regenerate after every migration that adds a table.',
    'create extension if not exists citus;',
    '',
    ...(plan.crossShard.length
      ? [
          '-- Foreign keys across shards, which Citus cannot enforce; the application keeps them.',
          ...plan.crossShard.map(({ table, constraint }) => `alter table ${table} drop constraint ${constraint};`),
          '',
        ]
      : []),
    '-- Global tables: copied to every node.',
    ...plan.reference.map((t) => `select create_reference_table('${t}');`),
    '',
    "-- Every lifter's rows on one shard: users by id, everything they own by user_id, co-located.",
    ...plan.distributed.map(({ table, column }) =>
      table === 'users'
        ? `select create_distributed_table('${table}', '${column}');`
        : `select create_distributed_table('${table}', '${column}', colocate_with => 'users');`,
    ),
    ...(plan.problems.length ? ['', ...plan.problems.map((p) => `-- PROBLEM: ${p}`)] : []),
  ];
  return `${lines.join('\n')}\n`;
}
