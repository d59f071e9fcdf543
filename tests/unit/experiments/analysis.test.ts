import { describe, expect, it } from 'vitest';
import { type AnalysisUnit, analyse, attritionCheck, metricResult, plan } from '@/server/experiments/analysis';
import type { LifterOutcome } from '@/server/experiments/outcomes';
import { seededRandom } from '@/server/random';

const ARMS = [
  { name: 'control', policy: 'rules', weight: 0.5 },
  { name: 'treatment', policy: 'model@1', weight: 0.5 },
];

const outcome = (o: Partial<LifterOutcome>): LifterOutcome => ({
  strengthProgression: 0,
  strengthMeasured: true,
  progression: 0,
  sample: 10,
  successes: 8,
  sessions: 8,
  weeks: 4,
  answers: 2,
  notHelpful: 0,
  dropout: 0,
  overrides: 0,
  ...o,
});

/** n lifters per arm; each arm's outcome built from a standard normal draw. */
function units(
  n: [number, number],
  make: (arm: number, z: number, rand: () => number) => Partial<LifterOutcome>,
  seed = 1,
): AnalysisUnit[] {
  const rand = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return n.flatMap((count, arm) =>
    Array.from({ length: count }, () => {
      const pre = normal();
      return { arm, exposed: true, pre: outcome({ progression: pre }), post: outcome(make(arm, pre, normal)) };
    }),
  );
}

const GUARDRAILS = ['success_rate', 'dropout'] as const;

describe('attrition', () => {
  it('is the chi-square of independence of arm × (measured, lost): R’s chisq.test without correction', () => {
    // chisq.test(matrix(c(1700, 300, 1530, 470), 2), correct = FALSE): X-squared = 46.48, df = 1.
    const c = attritionCheck([1700, 1530], [2000, 2000]);
    expect(c.chiSquare).toBeCloseTo(46.48, 2);
    expect(c.mismatch).toBe(true);
    // The same share lost in both arms is no attrition, whatever the split.
    const even = attritionCheck([1700, 850], [2000, 1000]);
    expect(even.chiSquare).toBeCloseTo(0, 10);
    expect(even.mismatch).toBe(false);
  });

  it('is flagged only when the arms lose lifters unevenly: 15 % in both arms is not, 15 % in one is', () => {
    const losing = (both: boolean) =>
      analyse({
        arms: ARMS,
        units: units([2000, 2000], (arm, z, r) => ({ progression: (both || arm === 1) && r() < -1.04 ? null : z })),
        primary: 'e1rm_progression',
        guardrails: [],
      }).attrition;
    expect(losing(true).mismatch).toBe(false);
    expect(losing(false)).toMatchObject({ mismatch: true });
    expect(losing(false).counts[0]).toBe(2000);
  });
});

describe('the verdict', () => {
  // Sets made vary per lifter (8 ± 1 of 10), and one lifter in ten drops out: guardrails with a spread to test.
  const noisy = (r: () => number, o: Partial<LifterOutcome> = {}) => ({
    successes: Math.min(10, Math.max(0, 8 + Math.round(r()))),
    dropout: (r() > 1.28 ? 1 : 0) as 0 | 1,
    ...o,
  });
  it.each([
    ['no difference between identical arms', [400, 400], () => ({}), GUARDRAILS, 'no difference yet'],
    [
      'a clearly better primary metric, sets made within 5 points of the control',
      [2000, 2000],
      (arm: number, z: number, r: () => number) => noisy(r, { progression: z + r() * 0.5 + arm * 0.5 }),
      ['success_rate'],
      'ship',
    ],
    [
      'a clearly better primary metric whose dropout is not yet shown within 2 points of the control',
      [400, 400],
      (arm: number, z: number, r: () => number) => noisy(r, { progression: z + r() * 0.5 + arm * 0.5 }),
      GUARDRAILS,
      'guardrails pending',
    ],
    [
      'a clearly worse primary metric',
      [400, 400],
      (arm: number, z: number, r: () => number) => ({ progression: z + r() * 0.5 - arm * 0.5 }),
      GUARDRAILS,
      'worse',
    ],
    [
      'a better primary metric but far fewer sets made',
      [400, 400],
      (arm: number, z: number, r: () => number) => ({
        progression: z + r() * 0.5 + arm * 0.5,
        successes: arm ? 4 + Math.round(r()) : 8 + Math.round(r()),
      }),
      GUARDRAILS,
      'harmful on a guardrail',
    ],
    [
      'a sound split whose treatment loses 15 % of its lifters’ outcomes (attrition), whatever the metric says',
      [2000, 2000],
      (arm: number, z: number, r: () => number) => ({
        progression: arm === 1 && r() < -1.04 ? null : z + r() * 0.5 + arm * 0.5,
      }),
      GUARDRAILS,
      'invalid: attrition',
    ],
    [
      'a broken split, whatever the metrics say',
      [500, 380],
      (arm: number, z: number, r: () => number) => ({ progression: z + r() * 0.5 + arm * 0.5 }),
      GUARDRAILS,
      'invalid: SRM',
    ],
  ] as const)('%s → %s', (_name, n, make, guardrails, code) => {
    const a = analyse({
      arms: ARMS,
      units: units([...n], make),
      primary: 'e1rm_progression',
      guardrails: [...guardrails],
    });
    expect(a.verdict.code).toBe(code);
    const opening = { worse: 'keep control', ship: 'ship treatment', 'guardrails pending': 'not yet' } as const;
    expect(a.verdict.line.startsWith(opening[code as keyof typeof opening] ?? code)).toBe(true);
  });

  it('counts the exposed lifters once any are, and still reports how many were assigned', () => {
    const all = units([100, 100], () => ({}));
    all.slice(0, 30).forEach((u) => {
      u.exposed = false;
    });
    const a = analyse({ arms: ARMS, units: all, primary: 'e1rm_progression', guardrails: [] });
    expect(a.population).toBe('exposed');
    expect(a.arms.map((x) => [x.assigned, x.exposed, x.analysed])).toEqual([
      [100, 70, 70],
      [100, 100, 100],
    ]);
    expect(a.srm.counts).toEqual([70, 100]);
  });
});

describe('metrics', () => {
  it('a ratio metric is Σ numerators / Σ denominators per arm (not a mean of ratios)', () => {
    const us: AnalysisUnit[] = [
      { arm: 0, exposed: true, pre: outcome({}), post: outcome({ sample: 10, successes: 10 }) },
      { arm: 0, exposed: true, pre: outcome({}), post: outcome({ sample: 30, successes: 15 }) },
      { arm: 1, exposed: true, pre: outcome({}), post: outcome({ sample: 4, successes: 1 }) },
      { arm: 1, exposed: true, pre: outcome({}), post: outcome({ sample: 4, successes: 3 }) },
    ];
    const r = metricResult('success_rate', ARMS, us);
    expect(r.arms.map((a) => a.mean)).toEqual([25 / 40, 4 / 8]);
    expect(r.comparisons[0]!.cuped).toBe(false);
  });

  it('CUPED removes the pre-period’s share of the variance: the same estimate, a much narrower interval', () => {
    const us = units([300, 300], (arm, z, r) => ({ progression: 2 * z + 0.3 * r() + 0.2 * arm }));
    const c = metricResult('e1rm_progression', ARMS, us).comparisons[0]!;
    expect(c.cuped).toBe(true);
    const width = (x: [number, number]) => x[1] - x[0];
    expect(width(c.result!.interval)).toBeLessThan(0.25 * width(c.unadjusted!.interval));
    expect(c.result!.difference).toBeCloseTo(0.2, 1);
    expect(c.result!.interval[0]).toBeLessThan(0.2);
    expect(c.result!.interval[1]).toBeGreaterThan(0.2);
  });

  it('a lifter without a pre-period value gets the pooled mean: no adjustment, no bias', () => {
    const us = units([200, 200], (arm, z, r) => ({ progression: z + 0.5 * r() + 0.3 * arm }));
    for (const u of us.slice(0, 50)) u.pre = outcome({ progression: null });
    const c = metricResult('e1rm_progression', ARMS, us).comparisons[0]!;
    expect(c.result!.interval[0]).toBeLessThan(0.3);
    expect(c.result!.interval[1]).toBeGreaterThan(0.3);
  });
});

describe('the planning calculator', () => {
  it('lifters per arm from the variance in history, fewer with CUPED by 1 − ρ²', () => {
    const rand = seededRandom(5);
    const earlier = Array.from({ length: 2000 }, () => rand());
    const recent = earlier.map((x) => x + rand());
    const p = plan('e1rm_progression', recent, earlier, { mde: 0.05 });
    // Var(U + U') = 1/6; ρ between U and U + U' is 1/√2.
    expect(p.variance).toBeCloseTo(1 / 6, 1);
    expect(p.correlation).toBeCloseTo(Math.SQRT1_2, 1);
    expect(p.varianceCuped!).toBeCloseTo(p.variance * (1 - p.correlation! ** 2), 10);
    expect(p.liftersPerArm).toBeGreaterThan(p.liftersPerArmCuped!);
    // For the always-valid interval the verdict reads: 2σ²(3.035 + 0.842)² / δ², σ² = 1/6, δ = 0.05: ≈ 2004
    // (a fixed single look would need 1,047).
    expect(p).toMatchObject({ design: 'always-valid' });
    expect(p.halfwidthSe).toBeCloseTo(3.035, 3);
    expect(p.liftersPerArm).toBeGreaterThan(1950);
    expect(p.liftersPerArm).toBeLessThan(2060);
  });

  it('has nothing to say without history', () => {
    const p = plan('e1rm_progression', [null, null], [null, null]);
    expect(p).toMatchObject({ lifters: 0, liftersPerArm: null, liftersPerArmCuped: null, correlation: null });
  });
});
