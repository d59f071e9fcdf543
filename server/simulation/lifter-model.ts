import { epley } from '@/server/analytics/e1rm';

/**
 * The simulated lifter: the ground truth every test of the learning loop reads. Pure equations, documented in
 * docs/simulation.md; the randomness comes from the caller's seeded generator.
 *
 * - Each exercise has a latent true one-rep max, the **capacity**. A prescription (weight w × reps r) asks for an
 *   **intensity** i = e1RM(w, r) / capacity (Epley, as the analytics compute it).
 * - A set succeeds with probability `pSet(i) = 1 / (1 + exp(STEEPNESS × (i − HALF_INTENSITY)))`, and each later set
 *   of the session asks a little more (`SET_FATIGUE` per set): at 0.80 almost every set succeeds, at 0.92 half.
 * - RPE rises with intensity: `rpe = 10 − (1 − i) × RPE_SLOPE` plus noise, between 5 and 10.
 * - Capacity responds to the week's training: sets that succeeded at an intensity in the productive band grow it
 *   by up to the lifter's `growth` per week (`stimulus`); failures add fatigue, and a week with most sets failed
 *   costs capacity (`FAILURE_COST`) instead.
 */
const STEEPNESS = 30;
export const HALF_INTENSITY = 0.92;
export const SET_FATIGUE = 0.01;
export const RPE_SLOPE = 16;
const PRODUCTIVE_FROM = 0.7;
const PRODUCTIVE_FULL = 0.85;
const FAILURE_COST = 0.004;

/** Probability that one set at intensity `i` (its position in the session already counted) succeeds. */
export function pSet(intensity: number): number {
  return 1 / (1 + Math.exp(STEEPNESS * (intensity - HALF_INTENSITY)));
}

/** The intensity a prescription asks of a lifter: e1RM of weight × reps over the true one-rep max. */
export function intensityOf(weight: number, reps: number, capacity: number): number {
  return (epley(weight, reps) ?? weight) / capacity;
}

/** How much a successful set at intensity `i` stimulates growth: none when light, fully from PRODUCTIVE_FULL. */
function stimulusOf(intensity: number): number {
  return Math.max(0, Math.min(1, (intensity - PRODUCTIVE_FROM) / (PRODUCTIVE_FULL - PRODUCTIVE_FROM)));
}

/**
 * Next week's capacity: each successful set adds its stimulus, averaged over the week's sets, times the lifter's
 * weekly growth; a week where most sets failed loses `FAILURE_COST` instead (fatigue, not adaptation).
 */
export function nextCapacity(
  capacity: number,
  growth: number,
  sets: readonly { intensity: number; success: boolean }[],
): number {
  if (sets.length === 0) return capacity;
  const failed = sets.filter((s) => !s.success).length / sets.length;
  if (failed > 0.5) return capacity * (1 - FAILURE_COST);
  const stimulus = sets.reduce((sum, s) => sum + (s.success ? stimulusOf(s.intensity) : 0), 0) / sets.length;
  return capacity * (1 + growth * stimulus);
}
