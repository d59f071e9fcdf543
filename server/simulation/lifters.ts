import { seededRandom } from '@/server/random';
import { shareOfMax } from '@/server/strength/rep-max';
import { STANDARDS, TRAINING_LEVELS, type TrainingLevel } from '@/server/strength/standards';
import { normal } from './behaviour';
import { plates } from './population';

/**
 * The realistic population: novices to advanced lifters with their own strength, ceiling, rep endurance, program,
 * training frequency and habits, drawn from a seed (docs/simulation.md names each figure's source or calls it a
 * guess). Pure; lifter n of a seed is the same person whatever the population's size.
 */
type Level = TrainingLevel;
const LEVELS = TRAINING_LEVELS;

export interface Lift {
  name: string;
  /** True one-rep max at the start, kg; its ceiling; what it would fall back to untrained. */
  capacity: number;
  ceiling: number;
  untrained: number;
  /** The app's own working weight for the program's reps at the start. */
  base: number;
}

export interface Lifter {
  userId: string;
  /** Lifter n of the seed: the stream of their own random numbers. */
  index: number;
  sex: 'male' | 'female';
  age: number;
  heightCm: number;
  bodyweightKg: number;
  goalWeightKg: number;
  level: Level;
  /** Sessions a week they plan (1–4) and the share of planned sessions they turn up to. */
  sessionsPerWeek: number;
  attendance: number;
  /** Share of sets they rate with an RPE. */
  ratesRpe: number;
  /** 0–1: how readily they lift something other than the prescription. */
  deviates: number;
  /** Their rep–%1RM curve against the RTS chart's (1 = the chart). */
  endurance: number;
  program: { sets: number; reps: number };
  feedbackRate: number;
  lifts: Lift[];
}

const CORE = ['Back Squat', 'Bench Press', 'Deadlift'];
const OPTIONAL = ['Overhead Press', 'Barbell Row'];

/** Guesses for an app's users: half novices; frequencies 1–4 a week; common set × rep schemes (ACSM 2009 ranges). */
const LEVEL_SHARE = [0.5, 0.35, 0.15];
const FREQUENCY_SHARE = [0.15, 0.35, 0.35, 0.15];
const PROGRAMS = [
  { sets: 3, reps: 5, share: 0.3 },
  { sets: 5, reps: 5, share: 0.15 },
  { sets: 4, reps: 6, share: 0.1 },
  { sets: 3, reps: 8, share: 0.3 },
  { sets: 4, reps: 10, share: 0.15 },
];

const between = (rand: () => number, lo: number, hi: number) => lo + (hi - lo) * rand();
const round1 = (x: number) => Math.round(x * 10) / 10;

function pick<T>(rand: () => number, items: readonly T[], shares: readonly number[]): T {
  let u = rand();
  for (let i = 0; i < items.length; i++) {
    u -= shares[i]!;
    if (u < 0) return items[i]!;
  }
  return items.at(-1)!;
}

/** Lifter n's own generator: a policy run and its rival see the same lifter draw the same numbers. */
export function lifterRandom(seed: number, index: number): () => number {
  return seededRandom((Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);
}

export function drawLifters(count: number, seed: number, prefix = 'sim'): Lifter[] {
  return Array.from({ length: count }, (_, n) => drawLifter(seed, n, prefix));
}

function drawLifter(seed: number, index: number, prefix: string): Lifter {
  // A stream apart from the one the lifter trains with.
  const rand = lifterRandom(seed ^ 0x5bd1e995, index);
  const sex = rand() < 0.7 ? 'male' : 'female';
  const bodyweightKg = round1(sex === 'male' ? between(rand, 65, 100) : between(rand, 52, 80));
  const level = pick(rand, LEVELS, LEVEL_SHARE);
  const program = pick(
    rand,
    PROGRAMS,
    PROGRAMS.map((p) => p.share),
  );
  // Reps at 70 % 1RM range 6–26 between trained lifters (Zourdos 2021): a lognormal spread of the chart's curve.
  const endurance = Math.exp(0.3 * normal(rand));
  const names = [...CORE, ...OPTIONAL.filter(() => rand() < 0.5)];
  return {
    userId: `${prefix}-${String(index + 1).padStart(5, '0')}`,
    index,
    sex,
    age: Math.round(between(rand, 18, 55)),
    heightCm: Math.round(sex === 'male' ? between(rand, 165, 195) : between(rand, 152, 180)),
    bodyweightKg,
    goalWeightKg: round1(bodyweightKg + between(rand, -8, 10)),
    level,
    sessionsPerWeek: pick(rand, [1, 2, 3, 4], FREQUENCY_SHARE),
    attendance: between(rand, 0.65, 0.95),
    ratesRpe: pick(rand, [0, 0.5, 1], [0.35, 0.25, 0.4]),
    deviates: rand(),
    endurance,
    program: { sets: program.sets, reps: program.reps },
    feedbackRate: between(rand, 0, 0.4),
    lifts: names.map((name) => drawLift(rand, STANDARDS[sex][name]!, name, bodyweightKg, level, program.reps)),
  };
}

function drawLift(rand: () => number, row: number[], name: string, bw: number, level: Level, reps: number): Lift {
  const at = LEVELS.indexOf(level) + 1;
  const capacity = round1(bw * row[at]! * between(rand, 0.9, 1.1));
  const ceiling = round1(Math.max(capacity * 1.1, bw * row[4]! * between(rand, 0.85, 1.15)));
  // The app starts them at 60–90 % of what they could do for the program's reps (RTS chart).
  const base = plates(capacity * shareOfMax(reps) * between(rand, 0.6, 0.9));
  return { name, capacity, ceiling, untrained: round1(bw * row[0]!), base };
}
