import { addDays } from '@/server/time/calendar';
import type { StrengthReading } from './fold';

/**
 * What one week's decision earns a lifter: the change of their estimated strength in the exercise over the decided
 * week and the three after (×100 log ≈ %), intention to treat — a lifter who stops keeps their last estimate, so a
 * step that drives lifters away earns nothing. The off-policy estimates and the model's gain head read the same.
 */
export const REWARD_WEEKS = 4;

/**
 * Change of one exercise's estimated log strength from before `week` to the end of the reward's weeks, × 100;
 * null without an estimate before the week. `readings`: that exercise's, by date.
 */
export function strengthReward(readings: readonly StrengthReading[], week: string): number | null {
  const end = addDays(week, 7 * REWARD_WEEKS);
  let before: number | undefined;
  let last: number | undefined;
  for (const r of readings) {
    if (r.date >= end) break;
    if (r.date < week) before = r.level;
    last = r.level;
  }
  return before === undefined ? null : 100 * (last! - before);
}
