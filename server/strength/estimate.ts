import jStat from 'jstat';
import { addDays } from '@/server/time/calendar';
import type { DayEvidence } from './observations';

/**
 * A lifter's one-rep max on one exercise, estimated from every day's sets: a local linear trend on the log 1RM
 * (state: level ℓ and weekly trend g), filtered day by day and smoothed backwards (Rauch–Tung–Striebel).
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
/** Before any reading: the first day's evidence within ±20 %, a trend within ±1 %/week. */
const FIRST_LEVEL_SD = 0.2;
const FIRST_TREND_SD = 0.01;
/** Prior share of readings that are outliers, and the outlier's density over the log scale (±3). */
const OUTLIER_SHARE = 0.02;
const OUTLIER_DENSITY = 1 / 6;
/**
 * What averaging cannot remove: a lifter's own habit in calling reps in reserve (the RIR studies' heterogeneity
 * is large, I² = 98 %, Halperin 2022) and their own rep–%1RM curve (reps at 70 % 1RM range 6–26 between trained
 * lifters, Zourdos 2021; rep-max equations miss one lifter's 1RM by 5.4–6.8 kg on the bench, Hutchins & Gearhart
 * 2010). 5 % of 1RM, added to the interval, not to the filter's weighting: a reading of those figures.
 */
const SYSTEMATIC_SD = 0.05;
/** 90 % interval: ±1.645 SD. */
const Z90 = 1.6448536269514722;

type Vec = [number, number];
type Mat = [[number, number], [number, number]];

/** Gaussian belief over (log level, weekly log trend), and a reading it rejected, waiting for a second. */
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

function transition(weeks: number): Mat {
  const training = Math.min(weeks, LAYOFF_AFTER_WEEKS);
  const off = weeks - training;
  const decay = Math.exp(-off / TREND_MEMORY_WEEKS);
  const layoff: Mat = [
    [1, TREND_MEMORY_WEEKS * (1 - decay)],
    [0, decay],
  ];
  return mul(layoff, [
    [1, training],
    [0, 1],
  ]);
}

const mul = (a: Mat, b: Mat): Mat => [
  [a[0][0] * b[0][0] + a[0][1] * b[1][0], a[0][0] * b[0][1] + a[0][1] * b[1][1]],
  [a[1][0] * b[0][0] + a[1][1] * b[1][0], a[1][0] * b[0][1] + a[1][1] * b[1][1]],
];
const transpose = (a: Mat): Mat => [
  [a[0][0], a[1][0]],
  [a[0][1], a[1][1]],
];
const add = (a: Mat, b: Mat): Mat => [
  [a[0][0] + b[0][0], a[0][1] + b[0][1]],
  [a[1][0] + b[1][0], a[1][1] + b[1][1]],
];
const sub = (a: Mat, b: Mat): Mat => add(a, scale(b, -1));
const scale = (a: Mat, k: number): Mat => [
  [a[0][0] * k, a[0][1] * k],
  [a[1][0] * k, a[1][1] * k],
];
const apply = (a: Mat, v: Vec): Vec => [a[0][0] * v[0] + a[0][1] * v[1], a[1][0] * v[0] + a[1][1] * v[1]];
const outer = (v: Vec): Mat => [
  [v[0] * v[0], v[0] * v[1]],
  [v[1] * v[0], v[1] * v[1]],
];
function inverse(a: Mat): Mat {
  const det = a[0][0] * a[1][1] - a[0][1] * a[1][0];
  return [
    [a[1][1] / det, -a[0][1] / det],
    [-a[1][0] / det, a[0][0] / det],
  ];
}

/** The belief `weeks` later, before that day's readings. */
function predict(b: Belief, weeks: number): Belief {
  const f = transition(weeks);
  const q: Mat = [
    [LEVEL_SD_PER_WEEK ** 2 * weeks, 0],
    [0, TREND_SD_PER_WEEK ** 2 * weeks],
  ];
  const moved: Belief = { mean: apply(f, b.mean), cov: add(mul(mul(f, b.cov), transpose(f)), q) };
  return b.suspect ? { ...moved, suspect: b.suspect } : moved;
}

/** Folds in a reading of the level, y with variance r, as a mixture of a true reading and an outlier. */
/** How much a reading of the level is believed: its weight against the outlier alternative. */
function readingWeight(b: Belief, y: number, r: number): number {
  const s = b.cov[0][0] + r;
  const innovation = y - b.mean[0];
  const likelihood = Math.exp((-innovation * innovation) / (2 * s)) / Math.sqrt(2 * Math.PI * s);
  return ((1 - OUTLIER_SHARE) * likelihood) / ((1 - OUTLIER_SHARE) * likelihood + OUTLIER_SHARE * OUTLIER_DENSITY);
}

function measure(b: Belief, y: number, r: number): Belief {
  const s = b.cov[0][0] + r;
  const innovation = y - b.mean[0];
  const w = readingWeight(b, y, r);
  if (w < 1e-9) return b;
  const gain: Vec = [b.cov[0][0] / s, b.cov[1][0] / s];
  const shift: Vec = [gain[0] * innovation, gain[1] * innovation];
  const updated = sub(b.cov, [
    [gain[0] * b.cov[0][0], gain[0] * b.cov[0][1]],
    [gain[1] * b.cov[0][0], gain[1] * b.cov[0][1]],
  ]);
  return mixture(b, w, shift, updated);
}

/** Folds in "the level is at least y" (variance r of the bound), as a mixture with an uninformative outlier. */
function atLeast(b: Belief, y: number, r: number): Belief {
  const s = Math.sqrt(b.cov[0][0] + r);
  const alpha = (b.mean[0] - y) / s;
  const z = normalCdf(alpha);
  const w = ((1 - OUTLIER_SHARE) * z) / ((1 - OUTLIER_SHARE) * z + OUTLIER_SHARE);
  // A bound far above the belief is all outlier: folding in nothing also avoids 0 × ∞ in the moments.
  if (w < 1e-9) return b;
  const lambda = normalPdf(alpha) / z;
  const column: Vec = [b.cov[0][0], b.cov[1][0]];
  const shift: Vec = [(column[0] * lambda) / s, (column[1] * lambda) / s];
  const updated = sub(b.cov, scale(outer(column), (lambda * (lambda + alpha)) / (s * s)));
  return mixture(b, w, shift, updated);
}

/** Moments of w·(belief moved by `shift` with covariance `updated`) + (1 − w)·(belief unchanged). */
function mixture(b: Belief, w: number, shift: Vec, updated: Mat): Belief {
  return {
    mean: [b.mean[0] + w * shift[0], b.mean[1] + w * shift[1]],
    cov: add(add(scale(updated, w), scale(b.cov, 1 - w)), scale(outer(shift), w * (1 - w))),
  };
}

function firstBelief(e: DayInput['evidence']): Belief {
  const y = e.measured?.y ?? e.atLeast!.y;
  return {
    mean: [y, 0],
    cov: [
      [FIRST_LEVEL_SD ** 2, 0],
      [0, FIRST_TREND_SD ** 2],
    ],
  };
}

function observe(b: Belief, e: DayInput['evidence'], date: string): { belief: Belief; restarted: boolean } {
  let out: Belief = { mean: b.mean, cov: b.cov };
  let suspect = b.suspect;
  let restarted = false;
  const m = e.measured;
  if (m && readingWeight(b, m.y, m.variance) < REJECTED) {
    const confirms = suspect !== undefined && consistent(suspect, m);
    if (confirms && date >= addDays(suspect!.date, CONFIRM_AFTER_DAYS)) {
      out = restartFrom(suspect!, m);
      suspect = undefined;
      restarted = true;
    } else if (!confirms) {
      suspect = { y: m.y, variance: m.variance, date };
    }
  } else if (m) {
    out = measure(out, m.y, m.variance);
    suspect = undefined;
  }
  if (e.atLeast) out = atLeast(out, e.atLeast.y, e.atLeast.variance);
  return { belief: suspect ? { ...out, suspect } : out, restarted };
}

const consistent = (a: { y: number; variance: number }, b: { y: number; variance: number }) =>
  Math.abs(a.y - b.y) <= 3 * Math.sqrt(a.variance + b.variance);

/** A fresh belief from two readings that agree with each other and not with the old belief. */
function restartFrom(a: { y: number; variance: number }, b: { y: number; variance: number }): Belief {
  const precision = 1 / a.variance + 1 / b.variance;
  return {
    mean: [(a.y / a.variance + b.y / b.variance) / precision, 0],
    cov: [
      [1 / precision, 0],
      [0, FIRST_TREND_SD ** 2],
    ],
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
    const dm: Vec = [later.mean[0] - next.predicted.mean[0], later.mean[1] - next.predicted.mean[1]];
    const step = apply(c, dm);
    out[k] = {
      mean: [filtered.mean[0] + step[0], filtered.mean[1] + step[1]],
      cov: add(filtered.cov, mul(mul(c, sub(later.cov, next.predicted.cov)), transpose(c))),
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
