import { getTableColumns, is, SQL, sql } from 'drizzle-orm';
import { PgJson, PgJsonb, type PgTable } from 'drizzle-orm/pg-core';

/**
 * Many rows as the source of `db.insert(table).select(rowsSelect(table, rows))`: one JSON parameter that
 * PostgreSQL reads back with the table's own row type (`json_populate_recordset`). A multi-row `values` list
 * costs drizzle a few microseconds per parameter to build — seconds for the weekly job's hundreds of thousands —
 * and caps a statement at 65,535 parameters; this costs a `JSON.stringify`. Every row must give the same columns
 * (those of the first row); the others take their SQL default, or null.
 */
export function rowsSelect<T extends PgTable>(table: T, rows: readonly T['$inferInsert'][]): SQL {
  // The columns an INSERT lists (drizzle's own rule): all but those generated always.
  const columns = Object.entries(getTableColumns(table)).filter(
    ([, c]) => c.generated === undefined || c.generated.type === 'byDefault',
  );
  const first = (rows[0] ?? {}) as Record<string, unknown>;
  // JSON columns go in as JSON; everything else as the driver would send it (custom types encrypt here).
  const given = columns
    .filter(([key]) => first[key] !== undefined)
    .map(([key, column]) => ({ key, name: column.name, column, asIs: is(column, PgJsonb) || is(column, PgJson) }));
  const payload = rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const { key, name, column, asIs } of given) {
      const value = (row as Record<string, unknown>)[key];
      if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError(`rowsSelect: ${key} is ${value}`);
      out[name] = value === null || value === undefined ? null : asIs ? value : column.mapToDriverValue(value);
    }
    return out;
  });
  const select = columns.map(([key, column]) => {
    if (first[key] !== undefined) return sql`x.${sql.identifier(column.name)}`;
    if (column.defaultFn) throw new Error(`rowsSelect: give ${key} in every row (its default is computed in JS)`);
    if (is(column.default, SQL)) return column.default;
    if (column.default === undefined) return sql`null`;
    return sql`${sql.param(column.default, column)}::${sql.raw(column.getSQLType())}`;
  });
  return sql`select ${sql.join(select, sql`, `)} from json_populate_recordset(null::${table}, ${JSON.stringify(payload)}::json) as x`;
}
