import { describe, expect, it } from 'vitest';
import { decide, holm, marginsWith, NON_INFERIORITY_MARGINS, type Question } from '@/server/experiments/decisions';
import { type Comparison, sequentialHalfwidth } from '@/server/experiments/statistics';

describe('Holm’s step-down adjustment', () => {
  it('matches R’s p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm")', () => {
    const got = holm([0.01, 0.04, 0.03, 0.005]);
    for (const [i, p] of [0.03, 0.06, 0.06, 0.02].entries()) expect(got[i]).toBeCloseTo(p, 12);
  });

  it('never lowers a p-value, keeps their order, and caps at 1', () => {
    const ps = [0.2, 0.001, 0.5, 0.04, 0.9];
    const got = holm(ps);
    for (const [i, q] of got.entries()) expect(q).toBeGreaterThanOrEqual(ps[i]!);
    expect(Math.max(...got)).toBeLessThanOrEqual(1);
    const byP = ps.map((p, i) => [p, got[i]!] as const).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < byP.length; i++) expect(byP[i]![1]).toBeGreaterThanOrEqual(byP[i - 1]![1]);
  });
});

/** A comparison of 2,000 lifters tuned to 2,000, with this difference and standard error. */
const comparison = (difference: number, standardError: number): Comparison => {
  const half = sequentialHalfwidth(standardError, 2000, 0.05, 2000);
  return {
    difference,
    standardError,
    interval: [difference - 1.96 * standardError, difference + 1.96 * standardError],
    pValue: 0.5,
    alwaysValid: [difference - half, difference + half],
    n: 2000,
    tuning: 2000,
  };
};

describe('decide: superiority for the primary, non-inferiority against the margins for guardrails', () => {
  const q = (metric: Question['metric'], better: 'higher' | 'lower', difference: number, se = 0.005): Question => ({
    metric,
    better,
    primary: metric === 'strength_progression',
    result: comparison(difference, se),
  });

  it('the margins are the documented defaults', () => {
    expect(NON_INFERIORITY_MARGINS).toMatchObject({
      dropout: 0.02,
      sessions_per_week: 0.1,
      not_helpful_share: 0.05,
      success_rate: 0.05,
    });
  });

  it.each([
    ['a primary clearly above 0 passes superiority', q('strength_progression', 'higher', 0.1), 0, true, false],
    ['a primary clearly below 0 is harmful', q('strength_progression', 'higher', -0.1), 0, false, true],
    ['success rate 2 points lower: within its 5-point margin', q('success_rate', 'higher', -0.02), -0.05, true, false],
    ['success rate 9 points lower: past it', q('success_rate', 'higher', -0.09), -0.05, false, true],
    ['dropout 1 point higher: within its 2-point margin', q('dropout', 'lower', 0.01, 0.001), 0.02, true, false],
    ['dropout 5 points higher: past it', q('dropout', 'lower', 0.05, 0.001), 0.02, false, true],
    ['dropout at its margin: neither shown', q('dropout', 'lower', 0.02, 0.001), 0.02, false, false],
  ])('%s', (_name, question, nullValue, passed, harmful) => {
    const [d] = decide([question]);
    expect(d).toMatchObject({ nullValue, passed, harmful });
  });

  it('an experiment’s own margin replaces the default: dropout 5 points higher is within a 10-point margin', () => {
    const question = q('dropout', 'lower', 0.05, 0.001);
    expect(decide([question])[0]).toMatchObject({ nullValue: 0.02, passed: false, harmful: true });
    const own = marginsWith({ dropout: 0.1 });
    expect(own).toEqual({ ...NON_INFERIORITY_MARGINS, dropout: 0.1 });
    expect(decide([question], undefined, own)[0]).toMatchObject({ nullValue: 0.1, passed: true, harmful: false });
  });

  it('Holm counts every test: a pass alone at p ≈ 0.03 fails among five', () => {
    // A primary just inside its sequence at α = 0.05 …
    const half = sequentialHalfwidth(0.01, 2000, 0.05, 2000);
    const edge: Question = {
      metric: 'strength_progression',
      better: 'higher',
      primary: true,
      result: comparison(half * 1.05, 0.01),
    };
    const [alone] = decide([edge]);
    expect(alone!.pValue).toBeLessThan(0.05);
    expect(alone!.passed).toBe(true);
    // … is not a pass beside four other tests that each pass narrowly too.
    const many = decide([edge, edge, edge, edge, edge]);
    expect(many.every((d) => d.holmPValue > 0.05 && !d.passed)).toBe(true);
  });

  it('a comparison with too few lifters decides nothing', () => {
    const [d] = decide([{ metric: 'dropout', better: 'lower', primary: false, result: null }]);
    expect(d).toMatchObject({ pValue: 1, passed: false, harmful: false });
  });
});
