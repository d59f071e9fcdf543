import { seededRandom } from '@/server/random';

/**
 * A simulated population: who the lifters are and their hidden truth (capacity per exercise, how fast they grow),
 * drawn from a seed. Pure; the same seed gives the same people on every machine.
 */
const SIM_EXERCISES = ['Back Squat', 'Bench Press', 'Deadlift'] as const;
export const TARGET_REPS = 5;
export const SETS_PER_SESSION = 3;
export const SESSIONS_PER_WEEK = 2;

interface SimExercise {
  name: string;
  /** True one-rep max at the start, kg. */
  capacity: number;
  /** Growth of capacity per week under ideal training, as a share (0.003–0.015). */
  growth: number;
  /**
   * The app's own (rules-only) working weight for TARGET_REPS at the start: some lifters start far below what they
   * could lift, some near it.
   */
  base: number;
}

export interface SimLifter {
  userId: string;
  sex: 'male' | 'female';
  age: number;
  heightCm: number;
  bodyweightKg: number;
  goalWeightKg: number;
  /** Chance an answered session is "helpful" depends on how it went; this is how often they answer at all. */
  feedbackRate: number;
  exercises: SimExercise[];
}

const between = (rand: () => number, lo: number, hi: number) => lo + (hi - lo) * rand();
const round1 = (x: number) => Math.round(x * 10) / 10;
/** Weights the app prescribes: multiples of 2.5 kg. */
export const plates = (kg: number) => Math.max(2.5, Math.round(kg / 2.5) * 2.5);

/** Strength relative to bodyweight, per exercise, for an average trained lifter. */
const RATIO: Record<(typeof SIM_EXERCISES)[number], number> = { 'Back Squat': 1.4, 'Bench Press': 1.0, Deadlift: 1.7 };

export function drawPopulation(lifters: number, seed: number, prefix = 'sim'): SimLifter[] {
  const rand = seededRandom(seed);
  return Array.from({ length: lifters }, (_, n) => {
    const sex = rand() < 0.7 ? 'male' : 'female';
    const bodyweightKg = round1(sex === 'male' ? between(rand, 65, 100) : between(rand, 52, 80));
    const strength = between(rand, 0.6, 1.3) * (sex === 'male' ? 1 : 0.65);
    const growth = between(rand, 0.003, 0.015);
    // Where the app starts them, against what they can do: 0.55 is far below, 0.85 is close to the limit.
    const start = between(rand, 0.55, 0.85);
    return {
      userId: `${prefix}-${String(n + 1).padStart(5, '0')}`,
      sex,
      age: Math.round(between(rand, 18, 55)),
      heightCm: Math.round(sex === 'male' ? between(rand, 165, 195) : between(rand, 152, 180)),
      bodyweightKg,
      goalWeightKg: round1(bodyweightKg + between(rand, -8, 10)),
      feedbackRate: between(rand, 0, 0.4),
      exercises: SIM_EXERCISES.map((name) => {
        const capacity = round1(bodyweightKg * RATIO[name] * strength * between(rand, 0.9, 1.1));
        // The working weight for 5 reps that is `start` of the lifter's 5-rep capacity (Epley).
        return { name, capacity, growth, base: plates((capacity / (1 + TARGET_REPS / 30)) * start) };
      }),
    };
  });
}
