import { describe, expect, it } from 'vitest';
import { rulesPolicy } from '@/server/modifiers/policies';
import { drawLifters } from '@/server/simulation/lifters';
import { simulateLifter, type WorldSet } from '@/server/simulation/world';
import { type DayInput, filterDays, pointOf } from '@/server/strength/estimate';
import { dayEvidence } from '@/server/strength/observations';

/**
 * The estimate on the realistic simulator's lifters (their own rep curves, RPE habits, readiness, fatigue): a typo
 * and a deload week, planted in their real histories, against the same history without them.
 */
interface Day {
  date: string;
  sets: WorldSet[];
}

/** Each lifter-exercise's days with sets, from 60 simulated lifters under the rule for 16 weeks. */
const histories: Day[][] = drawLifters(60, 31).flatMap((lifter) => {
  const world = simulateLifter(lifter, { startWeek: '2025-01-06', weeks: 16, seed: 31, policy: rulesPolicy });
  const byLift = new Map<string, Day[]>();
  for (const session of world.sessions) {
    for (const set of session.sets) {
      const days = byLift.get(set.exercise) ?? [];
      const date = session.date.slice(0, 10);
      if (days.at(-1)?.date !== date) days.push({ date, sets: [] });
      days.at(-1)!.sets.push(set);
      byLift.set(set.exercise, days);
    }
  }
  return [...byLift.values()].filter((days) => days.length >= 10);
});

const inputs = (days: readonly Day[]): DayInput[] =>
  days.map((d) => ({
    date: d.date,
    evidence: dayEvidence(
      d.sets.map((s) => ({
        weight: s.actual_weight,
        reps: s.actual_reps,
        rpe: s.intensity,
        failed: s.actual_reps < s.rec_reps,
      })),
    ),
  }));
const estimate = (days: readonly Day[]) => pointOf('', filterDays(inputs(days)).at(-1)!.filtered).estimateKg;
const change = (a: number, b: number) => Math.abs(a / b - 1);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('the estimate on realistic lifters', () => {
  it('has histories enough to say something', () => {
    expect(histories.length).toBeGreaterThan(80);
  });

  it('moves less than 1 % for a 10× typo in the last session, rated or not, for 95 % of the histories', () => {
    const moved = histories.map((days) => {
      const typo = structuredClone(days);
      const last = typo.at(-1)!.sets;
      last.push({ ...last[0]!, set_number: 99, actual_weight: last[0]!.actual_weight * 10 });
      return change(estimate(typo), estimate(days));
    });
    expect(moved.filter((m) => m < 0.01).length / moved.length).toBeGreaterThanOrEqual(0.95);
  });

  it('moves less than 2 % over a deload week (60 %, unrated, every set made), where the week’s best e1RM falls by a third', () => {
    const moved = histories.map((days) => {
      const k = days.length - 3;
      const deload = structuredClone(days);
      for (const set of deload[k]!.sets) {
        Object.assign(set, { actual_weight: Math.round(set.actual_weight * 0.6), intensity: null });
        set.actual_reps = set.rec_reps;
      }
      return change(estimate(deload.slice(0, k + 1)), estimate(days.slice(0, k)));
    });
    expect(median(moved)).toBeLessThan(0.02);
    expect(moved.filter((m) => m < 0.02).length / moved.length).toBeGreaterThanOrEqual(0.8);
  });
});
