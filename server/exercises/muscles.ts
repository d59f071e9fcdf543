/**
 * Exercises' muscle groups (`MUSCLE_GROUPS`, free-exercise-db's): the catalog's mapping comes from that dataset
 * (`catalog-muscles.ts`, generated), and a lifter maps an exercise of their own to the same groups.
 */
export interface ExerciseMuscles {
  exercise: string;
  /** The free-exercise-db entry it was taken from; null for a lifter's own mapping. */
  source: string | null;
  primary: readonly string[];
  secondary: readonly string[];
  mechanic: string | null;
  force: string | null;
}

/**
 * A working set counts 1 for each primary muscle and ½ for each secondary: counting indirect sets as half fits
 * the dose–response data best (Pelland et al. 2024, 67 studies; docs/analytics.md).
 */
export const PRIMARY_CREDIT = 1;
export const SECONDARY_CREDIT = 0.5;

/**
 * The default weekly target per muscle group, in hard sets: 10–20 (Schoenfeld, Ogborn, Krieger 2017: 10+ weekly
 * sets grew more than fewer; 12–20 the suggested optimum for trained men, PMC8884877). A lifter may set their own.
 */
export const DEFAULT_WEEKLY_TARGET = { min: 10, max: 20 } as const;
