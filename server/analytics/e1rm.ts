/**
 * Estimated one-rep max, Epley: w × (1 + r/30). Only for sets of 1–12 reps: beyond that the estimate says more
 * about endurance than strength. Note that Epley's formula, taken literally, puts a single at 1.033 × w.
 * The SQL aggregates compute the same expression (`E1RM_MAX_REPS` and the formula are mirrored there).
 */
export const E1RM_MAX_REPS = 12;

export function epley(weight: number, reps: number): number | null {
  if (!(reps >= 1 && reps <= E1RM_MAX_REPS) || !(weight > 0)) return null;
  return weight * (1 + reps / 30);
}

/** Two decimals for the wire: enough for kilograms, and stable across drivers. */
export const round2 = (x: number) => Math.round(x * 100) / 100;
