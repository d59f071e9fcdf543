import { shareOfMax } from '@/server/strength/rep-max';

/**
 * The body of a simulated lifter, one exercise at a time, day by day: what they could lift (capacity), what
 * training took out of them for now (fatigue), and how many reps a load allows today. Pure equations; every
 * constant is sourced in docs/simulation.md (../shared/research/lifter-model-sources.md), or called a guess there.
 *
 * - **Capacity** K (the fully recovered one-rep max) grows with the week's effective sets, by `GAIN_PER_WEEK`
 *   times the headroom left to the lifter's ceiling C (1 − K/C: diminishing returns), times a dose response in
 *   the week's effective sets (1 − e^(−D/DOSE_SETS)), times what fatigue leaves of adaptation (1 − F/FATIGUE_STALL:
 *   past it, training costs capacity). After `DETRAIN_AFTER_DAYS` without training it it decays towards the
 *   lifter's untrained level.
 * - **Fatigue** F (a share of capacity) is Banister's negative term: each set adds an impulse, all of it decays with
 *   τ₂ = `FATIGUE_TAU_DAYS`. Today's strength is K·(1 − F); the day's readiness moves it a few % either way.
 */
const GAIN_PER_WEEK = 0.015;
const DOSE_SETS = 2;
export const FATIGUE_TAU_DAYS = 7;
const FATIGUE_PER_HARD_SET = 0.004;
const FAILED_SET_FATIGUE = 1.5;
const FATIGUE_STALL = 0.1;
export const DETRAIN_AFTER_DAYS = 21;
const DETRAIN_PER_WEEK = 0.03;

/**
 * The load (share of capacity) from which a set stimulates strength fully, by training status: untrained lifters
 * gain most at a mean 60 % 1RM, trained ones at 80 % (Rhea 2003), athletes at 85 % (Peterson 2004). Below it the
 * stimulus falls linearly to none 30 points lower (a guess).
 */
export const LOAD_FULL = { novice: 0.6, intermediate: 0.8, advanced: 0.85 } as const;
const LOAD_RAMP = 0.3;
/**
 * Reps in reserve up to which a set counts fully — a "hard set" ends 0–3 reps from failure (sources §8, low
 * weight) — falling to half at `EFFORT_FAR` and beyond: for strength the load matters more than the effort (Rhea
 * 2003's dose is in %1RM). The shape is a guess.
 */
const EFFORT_FULL = 3;
const EFFORT_FAR = 8;
/** How much each set takes from the next ones of the session, near failure and far from it. */
const SET_COST_HARD = 0.015;
const SET_COST_EASY = 0.005;

const DECAY = Math.exp(-1 / FATIGUE_TAU_DAYS);

/** One exercise's hidden state. */
export interface Body {
  capacity: number;
  readonly ceiling: number;
  readonly untrained: number;
  /** The load from which a set counts fully (`LOAD_FULL` of the lifter's status). */
  readonly loadFull: number;
  fatigue: number;
  /** Effective sets of the last 7 days, by day (index = day mod 7). */
  readonly dose: number[];
  lastTrainedDay: number;
}

export function newBody(capacity: number, ceiling: number, untrained: number, loadFull: number): Body {
  return { capacity, ceiling, untrained, loadFull, fatigue: 0, dose: Array(7).fill(0), lastTrainedDay: 0 };
}

/** Strength today before the day's readiness: what is left of capacity after fatigue. */
export function strengthOf(body: Body): number {
  return body.capacity * (1 - body.fatigue);
}

/** How much a set counts towards strength: by its load (share of capacity) and how close to failure it ended. */
export function effectiveSet(body: Body, load: number, inReserve: number): number {
  const heavy = clamp01(1 - (body.loadFull - load / body.capacity) / LOAD_RAMP);
  const effort = 1 - 0.5 * clamp01((inReserve - EFFORT_FULL) / (EFFORT_FAR - EFFORT_FULL));
  return heavy * effort;
}

/** A set done: its stimulus joins today's dose, its fatigue joins the lifter's; the exercise is not detraining. */
export function recordSet(body: Body, day: number, stimulus: number, failed: boolean): void {
  body.dose[day % 7]! += stimulus;
  body.fatigue = Math.min(0.5, body.fatigue + FATIGUE_PER_HARD_SET * stimulus * (failed ? FAILED_SET_FATIGUE : 1));
  body.lastTrainedDay = day;
}

/**
 * The end of a day: capacity adapts to the last 7 days' dose (or detrains after a long gap), fatigue decays, and
 * the dose slot of the day 7 days on is cleared for it.
 */
export function endDay(body: Body, day: number): void {
  const dose = body.dose.reduce((a, b) => a + b, 0);
  if (dose > 0) {
    const headroom = Math.max(0, 1 - body.capacity / body.ceiling);
    const response = 1 - Math.exp(-dose / DOSE_SETS);
    const recovery = Math.max(-1, 1 - body.fatigue / FATIGUE_STALL);
    body.capacity *= 1 + (GAIN_PER_WEEK / 7) * headroom * response * recovery;
  }
  if (day - body.lastTrainedDay > DETRAIN_AFTER_DAYS) {
    body.capacity -= (body.capacity - body.untrained) * (DETRAIN_PER_WEEK / 7);
  }
  body.fatigue *= DECAY;
  body.dose[(day + 1) % 7] = 0;
}

/**
 * Reps to failure at `weight` for a lifter whose one-rep max today is `max`: the RTS RPE-10 row inverted, stretched
 * by the lifter's own rep endurance (1 = the chart; reps at 70 % range 6–26 between trained lifters, Zourdos 2021).
 * Continuous: the whole reps are its floor. Above the max, less than one rep.
 */
export function repsToFailure(weight: number, max: number, endurance: number): number {
  const share = weight / max;
  if (share >= 1) return Math.max(0, 1 - (share - 1) / (1 - shareOfMax(2)));
  return 1 + (chartReps(share) - 1) * endurance;
}

/** Inverse of `shareOfMax`: reps to failure at this share of 1RM (share < 1), read off a fine table of the chart. */
function chartReps(share: number): number {
  const x = (Math.max(share, TABLE_FROM) - TABLE_FROM) / TABLE_STEP;
  const i = Math.min(TABLE.length - 2, Math.floor(x));
  return TABLE[i]! + (TABLE[i + 1]! - TABLE[i]!) * (x - i);
}

/** Reps to failure at shares TABLE_FROM … 1 in steps of TABLE_STEP, by bisection on the monotone chart. */
const TABLE_FROM = 0.3;
const TABLE_STEP = 1 / 2048;
const TABLE = Float64Array.from({ length: Math.ceil((1 - TABLE_FROM) / TABLE_STEP) + 1 }, (_, i) => {
  const share = TABLE_FROM + i * TABLE_STEP;
  let lo = 1;
  let hi = 200;
  for (let k = 0; k < 40; k++) {
    const mid = (lo + hi) / 2;
    if (shareOfMax(mid) > share) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
});

/** What a set takes from the next sets of the session, by how close to failure it ended. */
export function setCost(inReserve: number): number {
  return inReserve <= EFFORT_FULL ? SET_COST_HARD : SET_COST_EASY;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
