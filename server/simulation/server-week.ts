import { contextKey } from '@/server/experiments/off-policy';
import { decisionContext, type HistoryIndex } from '@/server/learning/features';
import type { LifterHistory } from '@/server/learning/history';
import { decideWithPlans, type ModifierPolicy, type PolicyContext } from '@/server/modifiers/policies';
import type { Bounds, Decision, Modifier } from '@/server/modifiers/rules';

/**
 * What the server records of a simulated lifter's week, the same for both simulators: the profile snapshot the app
 * sends, and the weekly job's decision for an exercise, kept in the history as the job stores them.
 */
interface Person {
  heightCm: number;
  age: number;
  sex: 'male' | 'female';
  goalWeightKg: number;
}

/** The app's profile snapshot at this bodyweight, as the wire carries it; the history keeps its reading. */
export function weighInSnapshot(history: LifterHistory, person: Person, bodyweight: number, week: string) {
  history.profiles.push({
    effectiveDate: week,
    weightKg: bodyweight,
    heightCm: person.heightCm,
    age: person.age,
    sex: person.sex,
    goalWeightKg: person.goalWeightKg,
  });
  return {
    weightKg: bodyweight,
    heightCm: person.heightCm,
    age: person.age,
    sex: person.sex,
    idealWeightGoal: person.goalWeightKg,
  };
}

/**
 * The policy's decision for one exercise's week from the weeks before, logged as the weekly job stores it: an
 * explored decision (propensity < 1) keeps its context in `contexts`, as the job stores it beside the row, and a
 * deload the policy proposes is planned for the week (`Decision.deload`).
 */
export function decideExercise(
  history: LifterHistory,
  index: HistoryIndex,
  decide: { exercise: string; week: string; policy: ModifierPolicy; bounds: Bounds },
  contexts?: Map<string, PolicyContext>,
): Modifier & Pick<Decision, 'deload'> {
  const { exercise, week, policy, bounds } = decide;
  const context = { ...decisionContext(index, exercise, week), bounds };
  const decision = decideWithPlans(policy, context);
  if (decision.deload) {
    const weeks = history.plannedDeloads.get(exercise) ?? new Set<string>();
    history.plannedDeloads.set(exercise, weeks.add(week));
  }
  if (contexts && (decision.propensity ?? 1) < 1) contexts.set(contextKey(exercise, week), context);
  history.modifiers.push({
    exercise,
    weekStart: week,
    multiplier: decision.multiplier,
    repDelta: decision.repDelta,
    source: 'auto',
    policy: policy.id,
    propensity: decision.propensity ?? 1,
    createdAt: new Date(`${week}T03:00:00Z`),
  });
  return { multiplier: decision.multiplier, repDelta: decision.repDelta, deload: decision.deload };
}
