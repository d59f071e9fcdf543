import { getTableColumns, getTableName, is, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { type Db, rows, schema } from '@/db/client';
import { isEncryptedColumn } from '@/db/schema/encrypted-text';
import { decrypt, ENVELOPE_PREFIX, encrypt, type Keyring } from './encryption';

/** Every encrypted column in the schema, found by its column type, not listed by hand. */
export const ENCRYPTED_COLUMNS: readonly { table: string; column: string }[] = (Object.values(schema) as unknown[])
  .filter((v): v is PgTable => is(v, PgTable))
  .flatMap((table) =>
    Object.values(getTableColumns(table))
      .filter(isEncryptedColumn)
      .map((c) => ({ table: getTableName(table), column: c.name })),
  );

const BATCH = 500;

/**
 * Re-seals every stored value that is not under the ring's current key (older keys, or plain text written
 * before encryption) with the current key. Each value is rewritten only if it is still what was read, so a
 * concurrent write is never overwritten; running it again finds nothing to do.
 */
export async function resealAll(
  db: Db,
  ring: Keyring,
  onProgress?: (done: number, total: number) => void,
): Promise<{ resealed: number; byColumn: Record<string, number> }> {
  const current = `${ENVELOPE_PREFIX}${ring.current.id}:%`;
  const stale = (column: string) =>
    sql`${sql.identifier(column)} is not null and ${sql.identifier(column)} not like ${current}`;

  let total = 0;
  for (const { table, column } of ENCRYPTED_COLUMNS) {
    const [row] = await rows<{ n: number }>(
      db,
      sql`select count(*)::int as n from ${sql.identifier(table)} where ${stale(column)}`,
    );
    total += Number(row?.n ?? 0);
  }
  let done = 0;
  onProgress?.(done, total);
  const byColumn: Record<string, number> = {};
  for (const { table, column } of ENCRYPTED_COLUMNS) {
    let count = 0;
    // Values that keep arriving under an old key mean the app still seals with it: stop instead of chasing.
    for (let round = 0; ; round++) {
      if (round > total / BATCH + 10) {
        throw new Error(
          `${table}.${column} keeps receiving values under an older key: restart the app with the new key first`,
        );
      }
      const batch = await rows<{ tid: string; value: string }>(
        db,
        sql`select ctid::text as tid, ${sql.identifier(column)} as value from ${sql.identifier(table)}
            where ${stale(column)} limit ${BATCH}`,
      );
      if (batch.length === 0) break;
      await db.transaction(async (tx) => {
        // Declares this transaction as re-sealing: the audit-trail trigger lets the envelope (only) change.
        await tx.execute(sql`select set_config('overload.maintenance', 'reseal', true)`);
        for (const { tid, value } of batch) {
          const sealed = encrypt(decrypt(value, ring), ring);
          await tx.execute(
            sql`update ${sql.identifier(table)} set ${sql.identifier(column)} = ${sealed}
                where ctid = ${tid}::tid and ${sql.identifier(column)} = ${value}`,
          );
        }
      });
      count += batch.length;
      done += batch.length;
      onProgress?.(done, Math.max(total, done));
    }
    byColumn[`${table}.${column}`] = count;
  }
  return { resealed: done, byColumn };
}
