import type { Db } from '@/db/client';
import { thisWeekFor } from '@/server/time/lifter-calendar';
import { modifiersInForce } from './in-force';
import { RULE_VERSION } from './rules';
import { servingPolicyName } from './serving';

export interface OverlayModifier {
  exercise: string;
  multiplier: number;
  repDelta: number;
  /** The week the row was written for (carried forward until a newer one). */
  weekStart: string;
  source: 'auto' | 'coach';
  reason: string;
  ruleVersion: string;
  /** The policy that decided the row (`coach` for an override). */
  policy: string;
  /** When the row was written, ISO 8601. */
  computedAt: string;
}

export interface Overlay {
  userId: string;
  /** This ISO week, in the lifter's time zone. */
  weekStart: string;
  ruleVersion: string;
  /** The policy that decides this lifter's modifiers from now on. */
  policy: string;
  modifiers: OverlayModifier[];
}

/**
 * What the client applies this week on top of its rules-only recommendation, per exercise: weight × multiplier
 * and reps + rep delta. Exercises without a row are neutral (1.0, 0).
 */
export async function overlayFor(db: Db, userId: string, now: Date): Promise<Overlay> {
  const week = await thisWeekFor(db, userId, now);
  const rows = await modifiersInForce(db, [userId], week);
  return {
    userId,
    weekStart: week,
    ruleVersion: RULE_VERSION,
    policy: servingPolicyName(userId),
    modifiers: rows
      .sort((a, b) => a.exercise.localeCompare(b.exercise))
      .map((m) => ({
        exercise: m.exercise,
        multiplier: m.multiplier,
        repDelta: m.repDelta,
        weekStart: m.weekStart,
        source: m.source,
        reason: m.reason,
        ruleVersion: m.ruleVersion,
        policy: m.policy,
        computedAt: m.createdAt.toISOString(),
      })),
  };
}
