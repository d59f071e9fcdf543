/**
 * Strength standards × bodyweight, untrained / novice / intermediate / advanced / elite: ExRx (Kilgore), men 18–39
 * at 198 lb and women at 132 lb (../shared/research/lifter-model-sources.md §10). Women's squat is not in the copy
 * read: their deadlift row × the men's squat-to-deadlift ratio (derived). Overhead press (× 0.65 of bench) and
 * barbell row (× 0.85) are guesses.
 */
const MEN = {
  'Back Squat': [0.63, 1.16, 1.44, 1.97, 2.55],
  'Bench Press': [0.68, 0.88, 1.09, 1.46, 1.82],
  Deadlift: [0.78, 1.46, 1.69, 2.32, 2.85],
};
const WOMEN = {
  'Bench Press': [0.53, 0.64, 0.72, 0.95, 1.14],
  Deadlift: [0.57, 1.02, 1.21, 1.67, 2.08],
};
const scaled = (row: readonly number[], by: number) => row.map((x) => x * by);
const ratio = (a: readonly number[], b: readonly number[]) => a.map((x, i) => x / b[i]!);

export const STANDARDS: Record<'male' | 'female', Record<string, number[]>> = {
  male: {
    ...MEN,
    'Overhead Press': scaled(MEN['Bench Press'], 0.65),
    'Barbell Row': scaled(MEN['Bench Press'], 0.85),
  },
  female: {
    ...WOMEN,
    'Back Squat': WOMEN.Deadlift.map((x, i) => x * ratio(MEN['Back Squat'], MEN.Deadlift)[i]!),
    'Overhead Press': scaled(WOMEN['Bench Press'], 0.65),
    'Barbell Row': scaled(WOMEN['Bench Press'], 0.85),
  },
};

export const TRAINING_LEVELS = ['novice', 'intermediate', 'advanced'] as const;
export type TrainingLevel = (typeof TRAINING_LEVELS)[number];

/**
 * A lift's training level: the standard its 1RM relative to bodyweight is nearest to among novice, intermediate and
 * advanced (the geometric midpoints between them are the bounds; untrained counts as novice, elite as advanced).
 * Null for a lift without a standard.
 */
export function liftLevel(
  sex: 'male' | 'female',
  exercise: string,
  oneRmKg: number,
  bodyweightKg: number,
): TrainingLevel | null {
  const row = STANDARDS[sex][exercise];
  if (!row || !(bodyweightKg > 0) || !(oneRmKg > 0)) return null;
  const relative = oneRmKg / bodyweightKg;
  if (relative >= Math.sqrt(row[2]! * row[3]!)) return 'advanced';
  if (relative >= Math.sqrt(row[1]! * row[2]!)) return 'intermediate';
  return 'novice';
}

/** A lifter's level: the median of their lifts' levels (the lower of two middles); null without any. */
export function lifterLevel(levels: readonly (TrainingLevel | null)[]): TrainingLevel | null {
  const ranks = levels
    .filter((l): l is TrainingLevel => l !== null)
    .map((l) => TRAINING_LEVELS.indexOf(l))
    .sort((a, b) => a - b);
  if (ranks.length === 0) return null;
  return TRAINING_LEVELS[ranks[Math.floor((ranks.length - 1) / 2)]!]!;
}
