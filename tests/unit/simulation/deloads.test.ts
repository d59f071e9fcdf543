import { describe, expect, it } from 'vitest';
import { DELOAD_PROPOSAL, policyNamed } from '@/server/modifiers/policies';
import { drawLifters } from '@/server/simulation/lifters';
import { simulateLifter } from '@/server/simulation/world';
import { addDays } from '@/server/time/calendar';

/**
 * `rules+deload` in the simulated world: the deloads it plans are served — fewer sets at a lighter load — the week
 * after holds the modifier from before, and with no signs of fatigue it is the rule, draw for draw.
 */
describe('planned deloads in the simulator', () => {
  const start = '2025-01-06';
  const lifters = drawLifters(60, 4);
  const worlds = lifters.map((l) => ({
    rules: simulateLifter(l, { startWeek: start, weeks: 20, seed: 4, policy: policyNamed('rules') }),
    deload: simulateLifter(l, { startWeek: start, weeks: 20, seed: 4, policy: policyNamed('rules+deload') }),
  }));

  it('serves each planned deload with the proposed share of sets at a lighter prescription', () => {
    let served = 0;
    for (const { deload } of worlds) {
      const { lifter, history } = deload;
      for (const [exercise, weeks] of history.plannedDeloads) {
        for (const week of weeks) {
          const inWeek = (date: string) => date >= week && date < addDays(week, 7);
          const sessions = deload.sessions.filter((s) => inWeek(s.date.slice(0, 10)));
          for (const s of sessions) {
            const sets = s.sets.filter((x) => x.exercise === exercise);
            if (sets.length === 0) continue;
            served++;
            expect(sets).toHaveLength(Math.max(1, Math.round(lifter.program.sets * DELOAD_PROPOSAL.setFactor)));
            const before = history.modifiers.find((m) => m.exercise === exercise && m.weekStart === week)!;
            // The modifier holds through the deload and the week after it.
            const after = history.modifiers.find((m) => m.exercise === exercise && m.weekStart === addDays(week, 7));
            if (after) expect(after.multiplier).toBe(before.multiplier);
          }
        }
      }
    }
    expect(served).toBeGreaterThan(10);
  });

  it('a lifter who never shows fatigue lives the same weeks as under the rule', () => {
    const calm = worlds.filter((w) => w.deload.history.plannedDeloads.size === 0);
    expect(calm.length).toBeGreaterThan(5);
    for (const { rules, deload } of calm) expect(deload.truth).toEqual(rules.truth);
    // …and one who deloaded does not (the control: the comparison can fail).
    const deloaded = worlds.find((w) => w.deload.history.plannedDeloads.size > 0)!;
    expect(deloaded.deload.truth).not.toEqual(deloaded.rules.truth);
  });
});
