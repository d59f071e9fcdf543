import { and, desc, eq, lte, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { preparedStatement } from '@/db/prepared';
import { adaptiveModifiers as m } from '@/db/schema';
import type { Modifier } from './rules';

/** A modifier row as it stands for one lifter and exercise. */
export interface InForce extends Modifier {
  exercise: string;
  /** The week the row was written for (carried forward until a newer one). */
  weekStart: string;
  source: 'auto' | 'coach';
  ruleVersion: string;
  /** The policy that decided the row (`coach` for an override). */
  policy: string;
  reason: string;
  /** When the row was written, ISO 8601 in UTC. */
  computedAt: string;
}

const userId = sql.placeholder('userId');
const week = sql.placeholder('week');

/**
 * Per exercise, the row of the latest week on or before `week`; within that week a coach's override beats the
 * job, and a later override beats an earlier one. Prepared: the overlay asks this on every app start.
 */
const inForceRead = preparedStatement<InForce, { userId: string; week: string }>(
  () => sql`select distinct on (${m.exercise})
      ${m.exercise} as "exercise", ${m.multiplier} as "multiplier", ${m.repDelta} as "repDelta",
      ${m.weekStart} as "weekStart", ${m.source} as "source", ${m.ruleVersion} as "ruleVersion",
      ${m.policy} as "policy", ${m.reason} as "reason",
      to_char(${m.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "computedAt"
    from ${m}
    where ${and(eq(m.userId, userId), lte(m.weekStart, week))}
    order by ${sql.join([m.exercise, desc(m.weekStart), desc(sql`${m.source} = 'coach'`), desc(m.createdAt), desc(m.id)], sql`, `)}`,
);

/** The modifiers in force for a lifter in `week` (a Monday), by exercise name. */
export async function modifiersInForce(db: Db, lifter: string, inWeek: string): Promise<InForce[]> {
  const rows = await inForceRead(db, { userId: lifter, week: inWeek });
  return rows.sort((a, b) => a.exercise.localeCompare(b.exercise));
}
