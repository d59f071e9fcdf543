import { impliedMax, repMaxError } from './rep-max';

/** A working set as the estimate reads it (warm-ups already out). */
export interface StrengthSet {
  weight: number;
  reps: number;
  /** RPE as the lifter called it, 1–10; null when not given. */
  rpe: number | null;
  /** Fewer reps than prescribed: the lifter reached failure. */
  failed: boolean;
}

/**
 * What one day's sets of one exercise say about the log one-rep max: at most one **measurement** (sets taken to
 * failure or rated close to it, pooled; on a day without either, the top set read loosely as a hard set) and at
 * most one **lower bound** (sets without a rating: the 1RM is at least what they imply at failure).
 */
export interface DayEvidence {
  /**
   * Pooled log 1RM of the measured sets, and its variance (one day's readiness counted once). `loose`: an unrated
   * day read as hard sets, whose distance from failure is the lifter's habit (the filter learns its offset).
   */
  measured: { y: number; variance: number; reps: number; loose?: boolean } | null;
  /** The highest log 1RM an unrated set implies, and its variance. */
  atLeast: { y: number; variance: number } | null;
}

/**
 * Day-to-day readiness: 1RM test–retest CV has a median of 4.2 % (Grgic 2020, 32 studies), which includes test
 * error; 3.5 % is taken as the day's own variation. All sets of a day share it, so it enters once per day.
 */
export const READINESS_SD = 0.035;
/** Below this RPE a rating says too little about the distance to failure; such sets count as unrated. */
const MIN_RATED_RPE = 6;
/** A rated set more than this many of its own SDs from the day's median is a typo, not a measurement. */
const WITHIN_DAY_OUTLIER = 3;

/**
 * Reps in reserve as called, and the error of that call. Lifters under-predict the reps left by 0.95 on average
 * (Halperin 2022, 12 studies), less close to failure (at a true 1RM powerlifters call RPE 9.6–9.7, Helms 2016);
 * the error is ~1 rep at 0–5 reps in reserve and over 2 at 7–10 (Hackett 2017). So: a bias rising from none at a
 * called RPE 10 to 0.95 reps from two reps in reserve on, and an SD of 0.7 + 0.2 per rep — readings of those
 * figures (their exact form is a guess).
 */
function reserveOf(rpe: number): { reserve: number; sd: number } {
  const called = 10 - rpe;
  return { reserve: called + 0.95 * Math.min(1, called / 2), sd: 0.7 + 0.2 * called };
}

/** Log-1RM change per rep of reserve near the chart's low reps (~3 % per rep, RTS chart). */
const LOG_PER_REP = 0.03;

/**
 * Reps and reserve are whole reps: a set of n reps with r in reserve means the (n + r + 1)th would have failed,
 * so failure lies between n + r and n + r + 1 — read half-way, as a missed rep is.
 */
const WHOLE_REP = 0.5;

/**
 * A set's log 1RM, its SD, and the reps done: what the lifter's own rep curve bends (read from the reps done, not
 * the reserve called, whose error would pass for a rep curve).
 */
interface Reading {
  y: number;
  sd: number;
  reps: number;
}

function measurementOf(set: StrengthSet): Reading | null {
  if (set.rpe !== null && set.rpe >= MIN_RATED_RPE) {
    const { reserve, sd } = reserveOf(set.rpe);
    const toFailure = set.reps + reserve + WHOLE_REP;
    return {
      y: logMax(set.weight, toFailure),
      sd: Math.hypot(repMaxError(toFailure), LOG_PER_REP * sd),
      reps: set.reps,
    };
  }
  // A missed rep: the lifter could do `reps` but not one more — failure half a rep on, within half a rep.
  if (set.failed) {
    const toFailure = set.reps + WHOLE_REP;
    return { y: logMax(set.weight, toFailure), sd: Math.hypot(repMaxError(toFailure), 0.015), reps: set.reps };
  }
  return null;
}

const logMax = (weight: number, toFailure: number) => Math.log(impliedMax(weight, toFailure, 0));

/**
 * An unrated day's top set also reads as a **loose** measurement at 4 reps in reserve — between a hard set, 0–3
 * reps from failure (the usual definition; sources §8, low weight), and the loads people choose for themselves,
 * 53 % of 1RM on average (Steele 2022): a guess — ± 1 rep from one session to the next (the error of a call near
 * failure, Hackett 2017). How far this lifter really stops is a habit, not noise: the filter carries it as an offset
 * (`LOOSE_OFFSET_SD`, estimate.ts) that a failure or a rating teaches it. The lower bound keeps the reading honest
 * from below.
 */
const UNRATED_RESERVE = 4;
const UNRATED_RESERVE_SD = 1;

export function dayEvidence(sets: readonly StrengthSet[]): DayEvidence {
  const usable = withoutTypos(sets.filter((s) => s.weight > 0 && s.reps >= 1));
  const read = usable.map((s) => ({ set: s, measurement: measurementOf(s) }));
  const rated = pooled(read.flatMap((r) => (r.measurement ? [r.measurement] : [])));
  const rest = read.filter((r) => r.measurement === null).map((r) => r.set);
  const unrated = rest.filter((s) => s.rpe === null);
  const atLeast = highest(rest.map(boundOf));
  const top = highest(
    unrated.filter((s) => s.reps <= MAX_REPS).map((s) => ({ set: s, y: Math.log(impliedMax(s.weight, s.reps, 0)) })),
  );
  // A day with a rated set, or whose sets the lifter called light, is not read as hard sets.
  if (rated || !top || atLeast!.y > top.y) return { measured: rated, atLeast };
  const toFailure = top.set.reps + UNRATED_RESERVE + WHOLE_REP;
  const sd = Math.hypot(repMaxError(toFailure), LOG_PER_REP * UNRATED_RESERVE_SD);
  const y = logMax(top.set.weight, toFailure);
  return { measured: { y, variance: sd ** 2 + READINESS_SD ** 2, reps: top.set.reps, loose: true }, atLeast };
}

/**
 * What a set that is not a measurement proves: the 1RM at least what it implies at failure — or, when the lifter
 * called it light (RPE below 6), at least what it implies that many reps short of failure, less the usual
 * under-call and about one SD of it (`LIGHT_MARGIN`). A set of more reps than rep-max relations hold for still
 * proves the 12-rep max at its weight.
 */
function boundOf(s: StrengthSet): { y: number; variance: number } {
  const reps = Math.min(s.reps, MAX_REPS);
  const toFailure = reps + (s.rpe === null ? 0 : Math.max(0, 10 - s.rpe - LIGHT_MARGIN));
  return { y: logMax(s.weight, toFailure), variance: repMaxError(toFailure) ** 2 + READINESS_SD ** 2 };
}

const LIGHT_MARGIN = 2;

/**
 * A set implying more than five times the 1RM of the day's next heaviest set (at failure, rated or not) is a
 * typing slip — a digit too many — not training: even after empty-bar warm-ups a top set is not five times the
 * next. Judged on days of 3 sets or more. A slip the other way looks like a warm-up and bounds nothing.
 */
const TYPO_FACTOR = 5;

function withoutTypos(sets: readonly StrengthSet[]): readonly StrengthSet[] {
  if (sets.length < 3) return sets;
  const implied = sets.map((s) => impliedMax(s.weight, Math.min(s.reps, MAX_REPS), 0));
  const [top, next] = [...implied].sort((x, y) => y - x);
  if (top! <= TYPO_FACTOR * next!) return sets;
  return withoutTypos(sets.filter((_, i) => implied[i]! < top!));
}

/** Rep-max relations hold up to about 10–12 reps (Reynolds 2006); Epley's e1RM stops at 12 too. */
const MAX_REPS = 12;

function highest<T extends { y: number }>(xs: readonly T[]): T | null {
  return xs.reduce<T | null>((best, x) => (best && best.y >= x.y ? best : x), null);
}

/** Inverse-variance mean of a day's measurements, typos (far from the day's median) left out. */
function pooled(ms: readonly Reading[]): DayEvidence['measured'] {
  if (ms.length === 0) return null;
  const median = [...ms].sort((a, b) => a.y - b.y)[Math.floor((ms.length - 1) / 2)]!.y;
  const kept = ms.length > 2 ? ms.filter((m) => Math.abs(m.y - median) <= WITHIN_DAY_OUTLIER * m.sd) : ms;
  const precision = kept.reduce((p, m) => p + 1 / m.sd ** 2, 0);
  const weighted = (f: (m: Reading) => number) => kept.reduce((s, m) => s + f(m) / m.sd ** 2, 0) / precision;
  return {
    y: weighted((m) => m.y),
    variance: 1 / precision + READINESS_SD ** 2,
    reps: weighted((m) => m.reps),
  };
}
