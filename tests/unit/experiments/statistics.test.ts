import { describe, expect, it } from 'vitest';
import {
  compare,
  cupedEstimate,
  cupedTheta,
  type Moments,
  type PairedMoments,
  plannedWidthFactor,
  powerOf,
  ratioEstimate,
  sampleEstimate,
  sequentialHalfwidth,
  sequentialPowerOf,
  sequentialPValue,
  srmCheck,
  unitsPerArm,
} from '@/server/experiments/statistics';

const moments = (xs: readonly number[]): Moments => ({
  n: xs.length,
  sum: xs.reduce((a, b) => a + b, 0),
  sumSquares: xs.reduce((a, b) => a + b * b, 0),
});
const paired = (post: readonly number[], pre: readonly number[]): PairedMoments => ({
  post: moments(post),
  pre: moments(pre),
  sumProducts: post.reduce((a, y, i) => a + y * pre[i]!, 0),
});
const variance = (xs: readonly number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
};

/** A seeded stream of standard normals (Box–Muller over a linear congruential generator). */
function normals(seed: number) {
  let s = seed;
  const u = () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return (s + 1) / (2 ** 31 + 1);
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

describe('compare (Welch): GrowthBook’s fixed vectors', () => {
  it('two means, absolute difference: 0.29, SE 0.12478, 95 % CI (0.04538, 0.53462), p 0.02016', () => {
    // gbstats tests/frequentist/test_tests.py, TestTwoSidedTTest.test_two_sided_ttest_absolute
    const control = sampleEstimate({ n: 3407, sum: 1396.87, sumSquares: 52377.9767 });
    const treatment = sampleEstimate({ n: 3461, sum: 2422.7, sumSquares: 134698.29 });
    const c = compare(control, treatment)!;
    expect(c.difference).toBeCloseTo(0.29, 5);
    expect(c.standardError).toBeCloseTo(0.12478, 5);
    expect(c.interval[0]).toBeCloseTo(0.04538, 5);
    expect(c.interval[1]).toBeCloseTo(0.53462, 5);
    expect(c.pValue).toBeCloseTo(0.02016, 5);
    // The always-valid interval is wider than the fixed-horizon one and centred on the same difference.
    expect(c.alwaysValid[0]).toBeLessThan(c.interval[0]);
    expect((c.alwaysValid[0] + c.alwaysValid[1]) / 2).toBeCloseTo(c.difference, 12);
  });

  it('has nothing to say below two units an arm, or without variance', () => {
    expect(compare(sampleEstimate(moments([1])), sampleEstimate(moments([1, 2, 3])))).toBeNull();
    expect(compare(sampleEstimate(moments([1, 1])), sampleEstimate(moments([1, 1])))).toBeNull();
  });
});

describe('sequentialHalfwidth: GrowthBook’s confidence-sequence vectors', () => {
  it.each([
    // gbstats TestSequentialTTest: the uplift's standard error, n = 3000 + 3461, the tuning parameter → CI
    ['test_sequential_test_runs', 0.33341, 1000, [-0.55844, 1.56516]],
    ['test_sequential_test_runs_prop', 0.03386, 5000, [0.40098, 0.60675]],
  ] as const)('%s', (_name, se, tuning, [lo, hi]) => {
    expect(sequentialHalfwidth(se, 6461, 0.05, tuning)).toBeCloseTo((hi - lo) / 2, 3);
  });

  it('narrows as units accrue, but always stays wider than the fixed-horizon 1.96 SE', () => {
    const ns = [100, 1000, 10_000, 100_000];
    const widths = ns.map((n) => sequentialHalfwidth(1 / Math.sqrt(n), n));
    for (let i = 1; i < widths.length; i++) expect(widths[i]!).toBeLessThan(widths[i - 1]!);
    for (const [i, n] of ns.entries()) expect(widths[i]!).toBeGreaterThan(1.96 / Math.sqrt(n));
  });
});

describe('srmCheck: chi-square against the planned split', () => {
  it('flags the published example: 821,588 vs 815,482 on a 50/50 split has p ≈ 1.8e-6', () => {
    // Fabijan et al., "Diagnosing Sample Ratio Mismatch in Online Controlled Experiments" (KDD 2019), and
    // Kohavi, Tang & Xu, "Trustworthy Online Controlled Experiments" (2020), ch. 21.
    const check = srmCheck([821_588, 815_482], [0.5, 0.5]);
    expect(check.pValue).toBeGreaterThan(1.5e-6);
    expect(check.pValue).toBeLessThan(2.1e-6);
    expect(check.mismatch).toBe(true);
  });

  it.each([
    [[5000, 5000], [0.5, 0.5], 1, false],
    [[2010, 1990], [0.5, 0.5], 0.7518, false],
    [[7000, 3000], [0.7, 0.3], 1, false],
    [[5000, 4500], [0.5, 0.5], 2.9e-7, true],
  ])('%j against %j: p %f', (counts, weights, p, mismatch) => {
    const check = srmCheck(counts, weights);
    expect(check.pValue).toBeCloseTo(p, p < 0.01 ? 7 : 4);
    expect(check.mismatch).toBe(mismatch);
  });
});

describe('CUPED', () => {
  const z = normals(7);
  const pre = Array.from({ length: 4000 }, () => 10 + 3 * z());
  const post = pre.map((x) => 2 * x + 1 + z()); // true slope 2, residual variance 1
  const a = paired(post.slice(0, 2000), pre.slice(0, 2000));
  const b = paired(post.slice(2000), pre.slice(2000));

  it('θ is the least-squares slope of post on pre over both arms (the truth: 2)', () => {
    const theta = cupedTheta(a, b);
    const mx = pre.reduce((s, x) => s + x, 0) / pre.length;
    const my = post.reduce((s, y) => s + y, 0) / post.length;
    const ols = pre.reduce((s, x, i) => s + (x - mx) * (post[i]! - my), 0) / pre.reduce((s, x) => s + (x - mx) ** 2, 0);
    expect(theta).toBeCloseTo(ols, 10);
    expect(theta).toBeGreaterThan(1.95);
    expect(theta).toBeLessThan(2.05);
  });

  it('an arm’s adjusted variance is that of post − θ·pre, unit by unit, here ~1/37 of the raw', () => {
    const theta = cupedTheta(a, b);
    const adjusted = cupedEstimate(a, theta);
    const direct = post.slice(0, 2000).map((y, i) => y - theta * pre[i]!);
    expect(adjusted.variance).toBeCloseTo(variance(direct), 8);
    expect(adjusted.mean).toBeCloseTo(direct.reduce((s, x) => s + x, 0) / 2000, 10);
    expect(adjusted.variance).toBeLessThan(sampleEstimate(a.post).variance / 30);
  });

  it('θ is 0 without pre-period variation', () => {
    expect(cupedTheta(paired([1, 2, 3], [5, 5, 5]), paired([2, 3, 4], [5, 5, 5]))).toBe(0);
  });
});

describe('ratioEstimate (delta method)', () => {
  it('is the mean of m and its variance when every denominator is 1', () => {
    const m = [1, 0, 1, 1, 0, 1, 1];
    const r = ratioEstimate({ m: moments(m), d: moments(m.map(() => 1)), sumProducts: m.reduce((a, b) => a + b, 0) });
    expect(r.mean).toBeCloseTo(5 / 7, 12);
    expect(r.variance).toBeCloseTo(variance(m), 12);
  });

  it('matches the spread of Σm/Σd over many simulated samples (the truth by Monte Carlo)', () => {
    const z = normals(11);
    const sample = () => {
      const d = Array.from({ length: 400 }, () => Math.max(1, Math.round(6 + 2 * z())));
      const m = d.map((di) => Math.min(di, Math.max(0, Math.round(di * 0.8 + z()))));
      return { m, d };
    };
    const ratios: number[] = [];
    for (let k = 0; k < 400; k++) {
      const { m, d } = sample();
      ratios.push(m.reduce((a, b) => a + b, 0) / d.reduce((a, b) => a + b, 0));
    }
    const { m, d } = sample();
    const r = ratioEstimate({ m: moments(m), d: moments(d), sumProducts: m.reduce((a, mi, i) => a + mi * d[i]!, 0) });
    const predicted = Math.sqrt(r.variance / r.n);
    const observed = Math.sqrt(variance(ratios));
    expect(predicted / observed).toBeGreaterThan(0.85);
    expect(predicted / observed).toBeLessThan(1.15);
  });
});

describe('planning for the test the verdict runs', () => {
  it('the confidence sequence at the size it is tuned to is ~3.03 standard errors wide, not 1.96', () => {
    // Waudby-Smith et al. eq. 9 with ρ² = (−2 ln α + ln(1 − 2 ln α)) / n at n: √(2(K+1) ln(√(K+1)/α) / K), K = 7.936.
    const K = -2 * Math.log(0.05) + Math.log(1 - 2 * Math.log(0.05));
    const expected = Math.sqrt((2 * (K + 1) * Math.log(Math.sqrt(K + 1) / 0.05)) / K);
    expect(expected).toBeCloseTo(3.035, 3);
    expect(plannedWidthFactor()).toBeCloseTo(expected, 12);
    for (const n of [200, 1000, 5000]) expect(sequentialHalfwidth(1, n, 0.05, n)).toBeCloseTo(expected, 12);
    // Three arms: a comparison holds two thirds of the lifters it is tuned to, and is wider for it.
    expect(plannedWidthFactor(0.05, 3)).toBeCloseTo(sequentialHalfwidth(1, 2, 0.05, 3), 12);
    expect(plannedWidthFactor(0.05, 3)).toBeGreaterThan(expected);
  });

  it('752 lifters per arm detect a 0.2 SD difference with 80 % power by the sequence (393 by one fixed look)', () => {
    expect(unitsPerArm(0.2, 1)).toBe(752);
    expect(sequentialPowerOf(0.2, Math.sqrt(2 / 752))).toBeGreaterThanOrEqual(0.8);
    expect(sequentialPowerOf(0.2, Math.sqrt(2 / 751))).toBeLessThan(0.8);
    // The fixed-horizon plan's size gives the sequence ~41 % power (the fault this planning removes).
    expect(sequentialPowerOf(0.2, Math.sqrt(2 / 393))).toBeCloseTo(0.41, 1);
    expect(powerOf(0.2, Math.sqrt(2 / 393))).toBeCloseTo(0.8, 2);
  });

  it('the always-valid p-value is the level whose sequence just reaches the null', () => {
    for (const [se, n, tuning, nullValue] of [
      [0.3, 400, 400, 0],
      [1.2, 2000, 5000, -0.5],
      [0.05, 90, 1000, 0.02],
    ] as const) {
      const half = sequentialHalfwidth(se, n, 0.05, tuning);
      expect(sequentialPValue(nullValue + half, se, n, nullValue, tuning)).toBeCloseTo(0.05, 10);
      expect(sequentialPValue(nullValue - half, se, n, nullValue, tuning)).toBeCloseTo(0.05, 10);
      expect(sequentialPValue(nullValue + 1.5 * half, se, n, nullValue, tuning)).toBeLessThan(0.05);
      expect(sequentialPValue(nullValue + 0.5 * half, se, n, nullValue, tuning)).toBeGreaterThan(0.05);
      expect(sequentialPValue(nullValue, se, n, nullValue, tuning)).toBe(1);
    }
  });

  it.each([
    [0, 0.05],
    [2.8016, 0.8],
    [3.6048, 0.95],
  ])('power at %f standard errors is %f', (shift, power) => {
    expect(powerOf(shift, 1)).toBeCloseTo(power, 3);
  });

  // Cohen (1988), table 2.4.1: two-sided t test at α = 0.05, the n per group that gives 80 % power.
  it.each([
    [0.5, 64],
    [0.8, 26],
    [0.2, 393],
  ])('with Student’s t, d = %f at %i per group has 80 %% power (Cohen’s table)', (d, n) => {
    const power = powerOf(d, Math.sqrt(2 / n), 0.05, 2 * n - 2);
    expect(power).toBeGreaterThanOrEqual(0.795);
    expect(power).toBeLessThan(0.815);
    // One lifter fewer per group falls short of it: n is the smallest that reaches 80 %.
    expect(powerOf(d, Math.sqrt(2 / (n - 1)), 0.05, 2 * n - 4)).toBeLessThan(0.8);
  });
});
