import { describe, expect, it } from 'vitest';
import { experimentInput } from '@/server/contracts/experiments';
import { type PolicyContext, policyNamed, UnknownPolicyError } from '@/server/modifiers/policies';
import { DEFAULT_BOUNDS, type Modifier } from '@/server/modifiers/rules';

const context = (current: Modifier, success: number) =>
  ({
    userId: 'u',
    exercise: 'Back Squat',
    week: '2026-03-02',
    outcomes: [{ sample: 6, successes: success }],
    current,
    exercisePolicy: 'load',
    bounds: DEFAULT_BOUNDS,
  }) as unknown as PolicyContext;

describe('research step policies', () => {
  it.each([
    ['step@+5', 1, 1.05, 'increase'],
    ['step@+2.5', 1.1, 1.1275, 'increase'],
    ['step@-2.5', 1, 0.975, 'decrease'],
    ['step@+10', 1.2, DEFAULT_BOUNDS.max, 'increase'],
    ['step@-10', 0.85, DEFAULT_BOUNDS.min, 'decrease'],
  ] as const)('%s from ×%s → ×%s, whatever the week was', (name, from, to, action) => {
    for (const success of [0, 3, 6]) {
      const d = policyNamed(name).decide(context({ multiplier: from, repDelta: -1 }, success));
      expect([d.multiplier, d.repDelta, d.action]).toEqual([to, -1, action]);
      expect(d.reason).toContain(name);
    }
    expect(policyNamed(name).id).toBe(name);
  });

  it.each(['step@5', 'step@+11', 'step@+10.5', 'step@+2.555', 'step@', 'steps@+5'])('refuses %s', (name) => {
    expect(() => policyNamed(name)).toThrow(UnknownPolicyError);
    const arms = [
      { name: 'control', policy: 'rules', weight: 0.5 },
      { name: 'step', policy: name, weight: 0.5 },
    ];
    expect(experimentInput.safeParse({ key: 'k', hypothesis: 'h', arms }).success).toBe(false);
  });

  it('is an experiment arm like any policy', () => {
    const arms = [
      { name: 'control', policy: 'rules', weight: 0.5 },
      { name: 'faster', policy: 'step@+5', weight: 0.5 },
    ];
    expect(experimentInput.safeParse({ key: 'k', hypothesis: 'h', arms }).success).toBe(true);
  });
});
