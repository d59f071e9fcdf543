import { describe, expect, it } from 'vitest';
import { CLIP_WEIGHT, type LoggedDecision, lastRewardedWeek, offPolicyEstimate } from '@/server/experiments/off-policy';
import { crossFitted } from '@/server/experiments/outcome-model';
import { type ModifierPolicy, type PolicyContext, policyNamed } from '@/server/modifiers/policies';
import { DEFAULT_BOUNDS, type Modifier } from '@/server/modifiers/rules';
import { strengthReward } from '@/server/strength/reward';

const context = (userId: string, week = '2025-03-03', success = 6, trainingWeeks = 10) =>
  ({
    userId,
    exercise: 'Squat',
    week,
    outcomes: [{ sample: 6, successes: success }],
    current: { multiplier: 1, repDelta: 0 },
    exercisePolicy: 'load',
    rpeMean: 8,
    rpeChange: 0,
    trainingWeeks,
    sessionsPerWeek: 2,
    bounds: DEFAULT_BOUNDS,
  }) as unknown as PolicyContext;

const UP: Modifier = { multiplier: 1.025, repDelta: 0 };
const DOWN: Modifier = { multiplier: 0.95, repDelta: 0 };
const up = policyNamed('step@+2.5');

const decision = (lifter: string, taken: Modifier, propensity: number, reward: number): LoggedDecision => ({
  lifter,
  context: context(lifter),
  taken,
  propensity,
  reward,
  stored: true,
});

describe('the reward: estimated strength over the decided week and the three after', () => {
  const readings = [
    { exercise: 'Squat', date: '2025-02-27', level: Math.log(100) },
    { exercise: 'Squat', date: '2025-03-06', level: Math.log(101) },
    { exercise: 'Squat', date: '2025-03-27', level: Math.log(104) },
    { exercise: 'Squat', date: '2025-03-31', level: Math.log(130) },
  ];

  it('is 100 × the change of log strength from the last estimate before the week to the last within four weeks', () => {
    // The reading of 31 March is the fifth week's: outside.
    expect(strengthReward(readings, '2025-03-03')).toBeCloseTo(100 * Math.log(104 / 100), 12);
  });

  it('is 0 for a lifter who stopped (the last estimate is kept), and null without an estimate before the week', () => {
    expect(strengthReward(readings.slice(0, 1), '2025-03-03')).toBe(0);
    expect(strengthReward(readings.slice(1), '2025-03-03')).toBeNull();
  });

  it('is complete for decisions three weeks before the last week with data', () => {
    expect(lastRewardedWeek('2025-03-24')).toBe('2025-03-03');
  });
});

describe('IPS, SNIPS, clipping and the effective sample size on a fixed log', () => {
  // step@+2.5 picks ×1.025: matched in the first and third decisions.
  const logged = [decision('a', UP, 0.5, 3), decision('a', DOWN, 0.5, 1), decision('b', UP, 0.25, -1)];

  it('computes each estimator by hand', () => {
    const e = offPolicyEstimate(up, logged, null)!;
    expect(e.matched).toBe(2);
    expect(e.ips.value).toBeCloseTo((2 * 3 + 4 * -1) / 3, 12);
    expect(e.snips!.value).toBeCloseTo((2 * 3 + 4 * -1) / (2 + 4), 12);
    expect(e.effectiveSampleSize).toBeCloseTo(36 / 20, 12);
    expect(e.clipped).toBe(0);
    expect(e.dr).toBeNull();
    expect(e.thin).toBe(true);
  });

  it('clusters by lifter: the interval of SNIPS is the delta method’s over the two lifters', () => {
    const e = offPolicyEstimate(up, logged, null)!;
    const v = 2 / 6;
    const meanW = 6 / 3;
    const byLifter = [(2 * (3 - v)) / meanW + 0, (4 * (-1 - v)) / meanW];
    const se = Math.sqrt(2 * byLifter.reduce((a, t) => a + t * t, 0)) / 3;
    expect(e.snips!.interval[1] - v).toBeCloseTo(1.959963984540054 * se, 9);
  });

  it('caps a weight above the clip and counts it', () => {
    const rare = [decision('a', UP, 1 / (4 * CLIP_WEIGHT), 2), decision('b', DOWN, 0.5, 0)];
    const e = offPolicyEstimate(up, rare, null)!;
    expect(e.clipped).toBe(1);
    expect(e.ips.value).toBeCloseTo((CLIP_WEIGHT * 2) / 2, 9);
  });

  it('doubly robust with a perfect outcome model is the model’s value whatever the weights', () => {
    const truth = (step: Modifier) => (step.multiplier > 1 ? 2 : 0.5);
    const exact = [decision('a', UP, 0.5, 2), decision('a', DOWN, 0.5, 0.5), decision('b', DOWN, 0.25, 0.5)];
    const e = offPolicyEstimate(up, exact, (_, step) => truth(step))!;
    expect(e.dr!.value).toBeCloseTo(2, 12);
    expect(e.dr!.interval[1] - e.dr!.interval[0]).toBeCloseTo(0, 12);
  });
});

describe('the cross-fitted outcome model', () => {
  // Rewards linear in the load step and the success last week: a least-squares fit recovers them.
  const many = Array.from({ length: 400 }, (_, i) => {
    const lifter = `lifter-${i % 80}`;
    const taken = [UP, DOWN, { multiplier: 1, repDelta: 0 }][i % 3]!;
    const success = 2 + (i % 5);
    const reward = 1 + 20 * (taken.multiplier - 1) + 0.3 * success;
    return { lifter, context: context(lifter, '2025-03-03', success, 4 + (i % 7)), taken, reward };
  });

  it('predicts a decision from the other folds only: its own reward does not move its prediction', () => {
    const fitted = crossFitted(many)!;
    const changed = many.map((d, i) => (i === 0 ? { ...d, reward: d.reward + 1000 } : d));
    expect(crossFitted(changed)!(0, UP)).toBeCloseTo(fitted(0, UP), 6);
    // … and it recovers the rule the rewards follow.
    expect(fitted(0, UP)).toBeCloseTo(1 + 20 * 0.025 + 0.3 * 2, 6);
  });

  it('is not fitted on too few decisions', () => {
    expect(crossFitted(many.slice(0, 20))).toBeNull();
  });
});

describe('a target that never matches', () => {
  it('has no SNIPS and is thin', () => {
    const never: ModifierPolicy = { ...up, id: 'never', decide: (c) => ({ ...up.decide(c), multiplier: 0.5 }) };
    const e = offPolicyEstimate(never, [decision('a', UP, 0.5, 1)], null)!;
    expect(e.snips).toBeNull();
    expect(e.thin).toBe(true);
  });
});
