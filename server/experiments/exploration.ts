import type { PolicyContext } from '@/server/modifiers/policies';
import { actionOf, type Decision, type Modifier } from '@/server/modifiers/rules';
import { bucketOf } from './assignment';

/**
 * Exploration for off-policy evaluation: with probability ε an arm's decision is replaced by one drawn
 * uniformly among the policy's neighbouring steps — its multiplier × (1 − 2.5 %), itself, × (1 + 2.5 %), within
 * the bounds — and every decision records the probability it had of being taken (its propensity). The draw is
 * a hash of the experiment's salt and the decision (lifter, exercise, week): re-running a week draws the same.
 */
export const EXPLORATION_STEP = 0.025;

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** The steps exploration draws among: the decision and its two neighbours, distinct, within the bounds. */
export function neighbours(decision: Modifier, context: PolicyContext): Modifier[] {
  const { min, max } = context.bounds;
  const out = new Map<number, Modifier>();
  for (const step of [-EXPLORATION_STEP, 0, EXPLORATION_STEP]) {
    const multiplier = Math.min(max, Math.max(min, round4(decision.multiplier * (1 + step))));
    out.set(multiplier, { multiplier, repDelta: decision.repDelta });
  }
  return [...out.values()];
}

/** The propensity of taking `taken` when the policy chose `chosen` among these neighbours, exploring with ε. */
export function propensityOf(
  taken: Modifier,
  chosen: Modifier,
  candidates: readonly Modifier[],
  epsilon: number,
): number {
  const same = taken.multiplier === chosen.multiplier && taken.repDelta === chosen.repDelta;
  return (same ? 1 - epsilon : 0) + epsilon / candidates.length;
}

export function explore(
  decision: Decision,
  context: PolicyContext,
  epsilon: number,
  salt: string,
): { decision: Decision; propensity: number } {
  if (epsilon <= 0) return { decision, propensity: 1 };
  const unit = `${context.userId}/${context.exercise}/${context.week}`;
  const candidates = neighbours(decision, context);
  const explores = bucketOf(`${salt}:explore`, unit) < epsilon;
  const taken = explores
    ? candidates[Math.floor(bucketOf(`${salt}:step`, unit) * candidates.length)]!
    : { multiplier: decision.multiplier, repDelta: decision.repDelta };
  const propensity = propensityOf(taken, decision, candidates, epsilon);
  if (taken.multiplier === decision.multiplier && taken.repDelta === decision.repDelta) {
    return { decision, propensity };
  }
  return {
    decision: {
      ...decision,
      ...taken,
      action: actionOf(context.current, taken),
      reason: `${decision.reason}; explored: ×${taken.multiplier.toFixed(4)} drawn instead (ε ${epsilon})`,
    },
    propensity,
  };
}
