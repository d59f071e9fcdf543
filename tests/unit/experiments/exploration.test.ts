import jStat from 'jstat';
import { describe, expect, it } from 'vitest';
import { explorationSteps, exploringPolicy, propensityOf } from '@/server/experiments/exploration';
import { holdPolicy, type PolicyContext, rulesPolicy } from '@/server/modifiers/policies';
import { DEFAULT_BOUNDS, type Modifier } from '@/server/modifiers/rules';

const context = (userId: string, current: Modifier = { multiplier: 1, repDelta: 0 }, success = 6) =>
  ({
    userId,
    exercise: 'Squat',
    week: '2025-03-03',
    outcomes: [
      { sample: 6, successes: success },
      { sample: 6, successes: success },
    ],
    current,
    exercisePolicy: 'load',
    bounds: DEFAULT_BOUNDS,
  }) as unknown as PolicyContext;

const key = (m: Modifier) => `${m.multiplier}/${m.repDelta}`;

describe('exploration steps and propensities', () => {
  it.each([
    ['a choice on the grid adds nothing', { multiplier: 1.025, repDelta: 0 }, 5],
    ['a choice off the grid (a rep restored) is added', { multiplier: 1, repDelta: 1 }, 6],
  ])('%s', (_name, chosen, n) => {
    const steps = explorationSteps(context('u'), chosen);
    expect(steps).toHaveLength(n);
    expect(steps.map(key)).toContain(key(chosen));
  });

  it.each([0.1, 0.3, 0.5])('sum to one over the steps, with the choice at 1 − ε + ε/K (ε %s)', (epsilon) => {
    const chosen = { multiplier: 1.025, repDelta: 0 };
    const steps = explorationSteps(context('u'), chosen);
    const ps = steps.map((s) => propensityOf(s, chosen, steps, epsilon));
    expect(ps.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(propensityOf(chosen, chosen, steps, epsilon)).toBeCloseTo(1 - epsilon + epsilon / 5, 12);
    expect(propensityOf({ multiplier: 0.5, repDelta: 0 }, chosen, steps, epsilon)).toBe(0);
  });
});

describe('exploringPolicy', () => {
  it('is the policy itself at ε = 0', () => {
    expect(exploringPolicy(rulesPolicy, 0, 'salt')).toBe(rulesPolicy);
  });

  it('draws the same step for the same decision, whatever the order decisions come in', () => {
    const policy = exploringPolicy(rulesPolicy, 0.5, 'salt');
    const ids = Array.from({ length: 50 }, (_, i) => `u${i}`);
    const first = ids.map((id) => key(policy.decide(context(id))));
    const again = [...ids].reverse().map((id) => key(policy.decide(context(id))));
    expect(again.reverse()).toEqual(first);
  });

  it('explores in a share ε of decisions, uniformly over the steps, and logs each decision’s propensity', () => {
    const epsilon = 0.3;
    const n = 20_000;
    const policy = exploringPolicy(holdPolicy, epsilon, 'exp-salt');
    const counts = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const d = policy.decide(context(`lifter-${i}`));
      counts.set(key(d), (counts.get(key(d)) ?? 0) + 1);
      const expected = key(d) === '1/0' ? 1 - epsilon + epsilon / 5 : epsilon / 5;
      expect(d.propensity).toBeCloseTo(expected, 12);
      if (key(d) !== '1/0') expect(d.reason).toMatch(/explored/);
    }
    // The frequencies match the propensities (chi-square, 4 degrees of freedom).
    const expected = new Map([
      ['0.95/0', epsilon / 5],
      ['0.975/0', epsilon / 5],
      ['1/0', 1 - epsilon + epsilon / 5],
      ['1.025/0', epsilon / 5],
      ['1.05/0', epsilon / 5],
    ]);
    let chi = 0;
    for (const [k, p] of expected) chi += ((counts.get(k) ?? 0) - n * p) ** 2 / (n * p);
    expect([...counts.keys()].sort()).toEqual([...expected.keys()].sort());
    expect(1 - jStat.chisquare.cdf(chi, 4)).toBeGreaterThan(0.001);
  });
});
