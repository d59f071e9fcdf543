import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { isUniqueViolation } from '@/db/errors';
import { idempotencyKeys } from '@/db/schema';
import { ApiError } from './errors';

export interface StoredResponse {
  status: number;
  body: unknown;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export function parseIdempotencyKey(header: string | null): string | undefined {
  if (header === null) return undefined;
  if (!KEY_PATTERN.test(header)) {
    throw new ApiError(400, 'validation_failed', 'Idempotency-Key must be 1–255 visible ASCII characters.', [
      { path: 'Idempotency-Key', message: 'must be 1–255 visible ASCII characters' },
    ]);
  }
  return header;
}

/** The same key must come with the same request: same endpoint (whatever its URL alias) and same body bytes. */
export function requestHash(endpoint: string, rawBody: string): string {
  return createHash('sha256').update(endpoint).update('\n').update(rawBody).digest('hex');
}

async function replay(db: Db, userId: string, key: string, hash: string): Promise<StoredResponse | undefined> {
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)))
    .limit(1);
  if (!row) return undefined;
  if (row.requestHash !== hash) {
    throw new ApiError(
      422,
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request; use a new key for a new request.',
      [{ path: 'Idempotency-Key', message: 'was already used with a different request' }],
    );
  }
  return { status: row.statusCode, body: row.response };
}

/**
 * Runs `work` at most once per (user, key): the first successful response is stored in the same transaction
 * as the writes, so a retry either replays it or — if the first attempt failed — does the work afresh. Two
 * concurrent attempts race on the primary key; the loser's transaction rolls back and it replays the winner.
 */
export async function once(
  db: Db,
  userId: string,
  key: string,
  hash: string,
  work: (tx: Db) => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  const earlier = await replay(db, userId, key, hash);
  if (earlier) return { ...earlier, replayed: true };
  try {
    const fresh = await db.transaction(async (tx) => {
      const result = await work(tx);
      if (result.status < 300) {
        await tx.insert(idempotencyKeys).values({
          userId,
          key,
          requestHash: hash,
          statusCode: result.status,
          response: result.body as object,
        });
      }
      return result;
    });
    return { ...fresh, replayed: false };
  } catch (err) {
    if (!isUniqueViolation(err, 'idempotency_keys_user_id_key_pk')) throw err;
    const winner = await replay(db, userId, key, hash);
    if (!winner) throw err;
    return { ...winner, replayed: true };
  }
}
