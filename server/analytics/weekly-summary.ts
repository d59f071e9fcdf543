import { addDays } from '@/server/time/calendar';
import { round2 } from './e1rm';
import type { Bodyweight, UserWeek, WeekTotal } from './weekly-series';

/**
 * One row per ISO week (Monday start), as the seed's `weekly_summary` plus volume figures:
 * - `kgDelta`: the last bodyweight known at the end of the week (profile versions by effective date) minus
 *   the last known at the end of the previous week; null when either is unknown;
 * - `avgCalories`: mean of that week's session calories, over sessions that reported them; null when none;
 * - `sessions`, `sets` (done sets), `volumeKg` (Σ weight × reps of done sets).
 */
export interface WeeklySummaryRow {
  weekStart: string;
  kgDelta: number | null;
  avgCalories: number | null;
  sessions: number;
  sets: number;
  volumeKg: number;
}

/** The last reading on or before `date`; `readings` sorted by effective date, later writes last. */
export function bodyweightAt(readings: readonly Bodyweight[], date: string): number | null {
  let found: number | null = null;
  for (const r of readings) {
    if (r.effectiveDate > date) break;
    found = r.weightKg;
  }
  return found;
}

/** Mondays from `startWeek` to `endWeek`, inclusive. */
export function weeksBetween(startWeek: string, endWeek: string): string[] {
  const out: string[] = [];
  for (let w = startWeek; w <= endWeek; w = addDays(w, 7)) out.push(w);
  return out;
}

export function weeklySummary(
  weeks: readonly string[],
  userWeeks: readonly UserWeek[],
  /** Sets and volume per week; rows of one week are summed (per-exercise rows do as well as totals). */
  totals: readonly WeekTotal[],
  bodyweights: readonly Bodyweight[],
): WeeklySummaryRow[] {
  const perUser = new Map(userWeeks.map((u) => [u.weekStart, u]));
  const volume = new Map<string, { sets: number; volume: number }>();
  for (const e of totals) {
    const v = volume.get(e.weekStart) ?? { sets: 0, volume: 0 };
    v.sets += e.sets;
    v.volume += e.volumeKg;
    volume.set(e.weekStart, v);
  }
  return weeks.map((weekStart) => {
    const u = perUser.get(weekStart);
    const end = bodyweightAt(bodyweights, addDays(weekStart, 6));
    const before = bodyweightAt(bodyweights, addDays(weekStart, -1));
    return {
      weekStart,
      kgDelta: end !== null && before !== null ? round2(end - before) : null,
      avgCalories:
        u && u.caloriesCount > 0 && u.caloriesSum !== null ? Math.round(u.caloriesSum / u.caloriesCount) : null,
      sessions: u?.sessions ?? 0,
      sets: volume.get(weekStart)?.sets ?? 0,
      volumeKg: round2(volume.get(weekStart)?.volume ?? 0),
    };
  });
}
