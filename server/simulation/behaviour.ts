import jStat from 'jstat';

/**
 * What a simulated lifter does, as opposed to what their body can: how they rate a set, when they lift something
 * other than the prescription, which sessions they turn up to, and when they quit. Constants are sourced in
 * docs/simulation.md or called guesses there.
 */

/** A standard normal draw from the seeded uniform generator (inverse transform through jStat). */
export function normal(rand: () => number): number {
  return jStat.normal.inv(Math.min(1 - 1e-12, Math.max(1e-12, rand())), 0, 1);
}

/**
 * RPE as called for a set that ended `inReserve` reps from failure: lifters under-predict the reps left by
 * 0.95 on average (Halperin 2022), less so at failure (a true 1RM is called 9.6–9.7, Helms 2016); the error is
 * ~1 rep at 0–5 reps in reserve and over 2 at 7–10 (Hackett 2017): SD 0.6 + 0.2 per rep. To the half point, 5–10.
 */
export function calledRpe(rand: () => number, inReserve: number, failed: boolean): number {
  if (failed) return 10;
  const called = inReserve - 0.95 * Math.min(1, inReserve / 2) + normal(rand) * (0.6 + 0.2 * inReserve);
  return Math.min(10, Math.max(5, Math.round((10 - called) * 2) / 2));
}

/** How a lifter departs from the prescription: lighter after a failure, heavier after an easy session. */
const LIGHTER_AFTER_FAILURE = 0.5;
const HEAVIER_WHEN_EASY = 0.4;
/** A session "felt easy" when its first set was called this RPE or lower. */
const EASY_RPE = 7;

export function chosenLoad(
  rand: () => number,
  prescribed: number,
  deviates: number,
  last: { failed: boolean; rpe: number | null } | undefined,
): number {
  if (!last) return prescribed;
  if (last.failed && rand() < LIGHTER_AFTER_FAILURE * deviates) return prescribed * 0.95;
  if (!last.failed && last.rpe !== null && last.rpe <= EASY_RPE && rand() < HEAVIER_WHEN_EASY * deviates)
    return prescribed * 1.05;
  return prescribed;
}

/** A set's weight typed one digit too long (800 for 80): how often, a guess. */
export const TYPO_RATE = 0.001;

/**
 * Breaks: at the start of a week a lifter not already on one starts a break with this probability, lasting 1 week
 * (60 %), 2 (25 %) or 3–6 (15 %). A guess: no source gives break lengths.
 */
const BREAK_START = 0.04;

export function breakWeeks(rand: () => number): number {
  if (rand() >= BREAK_START) return 0;
  const u = rand();
  return u < 0.6 ? 1 : u < 0.85 ? 2 : 3 + Math.floor(rand() * 4);
}

/**
 * Weekly dropout hazard. Baseline: about half of those who start an exercise programme stop within 6 months
 * (Dishman), most of them early (67 % of STRRIDE's dropouts came during the ramp-up, Collins 2022): 3.5 % a week in
 * the first 8 weeks, 1.4 % after — 42 % by week 26 with no failures. Each failed week of the last four multiplies
 * it by 1.5 and two weeks or more without training by 2: guesses (no study quantifies either; fewer gym visits
 * predict dropout, "Dropout predictors at gyms" 2021).
 */
export const HAZARD_EARLY = 0.035;
export const HAZARD_LATER = 0.014;
const EARLY_WEEKS = 8;
const FAILED_WEEK_HAZARD = 1.5;
const GAP_HAZARD = 2;

export function dropoutHazard(week: number, failedWeeksOfLastFour: number, weeksWithoutTraining: number): number {
  const base = week < EARLY_WEEKS ? HAZARD_EARLY : HAZARD_LATER;
  const gap = weeksWithoutTraining >= 2 ? GAP_HAZARD : 1;
  return Math.min(1, base * FAILED_WEEK_HAZARD ** failedWeeksOfLastFour * gap);
}
