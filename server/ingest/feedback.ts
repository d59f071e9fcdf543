import { and, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { feedbackEvents, recommendations, sessions } from '@/db/schema';
import type { FeedbackInput } from '@/server/contracts/feedback';
import { notFound } from '@/server/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `ref_id` names a recommendation or session of this same user. */
async function refExists(db: Db, userId: string, refType: FeedbackInput['ref_type'], refId: string): Promise<boolean> {
  if (refType === 'recommendation') {
    const [row] = await db
      .select({ id: recommendations.id })
      .from(recommendations)
      .where(and(eq(recommendations.userId, userId), eq(recommendations.id, refId)))
      .limit(1);
    return Boolean(row);
  }
  // Session ids are uuids; anything else cannot name one (and must not reach a uuid cast).
  if (!UUID.test(refId)) return false;
  const [row] = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), eq(sessions.id, refId)))
    .limit(1);
  return Boolean(row);
}

/** `at`: when it was given, for writers of history (the demo, the simulator); the API records the moment. */
export async function recordFeedback(db: Db, userId: string, input: FeedbackInput, at?: Date): Promise<void> {
  if (!(await refExists(db, userId, input.ref_type, input.ref_id))) {
    throw notFound(`${input.ref_type === 'recommendation' ? 'Recommendation' : 'Session'} ${input.ref_id}`, 'ref_id');
  }
  await db.insert(feedbackEvents).values({
    userId,
    refType: input.ref_type,
    refId: input.ref_id,
    helpful: input.helpful,
    notes: input.notes ?? null,
    ...(at ? { createdAt: at } : {}),
  });
}
