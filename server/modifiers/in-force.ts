import { and, desc, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { adaptiveModifiers } from '@/db/schema';
import type { Modifier } from './rules';

/** A modifier row as it stands for one user and exercise. */
export interface InForce extends Modifier {
  userId: string;
  exercise: string;
  weekStart: string;
  source: 'auto' | 'coach';
  ruleVersion: string;
  policy: string;
  reason: string;
  createdAt: Date;
}

/**
 * The modifiers in force in `week` for these users: per exercise, the row of the latest week on or before it;
 * within that week a coach's override beats the job, and a later override beats an earlier one.
 */
export async function modifiersInForce(db: Db, userIds: readonly string[], week: string): Promise<InForce[]> {
  if (userIds.length === 0) return [];
  const m = adaptiveModifiers;
  return db
    .selectDistinctOn([m.userId, m.exercise], {
      userId: m.userId,
      exercise: m.exercise,
      multiplier: m.multiplier,
      repDelta: m.repDelta,
      weekStart: m.weekStart,
      source: m.source,
      ruleVersion: m.ruleVersion,
      policy: m.policy,
      reason: m.reason,
      createdAt: m.createdAt,
    })
    .from(m)
    .where(and(inArray(m.userId, [...userIds]), lte(m.weekStart, week)))
    .orderBy(m.userId, m.exercise, desc(m.weekStart), desc(sql`${m.source} = 'coach'`), desc(m.createdAt), desc(m.id));
}
