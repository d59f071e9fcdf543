import type { StrengthReading } from '@/server/strength/fold';
import { lifterLevel, liftLevel, type TrainingLevel } from '@/server/strength/standards';
import { addDays } from '@/server/time/calendar';
import { BASELINE_DAYS } from './outcomes';

/**
 * What an experiment's effects are broken down by: the lifter's training level when they entered it (their
 * estimated strength per lift against the ExRx standards for their bodyweight and sex, `strength/standards.ts`) and
 * their sex — both from before the arms could move them.
 */
export interface LifterTraits {
  level: TrainingLevel | null;
  sex: 'male' | 'female' | null;
}

/** The profile in force at the lifter's start: bodyweight and sex as last given. */
export interface ProfileAtStart {
  weightKg: number | null;
  sex: string | null;
}

/** Bodyweight and sex as last given on or before `date`, from versions in effective-date then write order. */
export function profileAt(
  versions: readonly (ProfileAtStart & { effectiveDate: string })[],
  date: string,
): ProfileAtStart {
  let weightKg: number | null = null;
  let sex: string | null = null;
  for (const v of versions) {
    if (v.effectiveDate > date) break;
    if (v.weightKg !== null) weightKg = v.weightKg;
    if (v.sex !== null) sex = v.sex;
  }
  return { weightKg, sex };
}

export const SUBGROUPS = [
  { dimension: 'level', group: 'novice' },
  { dimension: 'level', group: 'intermediate' },
  { dimension: 'level', group: 'advanced' },
  { dimension: 'sex', group: 'female' },
  { dimension: 'sex', group: 'male' },
] as const;
export type Subgroup = (typeof SUBGROUPS)[number];

export const inSubgroup = (t: LifterTraits | undefined, s: Subgroup) =>
  s.dimension === 'level' ? t?.level === s.group : t?.sex === s.group;

/** The lifter's traits at `from`: each lift's strength then (the last estimate in the weeks before, else the first after). */
export function traitsOf(
  readings: readonly StrengthReading[],
  profile: ProfileAtStart | null,
  from: string,
): LifterTraits {
  const sex = profile?.sex === 'male' || profile?.sex === 'female' ? profile.sex : null;
  const weight = profile?.weightKg ?? null;
  if (sex === null || weight === null) return { level: null, sex };
  const start = addDays(from, -BASELINE_DAYS);
  const atStart = new Map<string, number>();
  for (const r of readings) {
    if (r.date < start) continue;
    // Before the start the latest wins; after it only the first counts, when there was none before (date order).
    if (r.date < from || !atStart.has(r.exercise)) atStart.set(r.exercise, r.level);
  }
  const levels = [...atStart].map(([exercise, level]) => liftLevel(sex, exercise, Math.exp(level), weight));
  return { level: lifterLevel(levels), sex };
}
