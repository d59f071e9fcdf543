/**
 * How heavy a set is relative to the lifter's one-rep max, from the reps it was done for and how close to failure.
 *
 * The Reactive Training Systems (Tuchscherer) RPE-10 row — the share of 1RM a lifter can lift for exactly n reps
 * to failure — as published in open-source copies of the chart (`andrewigk/rpe_e1rm_calculator` RPETable.java,
 * `shaiTroy/RPE-Calculator` functions.js; ../shared/research/lifter-model-sources.md §4). Each 0.5 RPE below 10 is
 * one half-step further along the same curve, so RPE p at r reps reads the row at r + (10 − p) reps to failure.
 * Past 12 reps to failure the chart's copies disagree and rep-max equations lose accuracy (Reynolds 2006: use
 * ≤ 10 reps), so Epley's relation w × (1 + R/30) continues the curve there, with a larger error (`repMaxError`).
 */
// biome-ignore lint/suspicious/noApproximativeNumericConstant: 70.7 % is the chart's value at 11 reps, not √½.
const RTS_RPE10 = [1, 0.955, 0.922, 0.892, 0.863, 0.837, 0.811, 0.786, 0.762, 0.739, 0.707, 0.68];
const CHART_MAX = RTS_RPE10.length;

/** The share of 1RM that can be lifted for `toFailure` reps to failure (≥ 1; fractional half-steps interpolate). */
export function shareOfMax(toFailure: number): number {
  if (!(toFailure >= 1)) throw new RangeError(`reps to failure must be at least 1, got ${toFailure}`);
  if (toFailure <= CHART_MAX) {
    const lo = Math.floor(toFailure);
    const hi = Math.min(CHART_MAX, lo + 1);
    const f = toFailure - lo;
    return RTS_RPE10[lo - 1]! * (1 - f) + RTS_RPE10[hi - 1]! * f;
  }
  // Epley from the chart's last point on: the same slope in 1/share per rep as Epley, anchored at 12 reps.
  return 1 / (1 / RTS_RPE10[CHART_MAX - 1]! + (toFailure - CHART_MAX) / 30);
}

/**
 * The error of a rep-max estimate, as a share of 1RM (log scale), for a set `toFailure` reps from failure.
 * Prediction equations miss a 1RM by ~5–7 kg, 10–13 % in total error at ~85 % 1RM (Hutchins & Gearhart 2010);
 * reps at a given %1RM vary between lifters (6–26 at 70 %, Zourdos 2021), so the error grows with the reps.
 * 3 % at a single, +0.5 % per rep to failure beyond it — a reading of those figures, not a fitted value.
 */
export function repMaxError(toFailure: number): number {
  return 0.03 + 0.005 * Math.max(0, toFailure - 1);
}

/** The one-rep max that weight × reps, `inReserve` reps short of failure, implies. */
export function impliedMax(weight: number, reps: number, inReserve: number): number {
  return weight / shareOfMax(reps + inReserve);
}
