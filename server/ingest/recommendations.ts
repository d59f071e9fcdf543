import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { recommendations } from '@/db/schema';
import type { RecommendationInput } from '@/server/contracts/recommendations';
import { conflict } from '@/server/errors';

/**
 * Records a recommendation the client served. A client-named id that already exists with the same content
 * is a retry and answers the same id; with different content it is a conflict (409).
 */
export async function recordRecommendation(
  db: Db,
  userId: string,
  input: RecommendationInput,
): Promise<{ id: string }> {
  const id = input.id ?? `rec-${randomUUID()}`;
  const row = {
    userId,
    id,
    exercise: input.exercise,
    recPayload: input.rec_payload,
    recSource: input.rec_source ?? null,
  };
  const inserted = await db
    .insert(recommendations)
    .values(row)
    .onConflictDoNothing()
    .returning({ id: recommendations.id });
  if (inserted.length > 0) return { id };

  const [existing] = await db
    .select()
    .from(recommendations)
    .where(and(eq(recommendations.userId, userId), eq(recommendations.id, id)))
    .limit(1);
  const same =
    existing &&
    existing.exercise === row.exercise &&
    existing.recSource === row.recSource &&
    isDeepStrictEqual(existing.recPayload, row.recPayload);
  if (!same) throw conflict(`A different recommendation with id ${id} already exists.`, 'id');
  return { id };
}
