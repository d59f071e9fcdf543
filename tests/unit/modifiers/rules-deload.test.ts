import { describe, expect, it } from 'vitest';
import {
  DELOAD_PROPOSAL,
  decideWithPlans,
  fatigued,
  type PolicyContext,
  policyNamed,
  rulesDeloadPolicy,
} from '@/server/modifiers/policies';
import { DEFAULT_BOUNDS, RULE_VERSION } from '@/server/modifiers/rules';

/** A context with the last weeks' made sets out of 5, the most recent first. */
const context = (made: number[], over: Partial<PolicyContext> = {}) =>
  ({
    userId: 'u',
    exercise: 'Back Squat',
    week: '2025-03-03',
    outcomes: made.map((m) => ({ sample: 5, successes: m })),
    current: { multiplier: 1.05, repDelta: 0 },
    exercisePolicy: 'load',
    rpeChange: 0,
    plannedDeload: false,
    weeksSincePlannedDeload: null,
    bounds: DEFAULT_BOUNDS,
    ...over,
  }) as PolicyContext;

describe('rules+deload', () => {
  it('is the rule while there are no signs of fatigue', () => {
    for (const c of [context([5, 5]), context([4, 5]), context([1])]) {
      expect(fatigued(c)).toBe(false);
      expect(rulesDeloadPolicy.decide(c)).toEqual(policyNamed('rules').decide(c));
    }
    expect(policyNamed('rules+deload')).toBe(rulesDeloadPolicy);
    expect(rulesDeloadPolicy.id).toBe(`rules+deload@${RULE_VERSION}`);
  });

  it('plans a deload after two failing weeks, or falling success with rising effort, holding the modifier', () => {
    const failing = context([1, 2]);
    const falling = context([3, 5], { rpeChange: 0.5 });
    for (const c of [failing, falling]) {
      expect(fatigued(c)).toBe(true);
      const d = rulesDeloadPolicy.decide(c);
      expect(d).toMatchObject({ multiplier: 1.05, repDelta: 0, action: 'hold', deload: DELOAD_PROPOSAL });
      expect(d.reason).toMatch(/fatigue/);
    }
    // Falling success alone, with the effort unchanged, is not enough.
    expect(fatigued(context([3, 5], { rpeChange: 0.4 }))).toBe(false);
  });

  it('waits four weeks after a deload before planning another', () => {
    expect(fatigued(context([1, 2], { weeksSincePlannedDeload: 3 }))).toBe(false);
    expect(fatigued(context([1, 2], { weeksSincePlannedDeload: 4 }))).toBe(true);
  });

  it('after a planned deload week every policy holds what stood before it', () => {
    const after = context([1, 2], { plannedDeload: true, weeksSincePlannedDeload: 1 });
    for (const name of ['rules', 'rules+deload', 'step@+5', 'hold']) {
      const d = decideWithPlans(policyNamed(name), after);
      expect(d).toMatchObject({ multiplier: 1.05, repDelta: 0, action: 'hold' });
      expect(d.deload).toBeUndefined();
    }
  });
});
