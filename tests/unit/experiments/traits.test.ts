import { describe, expect, it } from 'vitest';
import { type AnalysisUnit, analyse } from '@/server/experiments/analysis';
import type { LifterOutcome } from '@/server/experiments/outcomes';
import { type LifterTraits, traitsOf } from '@/server/experiments/traits';
import { seededRandom } from '@/server/random';

const r = (exercise: string, date: string, kg: number) => ({ exercise, date, level: Math.log(kg) });
const FROM = '2026-03-02';

describe('traitsOf: training level and sex at the lifter’s start', () => {
  const man = { weightKg: 90, sex: 'male' };

  it('each lift’s last estimate before the start decides, not a later one', () => {
    // Squat 120 → intermediate, bench 90 → intermediate (bounds 0.98 × 90 = 88 kg), deadlift 125 → novice.
    const readings = [
      r('Back Squat', '2026-02-20', 110),
      r('Back Squat', '2026-02-27', 120),
      r('Back Squat', '2026-03-20', 200),
      r('Bench Press', '2026-02-25', 90),
      r('Deadlift', '2026-02-26', 125),
    ];
    expect(traitsOf(readings, man, FROM)).toEqual({ level: 'intermediate', sex: 'male' });
  });

  it('a lift first logged after the start counts from its first estimate; one older than 8 weeks does not', () => {
    const readings = [r('Back Squat', '2025-12-01', 200), r('Back Squat', '2026-03-03', 100)];
    expect(traitsOf(readings, man, FROM).level).toBe('novice');
  });

  it('without a bodyweight or a sex given, no level; "other" is in no sex subgroup', () => {
    const readings = [r('Back Squat', '2026-02-27', 120)];
    expect(traitsOf(readings, { weightKg: null, sex: 'male' }, FROM)).toEqual({ level: null, sex: 'male' });
    expect(traitsOf(readings, { weightKg: 80, sex: 'other' }, FROM)).toEqual({ level: null, sex: null });
    expect(traitsOf(readings, null, FROM)).toEqual({ level: null, sex: null });
  });
});

describe('the primary metric by subgroup', () => {
  const ARMS = [
    { name: 'control', policy: 'rules', weight: 0.5 },
    { name: 'treatment', policy: 'hold', weight: 0.5 },
  ];
  const outcome = (strengthProgression: number): LifterOutcome => ({
    strengthProgression,
    strengthMeasured: true,
    progression: null,
    sample: 10,
    successes: 8,
    sessions: 6,
    weeks: 3,
    answers: 0,
    notHelpful: 0,
    dropout: 0,
    overrides: 0,
  });
  // 3,000 lifters: the treatment adds 0.5 %/week for novices only; half are women.
  const rand = seededRandom(8);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const levels = ['novice', 'intermediate', 'advanced'] as const;
  const units: AnalysisUnit[] = Array.from({ length: 3000 }, (_, i) => {
    const arm = i % 2;
    const traits: LifterTraits = { level: levels[Math.floor(i / 2) % 3]!, sex: i % 4 < 2 ? 'female' : 'male' };
    const effect = arm === 1 && traits.level === 'novice' ? 0.5 : 0;
    return { arm, exposed: true, pre: outcome(normal()), post: outcome(normal() + effect), traits };
  });
  const a = analyse({ arms: ARMS, units, primary: 'strength_progression', guardrails: [] });
  const of = (group: string) => a.subgroups.find((g) => g.group === group)!;

  it('finds the effect where it is and not where it is not, with Bonferroni-corrected intervals', () => {
    expect(a.subgroups.map((g) => g.group)).toEqual(['novice', 'intermediate', 'advanced', 'female', 'male']);
    expect(a.subgroups.every((g) => g.alpha === 0.01)).toBe(true);
    const novice = of('novice').primary.comparisons[0]!.result!;
    expect(novice.alwaysValid[0]).toBeGreaterThan(0);
    for (const g of ['intermediate', 'advanced']) {
      const c = of(g).primary.comparisons[0]!.result!;
      expect(c.alwaysValid[0]).toBeLessThan(0);
      expect(c.alwaysValid[1]).toBeGreaterThan(0);
    }
    expect(of('female').primary.arms.map((x) => x.n)).toEqual([750, 750]);
  });

  it('the corrected interval is wider than one subgroup alone would get', () => {
    const c = of('novice').primary.comparisons[0]!.result!;
    const alone = analyse({
      arms: ARMS,
      units: units.filter((u) => u.traits?.level === 'novice'),
      primary: 'strength_progression',
      guardrails: [],
    }).primary.comparisons[0]!.result!;
    expect(c.difference).toBeCloseTo(alone.difference, 12);
    expect(c.alwaysValid[1] - c.alwaysValid[0]).toBeGreaterThan(alone.alwaysValid[1] - alone.alwaysValid[0]);
  });
});
