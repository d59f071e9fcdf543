import jStat from 'jstat';

/**
 * The frequentist statistics of an experiment report, from per-arm summary moments (what SQL returns), after
 * GrowthBook's stats engine (gbstats): Welch's t interval for means, the delta method for ratios, CUPED
 * (regression adjustment by the pre-period, one θ pooled over both arms), the asymptotic confidence sequence of
 * Waudby-Smith et al. (2023) for always-valid intervals, and a chi-square test for sample-ratio mismatch.
 * Distributions come from jstat. Differences are absolute: treatment − control, in the metric's own unit.
 */

/** Sums over the units (lifters) of one arm: n, Σx, Σx². */
export interface Moments {
  n: number;
  sum: number;
  sumSquares: number;
}

/** A mean metric with its pre-period value per unit, for CUPED: the two moments and Σ post × pre. */
export interface PairedMoments {
  post: Moments;
  pre: Moments;
  sumProducts: number;
}

/** A ratio metric Σm / Σd over units (e.g. sets made / sets prescribed): moments of m and d and Σ m × d. */
export interface RatioMoments {
  m: Moments;
  d: Moments;
  sumProducts: number;
}

/** An arm's estimate: its mean, the variance of one unit's value (not of the mean), and the units behind it. */
export interface Estimate {
  mean: number;
  variance: number;
  n: number;
}

export interface Comparison {
  /** Treatment − control. */
  difference: number;
  standardError: number;
  /** 95 % (1 − α) interval for a single look at a fixed horizon. */
  interval: [number, number];
  pValue: number;
  /** The always-valid interval: may be looked at every week without inflating false positives. */
  alwaysValid: [number, number];
  /** Units behind the comparison (both arms), and the size the confidence sequence is tuned to. */
  n: number;
  tuning: number;
}

export const ALPHA = 0.05;
/** The sample size the confidence sequence is tightest around (GrowthBook's default tuning parameter). */
export const SEQUENTIAL_TUNING = 5000;
/** GrowthBook's threshold: a sample-ratio mismatch this unlikely under the planned split invalidates a result. */
export const SRM_P_VALUE = 0.001;

const meanOf = (m: Moments): number => (m.n > 0 ? m.sum / m.n : 0);

/** Sample variance (n − 1). */
export function varianceOf(m: Moments): number {
  if (m.n < 2) return 0;
  return Math.max(0, (m.sumSquares - (m.sum * m.sum) / m.n) / (m.n - 1));
}

export function sampleEstimate(m: Moments): Estimate {
  return { mean: meanOf(m), variance: varianceOf(m), n: m.n };
}

const covarianceOf = (a: Moments, b: Moments, sumProducts: number, n: number) =>
  n < 2 ? 0 : (sumProducts - (a.sum * b.sum) / n) / (n - 1);

/** θ for CUPED, pooled over both arms: the slope of post on pre, Cov(post, pre) / Var(pre). */
export function cupedTheta(a: PairedMoments, b: PairedMoments): number {
  const n = a.post.n + b.post.n;
  const add = (x: Moments, y: Moments): Moments => ({
    n,
    sum: x.sum + y.sum,
    sumSquares: x.sumSquares + y.sumSquares,
  });
  const pre = add(a.pre, b.pre);
  const post = add(a.post, b.post);
  const preVariance = varianceOf(pre);
  if (preVariance === 0 || varianceOf(post) === 0) return 0;
  return covarianceOf(post, pre, a.sumProducts + b.sumProducts, n) / preVariance;
}

/** An arm's CUPED-adjusted estimate: post − θ·pre, whose variance shrinks by the pre-period's explained part. */
export function cupedEstimate(m: PairedMoments, theta: number): Estimate {
  const n = m.post.n;
  const variance =
    varianceOf(m.post) + theta * theta * varianceOf(m.pre) - 2 * theta * covarianceOf(m.post, m.pre, m.sumProducts, n);
  return { mean: meanOf(m.post) - theta * meanOf(m.pre), variance: Math.max(0, variance), n };
}

/** A ratio's estimate by the delta method: Σm / Σd, with the variance of √n times the ratio's error. */
export function ratioEstimate(r: RatioMoments): Estimate {
  const n = r.m.n;
  const muM = meanOf(r.m);
  const muD = meanOf(r.d);
  if (n === 0 || muD === 0) return { mean: 0, variance: 0, n };
  const covariance = covarianceOf(r.m, r.d, r.sumProducts, n);
  const variance =
    varianceOf(r.m) / muD ** 2 - (2 * muM * covariance) / muD ** 3 + (muM ** 2 * varianceOf(r.d)) / muD ** 4;
  return { mean: muM / muD, variance: Math.max(0, variance), n };
}

/** Welch–Satterthwaite degrees of freedom of the difference of two means. */
function welchDof(a: Estimate, b: Estimate): number {
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  return (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
}

/** ρ² of the confidence sequence tuned to `tuning` units (Waudby-Smith et al. 2023, eq. 161; GrowthBook's). */
const rhoSquared = (alpha: number, tuning: number) =>
  (-2 * Math.log(alpha) + Math.log(-2 * Math.log(alpha) + 1)) / tuning;

/**
 * The half-width of the asymptotic confidence sequence for a difference with this standard error after `n`
 * units in all (Waudby-Smith et al., "Time-uniform central limit theory and asymptotic confidence sequences",
 * 2023, eq. 9, with ρ from eq. 161 tuned to `tuning` units — as GrowthBook computes it).
 */
export function sequentialHalfwidth(
  standardError: number,
  n: number,
  alpha = ALPHA,
  tuning = SEQUENTIAL_TUNING,
): number {
  return standardError * sequentialWidthFactor(n * rhoSquared(alpha, tuning), alpha);
}

/**
 * The confidence sequence's half-width in standard errors, for nρ² (n units, ρ tuned to the design): at the units it
 * is tuned to, ≈ 3.03 at α = 0.05 where a single look needs 1.96 — what planning for it must use.
 */
function sequentialWidthFactor(nRho2: number, alpha = ALPHA): number {
  return Math.sqrt((2 * (nRho2 + 1) * Math.log(Math.sqrt(nRho2 + 1) / alpha)) / nRho2);
}

/**
 * The always-valid p-value of `difference` against `nullValue`: the smallest α whose confidence sequence (ρ kept
 * at the design's α and tuning) excludes the null — the inverse of `sequentialHalfwidth`. Valid at every look, so
 * Holm's procedure can combine them.
 */
export function sequentialPValue(
  difference: number,
  standardError: number,
  n: number,
  nullValue = 0,
  tuning = SEQUENTIAL_TUNING,
): number {
  if (!(standardError > 0)) return 1;
  const nr2 = n * rhoSquared(ALPHA, tuning);
  const z2 = ((difference - nullValue) / standardError) ** 2;
  return Math.min(1, Math.sqrt(nr2 + 1) * Math.exp((-z2 * nr2) / (2 * (nr2 + 1))));
}

/**
 * Treatment against control. `t` uses Student's t with Welch's degrees of freedom (means); `normal` the normal
 * distribution (ratios by the delta method, where no dof is defined).
 */
export function compare(
  control: Estimate,
  treatment: Estimate,
  opts: { distribution?: 't' | 'normal'; alpha?: number; tuning?: number } = {},
): Comparison | null {
  const alpha = opts.alpha ?? ALPHA;
  if (control.n < 2 || treatment.n < 2) return null;
  const se = Math.sqrt(control.variance / control.n + treatment.variance / treatment.n);
  const difference = treatment.mean - control.mean;
  if (!(se > 0)) return null;
  const useT = (opts.distribution ?? 't') === 't';
  const dof = useT ? welchDof(control, treatment) : Number.POSITIVE_INFINITY;
  const quantile = useT ? jStat.studentt.inv(1 - alpha / 2, dof) : jStat.normal.inv(1 - alpha / 2, 0, 1);
  const tail = useT
    ? jStat.studentt.cdf(-Math.abs(difference / se), dof)
    : jStat.normal.cdf(-Math.abs(difference / se), 0, 1);
  const n = control.n + treatment.n;
  const tuning = opts.tuning ?? SEQUENTIAL_TUNING;
  const halfwidth = sequentialHalfwidth(se, n, alpha, tuning);
  return {
    difference,
    standardError: se,
    interval: [difference - quantile * se, difference + quantile * se],
    pValue: Math.min(1, 2 * tail),
    alwaysValid: [difference - halfwidth, difference + halfwidth],
    n,
    tuning,
  };
}

export interface SrmCheck {
  chiSquare: number;
  pValue: number;
  /** Flagged below SRM_P_VALUE: the arms' sizes do not match their weights; the results cannot be trusted. */
  mismatch: boolean;
}

/** Sample-ratio mismatch: Pearson's chi-square of the observed counts against the planned weights. */
export function srmCheck(counts: readonly number[], weights: readonly number[]): SrmCheck {
  const total = counts.reduce((a, b) => a + b, 0);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  if (total === 0 || counts.length < 2) return { chiSquare: 0, pValue: 1, mismatch: false };
  let chiSquare = 0;
  counts.forEach((observed, i) => {
    const expected = (total * weights[i]!) / weightSum;
    if (expected > 0) chiSquare += (observed - expected) ** 2 / expected;
  });
  const pValue = 1 - jStat.chisquare.cdf(chiSquare, counts.length - 1);
  return { chiSquare, pValue, mismatch: pValue < SRM_P_VALUE };
}

/** The chance a two-sided test at `alpha` detects a true difference `effect` with this standard error. */
export function powerOf(effect: number, standardError: number, alpha = ALPHA, dof = Number.POSITIVE_INFINITY): number {
  const shift = Math.abs(effect) / standardError;
  if (!Number.isFinite(dof)) {
    const z = jStat.normal.inv(1 - alpha / 2, 0, 1);
    return jStat.normal.cdf(shift - z, 0, 1) + jStat.normal.cdf(-shift - z, 0, 1);
  }
  // Student's t with the shift as its non-centrality, approximated by shifting the central t (small samples).
  const t = jStat.studentt.inv(1 - alpha / 2, dof);
  return 1 - jStat.studentt.cdf(t - shift, dof) + jStat.studentt.cdf(-t - shift, dof);
}

/**
 * Units per arm to detect `effect` with probability `power` when one unit's value varies with `variance`, for the
 * test the verdict runs: the confidence sequence tuned to the planned lifters (`arms` arms of n), whose half-width at
 * that size is `sequentialWidthFactor` standard errors — n = 2 σ² (c + z_power)² / effect². (A fixed-horizon test
 * would use c = z₁₋α/₂ = 1.96 and reach ~41 % power where this reaches 80 %.)
 */
export function unitsPerArm(effect: number, variance: number, power = 0.8, alpha = ALPHA, arms = 2): number {
  const z = plannedWidthFactor(alpha, arms) + jStat.normal.inv(power, 0, 1);
  return Math.ceil((2 * variance * z * z) / (effect * effect));
}

/** The half-width in standard errors of one arm's comparison with the control at the planned size (k arms of n). */
export function plannedWidthFactor(alpha = ALPHA, arms = 2): number {
  // n = 2 units per comparison of the k·n it is tuned to: nρ² = (2/k)·(−2 ln α + ln(1 − 2 ln α)).
  return sequentialWidthFactor((2 / arms) * rhoSquared(alpha, 1), alpha);
}

/** The chance the confidence sequence excludes 0 at the planned size, for a true `effect` with this standard error. */
export function sequentialPowerOf(effect: number, standardError: number, alpha = ALPHA, arms = 2): number {
  const shift = Math.abs(effect) / standardError;
  const c = plannedWidthFactor(alpha, arms);
  return jStat.normal.cdf(shift - c, 0, 1) + jStat.normal.cdf(-shift - c, 0, 1);
}

/** The (1 − α) interval of one arm's own mean (Student's t with n − 1 degrees of freedom); null below 2 units. */
export function meanInterval(e: Estimate, alpha = ALPHA): [number, number] | null {
  if (e.n < 2) return null;
  const half = jStat.studentt.inv(1 - alpha / 2, e.n - 1) * Math.sqrt(e.variance / e.n);
  return [e.mean - half, e.mean + half];
}
