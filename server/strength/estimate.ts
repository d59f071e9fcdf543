import jStat from 'jstat';
import { addDays } from '@/server/time/calendar';
import type { DayEvidence } from './observations';
import { shareOfMax } from './rep-max';

/**
 * A lifter's one-rep max on one exercise, estimated from every day's sets: a local linear trend on the log 1RM
 * (level ℓ, weekly trend g) beside two habits of the lifter that averaging never removes — the offset b of their
 * unrated sets from failure and their rep curve u — filtered day by day and smoothed backwards
 * (Rauch–Tung–Striebel).
 *
 * - **Between days** the level follows the trend and both wander (process noise grows with the gap, so
 *   uncertainty grows over a layoff); over a layoff the trend fades, so a long gap does not extrapolate a
 *   beginner's gains.
 * - **A measurement** (sets to failure or rated close to it) is a noisy reading of ℓ. **A lower bound** (sets left
 *   short of failure, unrated) says only ℓ ≥ b: a censored reading, folded in by moment matching (the posterior of
 *   a Gaussian truncated by a probit likelihood), so a light week barely moves the estimate.
 * - **Robust**: every reading is a mixture of "true" and "outlier" (a typed 800 for 80), weighted by how likely it
 *   is under the current estimate, so a reading far off moves the estimate by almost nothing — not deleted, just
 *   down-weighted.
 * Log scale, because strength changes and errors are proportional. docs/strength.md explains the choice.
 */

/** Level wanders ~1 %/√week, trend ~0.2 %/week per √week (guesses at the scale of weekly gains, 0.2–2 %/week). */
const LEVEL_SD_PER_WEEK = 0.01;
const TREND_SD_PER_WEEK = 0.002;
/**
 * Gains need training: over a gap longer than `LAYOFF_AFTER_WEEKS` the trend fades (over ~2 weeks) instead of
 * carrying a beginner's gains through a layoff. Detraining itself is left to the level's noise, which grows
 * with the gap (2 weeks off cost < 5 %, McMaster 2013).
 */
const LAYOFF_AFTER_WEEKS = 2;
const TREND_MEMORY_WEEKS = 2;
/**
 * The offset b of a lifter's **loose** readings (an unrated day read as hard sets, `observations.ts`): how much
 * further from failure they really stop than the reading assumes. Unrated sets that were made end anywhere from 0
 * reps short of failure (a hard set, sources §8) to more than ten (self-selected loads average 53 % of 1RM, Steele
 * 2022): ±3 reps at ~3 % of 1RM a rep, a guess spanning that range. It is a habit, the same from one session to the
 * next, so loose readings alone never pin the level closer than it; a day measured at failure or rated learns it.
 * It drifts as the program's loads move against the lifter's strength: 0.5 rep (1.5 %) per √week, a guess.
 */
const LOOSE_OFFSET_SD = 0.09;
const OFFSET_SD_PER_WEEK = 0.015;
/**
 * A lifter's own rep curve: reps at 70 % 1RM range 6–26 between trained lifters (Zourdos 2021), so the reps to
 * failure beyond the first are the chart's × e^u with u ~ N(0, 0.3²) (±2 SD spans that range). A set of n reps
 * then reads the log 1RM off by k(n)·u (`repCurveSlope`): nothing for a single, ~4 % at 5 reps for u = 0.3. A
 * lifter's readings at different rep counts learn u; at one rep count it stays a systematic error, in the interval.
 */
const REP_CURVE_SD = 0.3;
/** Before any reading: the first day's evidence within ±20 %, a trend within ±1 %/week. */
const FIRST_LEVEL_SD = 0.2;
const FIRST_TREND_SD = 0.01;
/** Prior share of readings that are outliers, and the outlier's density over the log scale (±3). */
const OUTLIER_SHARE = 0.02;
/**
 * A loose reading (an unrated day read as hard sets) is off more often than a typo, and nearer: light days are
 * common — a deload week every 4–8 (sources §9), technique and back-off days — at 50–100 % of a hard day's load
 * (deloads at 60–90 %, §9). A 20 % share, spread over that log range: a reading of those figures, a guess.
 */
const LIGHT_DAY_SHARE = 0.2;
const LIGHT_DAY_DENSITY = 1 / Math.log(2);
const OUTLIER_DENSITY = 1 / 6;
/**
 * What averaging cannot remove and the state does not carry: a lifter's own habit in calling reps in reserve (the
 * RIR studies' heterogeneity is large, I² = 98 %, Halperin 2022) and the rep-max equations' own error for one
 * lifter (5.4–6.8 kg on the bench, Hutchins & Gearhart 2010). 5 % of 1RM, added to the interval, not to the
 * filter's weighting: a reading of those figures.
 */
const SYSTEMATIC_SD = 0.05;
/** 90 % interval: ±1.645 SD. */
const Z90 = 1.6448536269514722;

/**
 * State: log level ℓ, weekly log trend g, the offset b of the lifter's loose readings, and u, the log of the
 * lifter's rep endurance against the chart's (`REP_CURVE_SD`).
 */
type Vec = [number, number, number, number];
type Mat = [Vec, Vec, Vec, Vec];
const D = 4;

/** Gaussian belief over the state (level, trend, two habits), and a reading it rejected, waiting for a second. */
export interface Belief {
  mean: Vec;
  cov: Mat;
  suspect?: Suspect;
}

/**
 * A measurement the belief rejected as an outlier. If another, consistent with it and also rejected, comes at
 * least a week later, the lifter's level really moved (another machine, dumbbells logged per hand, a long
 * layoff): the belief restarts from the two. A light week or a typo never lasts that long.
 */
interface Suspect {
  y: number;
  variance: number;
  date: string;
}
const REJECTED = 0.05;
const CONFIRM_AFTER_DAYS = 7;

export interface DayInput {
  /** Calendar date, YYYY-MM-DD. */
  date: string;
  evidence: DayEvidence;
}

export interface StrengthPoint {
  date: string;
  estimateKg: number;
  lowKg: number;
  highKg: number;
  trendPctPerWeek: number;
}

const DAY_MS = 86_400_000;
const weeksBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / DAY_MS / 7;

/** The transition over `weeks`: the level moves by `carry` × the trend, the trend keeps `decay` of itself. */
function transitionOf(weeks: number): { carry: number; decay: number } {
  const training = Math.min(weeks, LAYOFF_AFTER_WEEKS);
  const decay = Math.exp(-(weeks - training) / TREND_MEMORY_WEEKS);
  return { carry: training + TREND_MEMORY_WEEKS * (1 - decay), decay };
}

function transition(weeks: number): Mat {
  const { carry, decay } = transitionOf(weeks);
  return [
    [1, carry, 0, 0],
    [0, decay, 0, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 1],
  ];
}

// Small fixed-size algebra, in plain loops: the fold runs it for every day of every lifter's every exercise.
const zeros = (): Mat => [
  [0, 0, 0, 0],
  [0, 0, 0, 0],
  [0, 0, 0, 0],
  [0, 0, 0, 0],
];
const dot = (u: Vec, v: Vec) => u[0] * v[0] + u[1] * v[1] + u[2] * v[2] + u[3] * v[3];
function mul(a: Mat, b: Mat): Mat {
  const out = zeros();
  for (let i = 0; i < D; i++)
    for (let j = 0; j < D; j++)
      out[i]![j] = a[i]![0]! * b[0][j]! + a[i]![1]! * b[1][j]! + a[i]![2]! * b[2][j]! + a[i]![3]! * b[3][j]!;
  return out;
}
function transpose(a: Mat): Mat {
  const out = zeros();
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) out[i]![j] = a[j]![i]!;
  return out;
}
/** a + k·b. */
function plus(a: Mat, b: Mat, k = 1): Mat {
  const out = zeros();
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) out[i]![j] = a[i]![j]! + k * b[i]![j]!;
  return out;
}
const apply = (a: Mat, v: Vec): Vec => [dot(a[0], v), dot(a[1], v), dot(a[2], v), dot(a[3], v)];
function diagonal(d: Vec): Mat {
  const out = zeros();
  for (let i = 0; i < D; i++) out[i]![i] = d[i]!;
  return out;
}

/** Inverse by Gauss–Jordan elimination with partial pivoting (the smoother's predicted covariance). */
function inverse(a: Mat): Mat {
  const m = a.map((row, i) => [...row, ...[0, 1, 2, 3].map((j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < D; c++) {
    let p = c;
    for (let r = c + 1; r < D; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const pivot = m[c]![c]!;
    for (let j = 0; j < 2 * D; j++) m[c]![j]! /= pivot;
    for (let r = 0; r < D; r++) {
      if (r === c) continue;
      const f = m[r]![c]!;
      for (let j = 0; j < 2 * D; j++) m[r]![j]! -= f * m[c]![j]!;
    }
  }
  const out = zeros();
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) out[i]![j] = m[i]![D + j]!;
  return out;
}

/** The belief `weeks` later, before that day's readings. */
function predict(b: Belief, weeks: number): Belief {
  // F P Fᵀ + Q, written out: F only mixes the trend into the level and damps the trend.
  const { carry: a, decay: d } = transitionOf(weeks);
  const p = b.cov;
  const rows: Mat = [
    [p[0][0] + a * p[1][0], p[0][1] + a * p[1][1], p[0][2] + a * p[1][2], p[0][3] + a * p[1][3]],
    [d * p[1][0], d * p[1][1], d * p[1][2], d * p[1][3]],
    p[2],
    p[3],
  ];
  const cov = zeros();
  for (let i = 0; i < D; i++) {
    const r = rows[i]!;
    cov[i] = [r[0] + a * r[1], d * r[1], r[2], r[3]];
  }
  cov[0][0] += LEVEL_SD_PER_WEEK ** 2 * weeks;
  cov[1][1] += TREND_SD_PER_WEEK ** 2 * weeks;
  cov[2][2] += OFFSET_SD_PER_WEEK ** 2 * weeks;
  const [m0, m1, m2, m3] = b.mean;
  const moved: Belief = { mean: [m0 + a * m1, d * m1, m2, m3], cov };
  return b.suspect ? { ...moved, suspect: b.suspect } : moved;
}

/**
 * k(n): how much a reading from n reps done moves with the rep curve, d log(weight ÷ share of 1RM) / du at u = 0 (a
 * central difference). Read at the reps done, not reps + the reserve called: the call's error, which moves both the
 * reading and the reps it implies, would otherwise pass for a rep curve.
 */
function repCurveSlope(reps: number): number {
  if (reps <= 1) return 0;
  let k = slopes.get(reps);
  if (k === undefined) {
    const h = 0.01;
    k = (logShare(reps, h) - logShare(reps, -h)) / (2 * h);
    if (slopes.size > 1000) slopes.clear();
    slopes.set(reps, k);
  }
  return k;
}
const slopes = new Map<number, number>();
const logShare = (reps: number, u: number) => Math.log(shareOfMax(1 + (reps - 1) * Math.exp(-u)));

/**
 * What a reading from `reps` reps done reads: the level plus what the lifter's rep curve moves it
 * (ℓ + k·u), and for a loose reading less its offset (− b).
 */
function readOf(m: { reps: number; loose?: boolean }): Vec {
  return [1, 0, m.loose ? -1 : 0, repCurveSlope(m.reps)];
}

/**
 * A lower bound reads the level on the chart's curve. Folded into the rep curve too, a one-sided bound (moment
 * matched) moved the curve instead of the level, and the rated readings after it then read the level low (against
 * the simulator's truth: a median error of −4.9 % at week 8 against −1.5 %).
 */
const LEVEL: Vec = [1, 0, 0, 0];

/** How much a reading h·x = y (variance r) is believed: its weight against the outlier alternative. */
function readingWeight(b: Belief, h: Vec, y: number, r: number): number {
  const s = dot(h, apply(b.cov, h)) + r;
  const innovation = y - dot(h, b.mean);
  const likelihood = Math.exp((-innovation * innovation) / (2 * s)) / Math.sqrt(2 * Math.PI * s);
  const [share, density] = h[2] === 0 ? [OUTLIER_SHARE, OUTLIER_DENSITY] : [LIGHT_DAY_SHARE, LIGHT_DAY_DENSITY];
  return ((1 - share) * likelihood) / ((1 - share) * likelihood + share * density);
}

/** Folds in a reading h·x = y with variance r, as a mixture of a true reading and an outlier. */
function measure(b: Belief, h: Vec, y: number, r: number): Belief {
  const w = readingWeight(b, h, y, r);
  if (w < 1e-9) return b;
  const column = apply(b.cov, h);
  const s = dot(h, column) + r;
  const innovation = y - dot(h, b.mean);
  return mixture(b, w, column, innovation / s, 1 / s);
}

/** Folds in "the level is at least y" (variance r of the bound), as a mixture with an uninformative outlier. */
function atLeast(b: Belief, h: Vec, y: number, r: number): Belief {
  const column = apply(b.cov, h);
  const s = Math.sqrt(dot(h, column) + r);
  const alpha = (dot(h, b.mean) - y) / s;
  const z = normalCdf(alpha);
  const w = ((1 - OUTLIER_SHARE) * z) / ((1 - OUTLIER_SHARE) * z + OUTLIER_SHARE);
  // A bound far above the belief is all outlier: folding in nothing also avoids 0 × ∞ in the moments.
  if (w < 1e-9) return b;
  const lambda = normalPdf(alpha) / z;
  return mixture(b, w, column, lambda / s, (lambda * (lambda + alpha)) / (s * s));
}

/**
 * Moments of w·(the belief updated) + (1 − w)·(the belief unchanged), where the update moves the mean by
 * `moved`·c and takes `shrink`·c cᵀ from the covariance (c the covariance's column along the reading).
 */
function mixture(b: Belief, w: number, c: Vec, moved: number, shrink: number): Belief {
  const shift: Vec = [c[0] * moved, c[1] * moved, c[2] * moved, c[3] * moved];
  const cov = zeros();
  for (let i = 0; i < D; i++)
    for (let j = 0; j < D; j++)
      cov[i]![j] = b.cov[i]![j]! - w * shrink * c[i]! * c[j]! + w * (1 - w) * shift[i]! * shift[j]!;
  return {
    mean: [b.mean[0] + w * shift[0], b.mean[1] + w * shift[1], b.mean[2] + w * shift[2], b.mean[3] + w * shift[3]],
    cov,
  };
}

function firstBelief(e: DayInput['evidence']): Belief {
  const y = e.measured?.y ?? e.atLeast!.y;
  return {
    mean: [y, 0, 0, 0],
    cov: diagonal([FIRST_LEVEL_SD ** 2, FIRST_TREND_SD ** 2, LOOSE_OFFSET_SD ** 2, REP_CURVE_SD ** 2]),
  };
}

function observe(b: Belief, e: DayInput['evidence'], date: string): { belief: Belief; restarted: boolean } {
  let out: Belief = { mean: b.mean, cov: b.cov };
  let suspect = b.suspect;
  let restarted = false;
  const m = e.measured && { ...e.measured, h: readOf(e.measured) };
  if (m && readingWeight(b, m.h, m.y, m.variance) < REJECTED) {
    // A rejected reading is kept as the level it says, given the offset and rep curve believed so far.
    const level = { y: m.y - (dot(m.h, b.mean) - b.mean[0]), variance: m.variance, date };
    const confirms = suspect !== undefined && consistent(suspect, level);
    if (confirms && date >= addDays(suspect!.date, CONFIRM_AFTER_DAYS)) {
      out = restartFrom(b, suspect!, level);
      suspect = undefined;
      restarted = true;
    } else if (!confirms) {
      suspect = level;
    }
  } else if (m) {
    out = measure(out, m.h, m.y, m.variance);
    suspect = undefined;
  }
  if (e.atLeast) out = atLeast(out, LEVEL, e.atLeast.y, e.atLeast.variance);
  return { belief: suspect ? { ...out, suspect } : out, restarted };
}

const consistent = (a: { y: number; variance: number }, b: { y: number; variance: number }) =>
  Math.abs(a.y - b.y) <= 3 * Math.sqrt(a.variance + b.variance);

/**
 * A fresh level from two readings that agree with each other and not with the old belief; what was learned of
 * the lifter's habits (offset, rep curve) is kept.
 */
function restartFrom(old: Belief, a: { y: number; variance: number }, b: { y: number; variance: number }): Belief {
  const precision = 1 / a.variance + 1 / b.variance;
  return {
    mean: [(a.y / a.variance + b.y / b.variance) / precision, 0, old.mean[2], old.mean[3]],
    cov: diagonal([1 / precision, FIRST_TREND_SD ** 2, old.cov[2][2], old.cov[3][3]]),
  };
}

export interface FilterStep {
  date: string;
  /** Before the day's readings: the one-step-ahead forecast. */
  predicted: Belief;
  /** After them. */
  filtered: Belief;
  /** The day confirmed a level shift: the belief started again from its readings. */
  restarted: boolean;
}

/** The filter over days in date order (days without evidence are skipped), continuing from `start` if given. */
export function filterDays(days: readonly DayInput[], start?: { date: string; belief: Belief }): FilterStep[] {
  const steps: FilterStep[] = [];
  let last = start ? { date: start.date, filtered: start.belief } : undefined;
  for (const day of days) {
    if (!day.evidence.measured && !day.evidence.atLeast) continue;
    const predicted = last ? predict(last.filtered, weeksBetween(last.date, day.date)) : firstBelief(day.evidence);
    const { belief, restarted } = observe(predicted, day.evidence, day.date);
    const step = { date: day.date, predicted, filtered: belief, restarted };
    steps.push(step);
    last = step;
  }
  return steps;
}

/** Rauch–Tung–Striebel: each day's belief given every day, from the filter's steps. */
function smooth(steps: readonly FilterStep[]): Belief[] {
  const out: Belief[] = new Array(steps.length);
  if (steps.length === 0) return out;
  out[steps.length - 1] = steps[steps.length - 1]!.filtered;
  for (let k = steps.length - 2; k >= 0; k--) {
    const { filtered } = steps[k]!;
    const next = steps[k + 1]!;
    const f = transition(weeksBetween(steps[k]!.date, next.date));
    const c = mul(mul(filtered.cov, transpose(f)), inverse(next.predicted.cov));
    const later = out[k + 1]!;
    const m = later.mean;
    const p = next.predicted.mean;
    const step = apply(c, [m[0] - p[0], m[1] - p[1], m[2] - p[2], m[3] - p[3]]);
    const x = filtered.mean;
    out[k] = {
      mean: [x[0] + step[0], x[1] + step[1], x[2] + step[2], x[3] + step[3]],
      cov: plus(filtered.cov, mul(mul(c, plus(later.cov, next.predicted.cov, -1)), transpose(c))),
    };
  }
  return out;
}

/** A belief as kilograms: the estimate, its 90 % interval, the trend in % per week. */
export function pointOf(date: string, b: Belief): StrengthPoint {
  const sd = Math.sqrt(b.cov[0][0] + SYSTEMATIC_SD ** 2);
  return {
    date,
    estimateKg: Math.exp(b.mean[0]),
    lowKg: Math.exp(b.mean[0] - Z90 * sd),
    highKg: Math.exp(b.mean[0] + Z90 * sd),
    trendPctPerWeek: (Math.exp(b.mean[1]) - 1) * 100,
  };
}

/**
 * What a stored belief keeps beyond its level and trend (`strength_estimates.habits`): the offset and rep curve,
 * their variances, and their covariances with the rest. `withHabits` reads them back; an empty list (a belief
 * stored before they existed) reads as the prior.
 */
export function habitsOf(b: Belief): number[] {
  const c = b.cov;
  return [b.mean[2], b.mean[3], c[2][2], c[3][3], c[0][2], c[0][3], c[1][2], c[1][3], c[2][3]];
}

export function withHabits(
  level: { mean: [number, number]; cov: [[number, number], [number, number]] },
  habits: readonly number[],
): Belief {
  const [b, u, vb, vu, lb, lu, gb, gu, bu] =
    habits.length === 9 ? habits : [0, 0, LOOSE_OFFSET_SD ** 2, REP_CURVE_SD ** 2, 0, 0, 0, 0, 0];
  const [[vl, lg], [, vg]] = level.cov;
  return {
    mean: [level.mean[0], level.mean[1], b!, u!],
    cov: [
      [vl, lg, lb!, lu!],
      [lg, vg, gb!, gu!],
      [lb!, gb!, vb!, bu!],
      [lu!, gu!, bu!, vu!],
    ],
  };
}

/** The smoothed history of stored filter beliefs (date order): each day's prediction is the day before's, moved on. */
export function smoothBeliefs(beliefs: readonly { date: string; belief: Belief }[]): StrengthPoint[] {
  const steps: FilterStep[] = beliefs.map((b, k) => ({
    date: b.date,
    filtered: b.belief,
    restarted: false,
    predicted: k === 0 ? b.belief : predict(beliefs[k - 1]!.belief, weeksBetween(beliefs[k - 1]!.date, b.date)),
  }));
  return smooth(steps).map((b, k) => pointOf(steps[k]!.date, b));
}

/** Every day's smoothed estimate: the history a chart draws (the last day's equals the filter's). */
export function strengthSeries(days: readonly DayInput[]): StrengthPoint[] {
  const steps = filterDays(days);
  return smooth(steps).map((b, k) => pointOf(steps[k]!.date, b));
}

const normalPdf = (x: number) => jStat.normal.pdf(x, 0, 1);
const normalCdf = (x: number) => jStat.normal.cdf(x, 0, 1);
