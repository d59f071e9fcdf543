import { describe, expect, it } from 'vitest';
import type { DecisionContext } from '@/server/learning/features';
import { candidateSteps, stepPolicy } from '@/server/learning/model-policy';
import { DELOAD_PROPOSAL, type PolicyContext } from '@/server/modifiers/policies';
import { type Bounds, DEFAULT_BOUNDS, type Modifier } from '@/server/modifiers/rules';

const context = (
  current: Modifier,
  exercisePolicy: 'load' | 'reps' = 'load',
  bounds: Bounds = DEFAULT_BOUNDS,
  weeksSincePlannedDeload: number | null = null,
) =>
  ({
    weeksSincePlannedDeload,
    userId: 'u',
    exercise: 'Squat',
    week: '2025-03-03',
    outcomes: [{ sample: 6, successes: 6 }],
    current,
    exercisePolicy,
    bounds,
  }) as unknown as PolicyContext & DecisionContext;

const label = (m: { multiplier: number; repDelta: number; deload?: unknown }) =>
  `${m.multiplier}/${m.repDelta}${m.deload ? ' deload' : ''}`;

/** Success falls by `slope` per unit of multiplier above 1 and by 0.1 per rep asked above the target. */
const linear =
  (at1: number, slope: number) =>
  (_c: PolicyContext, m: Modifier): number =>
    Math.min(1, at1 - slope * (m.multiplier - 1) - 0.1 * m.repDelta);

describe('candidateSteps', () => {
  it.each([
    [
      'the load ±5 %, ±2.5 % or held',
      { multiplier: 1, repDelta: 0 },
      'load',
      DEFAULT_BOUNDS,
      ['0.95/0', '0.975/0', '1/0', '1.025/0', '1.05/0', '1/0 deload'],
    ],
    [
      'clamped to the bounds, without duplicates',
      { multiplier: 1.24, repDelta: 0 },
      'load',
      DEFAULT_BOUNDS,
      ['1.178/0', '1.209/0', '1.24/0', '1.25/0', '1.24/0 deload'],
    ],
    [
      'a rep fewer under the reps policy',
      { multiplier: 1, repDelta: -1 },
      'reps',
      DEFAULT_BOUNDS,
      ['0.95/-1', '0.975/-1', '1/-1', '1.025/-1', '1.05/-1', '1/-2', '1/0', '1/-1 deload'],
    ],
    [
      'no rep fewer at the floor; a rep back',
      { multiplier: 1, repDelta: -3 },
      'reps',
      DEFAULT_BOUNDS,
      ['0.95/-3', '0.975/-3', '1/-3', '1.025/-3', '1.05/-3', '1/-2', '1/-3 deload'],
    ],
  ] as const)('%s', (_what, current, policy, bounds, expected) => {
    expect(candidateSteps(context(current, policy, bounds)).map(label)).toEqual(expected);
  });

  it('a deload week only when the exercise had none in the last 4 weeks', () => {
    const at = (weeks: number | null) =>
      candidateSteps(context({ multiplier: 1, repDelta: 0 }, 'load', DEFAULT_BOUNDS, weeks));
    expect(at(3).map(label)).not.toContain('1/0 deload');
    expect(at(4).map(label)).toContain('1/0 deload');
    expect(at(4).find((m) => m.deload)?.deload).toEqual(DELOAD_PROPOSAL);
  });
});

describe('stepPolicy and the deload step', () => {
  const current = { multiplier: 1.1, repDelta: 0 };
  const policy = (gainOfDeload: number, pOfDeload = 0.95) =>
    stepPolicy({
      id: 'm',
      label: 'm',
      target: 0.8,
      pSuccess: (_c, m) => (m.deload ? pOfDeload : 0.85),
      gain: (_c, m) => (m.deload ? gainOfDeload : 0.5 + (m.multiplier - 1)),
    });

  it('takes the deload when it promises the most strength within the bound, and says so', () => {
    const d = policy(2).decide(context(current));
    expect(d).toMatchObject({ multiplier: 1.1, repDelta: 0, action: 'hold', deload: DELOAD_PROPOSAL });
    expect(d.reason).toMatch(/a deload week \(load ×0\.8, sets ×0\.6\)/);
  });

  it('not when a load step promises more, nor when the deload misses the bound', () => {
    expect(policy(0.1).decide(context(current)).deload).toBeUndefined();
    expect(policy(2, 0.5).decide(context(current)).deload).toBeUndefined();
  });
});

describe('stepPolicy: the largest load that reaches the target, else the likeliest step', () => {
  it.each([
    // at ×1: p; each +1 of multiplier costs `slope`
    [
      'raises to the largest step reaching 80 %',
      0.9,
      4,
      'load',
      1.025,
      0,
      'increase',
      /^m: p\(success\) 0\.80 at ×1\.025 ≥ 80%$/,
    ],
    ['holds when only the current load reaches it', 0.81, 4, 'load', 1, 0, 'hold', /p\(success\) 0\.81 at ×1\.000/],
    [
      'backs off to the first step that reaches it',
      0.7,
      4,
      'load',
      0.975,
      0,
      'decrease',
      /p\(success\) 0\.80 at ×0\.975/,
    ],
    [
      'takes the likeliest step when none reaches it',
      0.5,
      4,
      'load',
      0.95,
      0,
      'decrease',
      /^m: no step reaches 80%; the likeliest is ×0\.950 \(p 0\.70\)$/,
    ],
    [
      'may take a rep off under the reps policy',
      0.75,
      0,
      'reps',
      1,
      -1,
      'reduce_reps',
      /p\(success\) 0\.85 at ×1\.000, -1 reps ≥ 80%$/,
    ],
  ] as const)('%s', (_what, at1, slope, policy, multiplier, repDelta, action, reason) => {
    const d = stepPolicy({ id: 'x', label: 'm', target: 0.8, pSuccess: linear(at1, slope) }).decide(
      context({ multiplier: 1, repDelta: 0 }, policy),
    );
    expect([d.multiplier, d.repDelta, d.action]).toEqual([multiplier, repDelta, action]);
    expect(d.reason).toMatch(reason);
    expect(d.pSuccess).toBeCloseTo(linear(at1, slope)(context({ multiplier: 1, repDelta: 0 }), d), 12);
  });
});

describe('stepPolicy with a gain: the largest expected gain within the risk bound', () => {
  // Gain rises with load up to ×1.025, then falls (too heavy a week costs more than it builds); a rep back gains most.
  const gain = (_: unknown, m: { multiplier: number; repDelta: number }) =>
    (m.repDelta > -1 ? 2 : 0) + 1 - 400 * (m.multiplier - 1.025) ** 2;

  it('takes the step of largest gain among those reaching the target, not the largest load', () => {
    const d = stepPolicy({ id: 'x', label: 'm', target: 0.6, pSuccess: linear(0.9, 4), gain }).decide(
      context({ multiplier: 1, repDelta: 0 }),
    );
    expect([d.multiplier, d.repDelta]).toEqual([1.025, 0]);
    expect(d.reason).toMatch(/^m: expected strength \+3\.00 % over 4 weeks, p\(success\) 0\.80 at ×1\.025 ≥ 60%$/);
  });

  it('never takes a step past the risk bound, however much it is expected to gain', () => {
    const d = stepPolicy({ id: 'x', label: 'm', target: 0.85, pSuccess: linear(0.9, 4), gain }).decide(
      context({ multiplier: 1, repDelta: 0 }),
    );
    expect(d.multiplier).toBeLessThan(1.025);
    expect(linear(0.9, 4)(context({ multiplier: 1, repDelta: 0 }), d)).toBeGreaterThanOrEqual(0.85);
  });

  it('gives a rep back when that is expected to gain most', () => {
    const d = stepPolicy({ id: 'x', label: 'm', target: 0.5, pSuccess: () => 0.9, gain }).decide(
      context({ multiplier: 1.025, repDelta: -1 }, 'reps'),
    );
    expect([d.multiplier, d.repDelta, d.action]).toEqual([1.025, 0, 'restore_reps']);
  });
});
