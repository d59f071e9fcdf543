/**
 * The catalog of canonical exercises: one name each, and the names lifters and other apps use for it — Strong's
 * and Hevy's "Name (Equipment)" style among them — so "Bench Press (Barbell)" and "bench  press" are the lifter's
 * Bench Press. Names match after `exerciseKey` (Unicode-normalized, trimmed, inner whitespace collapsed, lower
 * case). A name not in the catalog is kept as the lifter first sent it, and later spellings of it join it.
 */
export const EXERCISE_CATALOG: readonly { name: string; aliases: readonly string[] }[] = [
  {
    name: 'Bench Press',
    aliases: ['Bench Press (Barbell)', 'Barbell Bench Press', 'Flat Bench Press', 'BB Bench Press', 'Bench'],
  },
  {
    name: 'Back Squat',
    aliases: ['Squat (Barbell)', 'Squat', 'Barbell Squat', 'Back Squat (Barbell)', 'High Bar Squat'],
  },
  { name: 'Front Squat', aliases: ['Front Squat (Barbell)', 'Barbell Front Squat'] },
  { name: 'Deadlift', aliases: ['Deadlift (Barbell)', 'Barbell Deadlift', 'Conventional Deadlift'] },
  { name: 'Romanian Deadlift', aliases: ['Romanian Deadlift (Barbell)', 'RDL', 'Stiff Leg Deadlift (Barbell)'] },
  {
    name: 'Overhead Press',
    aliases: [
      'Overhead Press (Barbell)',
      'OHP',
      'Military Press',
      'Standing Overhead Press',
      'Shoulder Press (Barbell)',
    ],
  },
  {
    name: 'Dumbbell Shoulder Press',
    aliases: ['Shoulder Press (Dumbbell)', 'Seated Dumbbell Press', 'Overhead Press (Dumbbell)'],
  },
  { name: 'Incline Bench Press', aliases: ['Incline Bench Press (Barbell)', 'Incline Barbell Bench Press'] },
  {
    name: 'Incline Dumbbell Press',
    aliases: ['Incline Bench Press (Dumbbell)', 'Incline Dumbbell Bench Press', 'Incline DB Press'],
  },
  { name: 'Dumbbell Bench Press', aliases: ['Bench Press (Dumbbell)', 'DB Bench Press'] },
  {
    name: 'Barbell Row',
    aliases: ['Bent Over Row (Barbell)', 'Bent Over Row', 'Barbell Bent Over Row', 'Pendlay Row (Barbell)'],
  },
  { name: 'Dumbbell Row', aliases: ['Dumbbell Row', 'Bent Over One Arm Row (Dumbbell)', 'One Arm Dumbbell Row'] },
  { name: 'Lat Pulldown', aliases: ['Lat Pulldown (Cable)', 'Lat Pulldown (Machine)', 'Cable Lat Pulldown'] },
  { name: 'Seated Cable Row', aliases: ['Seated Row (Cable)', 'Seated Cable Row - V Grip (Cable)', 'Cable Row'] },
  { name: 'Pull Up', aliases: ['Pull-Up', 'Pullup', 'Pull Up (Bodyweight)', 'Pull Up (Weighted)'] },
  { name: 'Chin Up', aliases: ['Chin-Up', 'Chinup', 'Chin Up (Weighted)'] },
  { name: 'Barbell Curl', aliases: ['Bicep Curl (Barbell)', 'Biceps Curl (Barbell)', 'Barbell Bicep Curl'] },
  { name: 'Dumbbell Curl', aliases: ['Bicep Curl (Dumbbell)', 'Biceps Curl (Dumbbell)', 'Dumbbell Bicep Curl'] },
  {
    name: 'Triceps Pushdown',
    aliases: [
      'Triceps Pushdown (Cable - Straight Bar)',
      'Triceps Pushdown (Cable)',
      'Tricep Pushdown',
      'Cable Pushdown',
    ],
  },
  { name: 'Lateral Raise', aliases: ['Lateral Raise (Dumbbell)', 'Dumbbell Lateral Raise', 'Side Lateral Raise'] },
  { name: 'Cable Fly', aliases: ['Cable Crossover', 'Cable Fly Crossovers', 'Chest Fly (Cable)', 'Cable Chest Fly'] },
  { name: 'Dumbbell Fly', aliases: ['Chest Fly (Dumbbell)', 'Dumbbell Chest Fly'] },
  { name: 'Leg Press', aliases: ['Leg Press (Machine)', 'Leg Press Machine'] },
  { name: 'Leg Extension', aliases: ['Leg Extension (Machine)'] },
  { name: 'Leg Curl', aliases: ['Lying Leg Curl (Machine)', 'Seated Leg Curl (Machine)', 'Hamstring Curl'] },
  { name: 'Hip Thrust', aliases: ['Hip Thrust (Barbell)', 'Barbell Hip Thrust'] },
  { name: 'Face Pull', aliases: ['Face Pull (Cable)', 'Cable Face Pull'] },
  { name: 'Calf Raise', aliases: ['Standing Calf Raise (Machine)', 'Standing Calf Raise', 'Calf Raise (Machine)'] },
];

/** The key names match by: Unicode NFKC, trimmed, runs of whitespace as one space, lower case. */
export function exerciseKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The name as stored when nothing else decides it: trimmed, inner whitespace collapsed, case as sent. */
export const tidyExerciseName = (name: string) => name.normalize('NFKC').trim().replace(/\s+/g, ' ');

const BY_KEY: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (const { name, aliases } of EXERCISE_CATALOG) {
    for (const alias of [name, ...aliases]) {
      const key = exerciseKey(alias);
      const taken = map.get(key);
      if (taken && taken !== name) throw new Error(`exercise alias "${alias}" names both ${taken} and ${name}`);
      map.set(key, name);
    }
  }
  return map;
})();

/** The catalog's canonical name for a name as sent, or undefined when the catalog does not know it. */
export function catalogName(name: string): string | undefined {
  const key = exerciseKey(name);
  // Liftosaur writes the equipment after a comma ("Bench Press, Barbell") where Strong and Hevy use parentheses.
  return BY_KEY.get(key) ?? BY_KEY.get(key.replace(/^(.+), ([^,()]+)$/, '$1 ($2)'));
}

/** The catalog's aliases (keys) of a canonical name, itself included. */
export function catalogKeysOf(canonical: string): string[] {
  return [...BY_KEY].filter(([, name]) => name === canonical).map(([key]) => key);
}
