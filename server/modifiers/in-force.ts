import { sql } from 'drizzle-orm';
import { type Db, rows } from '@/db/client';
import type { Modifier } from './rules';

/** A modifier row as it stands for one user and exercise. */
export interface InForce extends Modifier {
  userId: string;
  exercise: string;
  weekStart: string;
  source: 'auto' | 'coach';
  ruleVersion: string;
  reason: string;
  createdAt: Date;
}

/**
 * The modifiers in force in `week` for these users: per exercise, the row of the latest week on or before it;
 * within that week a coach's override beats the job, and a later override beats an earlier one.
 */
export async function modifiersInForce(db: Db, userIds: readonly string[], week: string): Promise<InForce[]> {
  if (userIds.length === 0) return [];
  const result = await rows<Record<string, unknown>>(
    db,
    sql`select distinct on (user_id, exercise)
               user_id, exercise, multiplier, rep_delta, week_start::text as week_start, source::text as source,
               rule_version, reason, created_at
        from adaptive_modifiers
        where user_id in (${sql.join(
          userIds.map((u) => sql`${u}`),
          sql`, `,
        )}) and week_start <= ${week}::date
        order by user_id, exercise, week_start desc, (source = 'coach') desc, created_at desc, id desc`,
  );
  return result.map((r) => ({
    userId: r.user_id as string,
    exercise: r.exercise as string,
    multiplier: Number(r.multiplier),
    repDelta: Number(r.rep_delta),
    weekStart: r.week_start as string,
    source: r.source as 'auto' | 'coach',
    ruleVersion: r.rule_version as string,
    reason: r.reason as string,
    createdAt: new Date(r.created_at as string | Date),
  }));
}
