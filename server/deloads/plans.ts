import { addDays } from '@/server/time/calendar';

/**
 * Planned deloads, pure: which weeks a plan lightens, for which exercises, and whether two plans collide. A plan is
 * a repeating block — `buildWeeks` of normal training then `deloadWeeks` of lighter training, `cycles` times from
 * `startWeek` — and a single deload week is the block (0, 1, 1). A cancellation drops the weeks from its week on.
 */
export interface DeloadPlan {
  id: string;
  kind: 'deload' | 'block';
  /** Monday of the plan's first week. */
  startWeek: string;
  buildWeeks: number;
  deloadWeeks: number;
  cycles: number;
  /** The exercises it lightens; null: every exercise. */
  exercises: string[] | null;
  loadFactor: number;
  setFactor: number;
  plannedBy: string;
  source: 'lifter' | 'coach' | 'policy';
  note: string | null;
  createdAt: Date;
  /** The first week no longer planned, when cancelled. */
  cancelledFrom: string | null;
}

/** What the weeks and the serving of a plan depend on (the stored plan less its note and times). */
export type PlanShape = Omit<DeloadPlan, 'note' | 'createdAt'>;

/** What a deload week serves for an exercise: the factors, and why. */
export interface DeloadWeek {
  planId: string;
  loadFactor: number;
  setFactor: number;
  /** null: every exercise. */
  exercises: string[] | null;
  plannedBy: string;
  source: DeloadPlan['source'];
  reason: string;
}

/** The plan's weeks, first to last, before any cancellation. */
function planLength(plan: Pick<DeloadPlan, 'buildWeeks' | 'deloadWeeks' | 'cycles'>): number {
  return plan.cycles * (plan.buildWeeks + plan.deloadWeeks);
}

/** Monday of the plan's last week still planned (a cancellation cuts it short); null when nothing is left. */
export function lastPlannedWeek(plan: PlanShape): string | null {
  const last = addDays(plan.startWeek, 7 * (planLength(plan) - 1));
  if (plan.cancelledFrom === null || plan.cancelledFrom > last) return last;
  return plan.cancelledFrom > plan.startWeek ? addDays(plan.cancelledFrom, -7) : null;
}

/** The Mondays of the plan's deload weeks that still apply, in order. */
export function deloadWeeksOf(plan: PlanShape): string[] {
  const out: string[] = [];
  const cycle = plan.buildWeeks + plan.deloadWeeks;
  for (let c = 0; c < plan.cycles; c++) {
    for (let d = 0; d < plan.deloadWeeks; d++) {
      const week = addDays(plan.startWeek, 7 * (c * cycle + plan.buildWeeks + d));
      if (plan.cancelledFrom === null || week < plan.cancelledFrom) out.push(week);
    }
  }
  return out;
}

/** Whether two plans would lighten the same exercise in overlapping spans of weeks. */
export function plansOverlap(a: PlanShape, b: PlanShape): boolean {
  const aLast = lastPlannedWeek(a);
  const bLast = lastPlannedWeek(b);
  if (aLast === null || bLast === null) return false;
  if (aLast < b.startWeek || bLast < a.startWeek) return false;
  if (a.exercises === null || b.exercises === null) return true;
  return a.exercises.some((e) => b.exercises!.includes(e));
}

function reasonOf(plan: Pick<DeloadPlan, 'kind' | 'plannedBy' | 'source'>): string {
  const what = plan.kind === 'block' ? 'planned deload week of a block' : 'planned deload';
  return `${what}, by ${plan.source === 'lifter' ? 'you' : plan.plannedBy}`;
}

/** The deload in force in `week`, per plan (at most one per exercise: plans may not overlap). */
export function deloadsIn(plans: readonly PlanShape[], week: string): DeloadWeek[] {
  return plans
    .filter((p) => deloadWeeksOf(p).includes(week))
    .map((p) => ({
      planId: p.id,
      loadFactor: p.loadFactor,
      setFactor: p.setFactor,
      exercises: p.exercises,
      plannedBy: p.plannedBy,
      source: p.source,
      reason: reasonOf(p),
    }));
}

/**
 * Per exercise (or `*` for every exercise), the set of Mondays planned as deloads: what the weekly job and the
 * plateau detection skip.
 */
export type PlannedDeloadWeeks = Map<string, Set<string>>;
export const ALL_EXERCISES = '*';

export function plannedDeloadWeeks(plans: readonly PlanShape[]): PlannedDeloadWeeks {
  const out: PlannedDeloadWeeks = new Map();
  for (const plan of plans) {
    const weeks = deloadWeeksOf(plan);
    for (const exercise of plan.exercises ?? [ALL_EXERCISES]) {
      const set = out.get(exercise) ?? new Set<string>();
      for (const w of weeks) set.add(w);
      out.set(exercise, set);
    }
  }
  return out;
}

export function isPlannedDeload(weeks: PlannedDeloadWeeks, exercise: string, week: string): boolean {
  return weeks.get(exercise)?.has(week) === true || weeks.get(ALL_EXERCISES)?.has(week) === true;
}
