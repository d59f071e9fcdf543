import type { Db } from '@/db/client';
import { todayFor } from '@/server/analytics/service';
import type { OverlayResponse } from '@/server/contracts/modifiers';
import { isoWeekStart } from '@/server/time/calendar';
import { modifiersInForce } from './in-force';
import { RULE_VERSION } from './rules';

/**
 * What the client applies this week on top of its rules-only recommendation, per exercise: weight × multiplier
 * and reps + rep_delta. Exercises without a row are neutral (1.0, 0).
 */
export async function overlayFor(db: Db, userId: string, now: Date): Promise<OverlayResponse> {
  const week = isoWeekStart(await todayFor(db, userId, now));
  const rows = await modifiersInForce(db, [userId], week);
  return {
    user_id: userId,
    week_start: week,
    rule_version: RULE_VERSION,
    modifiers: rows
      .sort((a, b) => a.exercise.localeCompare(b.exercise))
      .map((m) => ({
        exercise: m.exercise,
        multiplier: m.multiplier,
        rep_delta: m.repDelta,
        week_start: m.weekStart,
        source: m.source,
        reason: m.reason,
        rule_version: m.ruleVersion,
        computed_at: m.createdAt.toISOString(),
      })),
  };
}
