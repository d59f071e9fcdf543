import { candidateSteps, deloadWeek, type Step, sameStep } from '@/server/learning/model-policy';
import type { ModifierPolicy, PolicyContext } from '@/server/modifiers/policies';
import { actionOf, type Decision } from '@/server/modifiers/rules';
import { bucketOf } from './assignment';

/**
 * Exploration, for off-policy evaluation. With probability ε an arm's decision is replaced by one drawn uniformly
 * among the steps a step policy chooses among (`candidateSteps`: the load ±5 %, ±2.5 % or held; a rep fewer under
 * the `reps` policy; a deload week when none was in the last 4) and the arm's own choice; every decision records
 * the probability it had of being taken (its propensity). Any policy choosing on that grid — the rule, `hold`,
 * every `model@V` — then has support in every explored context, so its value can be estimated from the log. The
 * draw is a hash of the experiment's salt and the decision (lifter, exercise, week): re-running a week draws the
 * same.
 */

/** What exploration draws among in this context: the step grid and the policy's own choice, distinct, in order. */
export function explorationSteps(context: PolicyContext, chosen: Step): Step[] {
  const steps = candidateSteps(context);
  return steps.some((s) => sameStep(s, chosen))
    ? steps
    : [...steps, { multiplier: chosen.multiplier, repDelta: chosen.repDelta, deload: chosen.deload }];
}

/** The probability of taking `taken` when the policy chose `chosen` among `steps`, exploring with ε. */
export function propensityOf(taken: Step, chosen: Step, steps: readonly Step[], epsilon: number): number {
  if (!steps.some((s) => sameStep(s, taken))) return 0;
  return (sameStep(taken, chosen) ? 1 - epsilon : 0) + epsilon / steps.length;
}

/** `policy`, exploring with probability ε: its decisions carry their propensity (1 when ε is 0). */
export function exploringPolicy(policy: ModifierPolicy, epsilon: number, salt: string): ModifierPolicy {
  if (epsilon <= 0) return policy;
  return {
    id: policy.id,
    decide(context) {
      const chosen = policy.decide(context);
      const steps = explorationSteps(context, chosen);
      const unit = `${context.userId}/${context.exercise}/${context.week}`;
      const explores = bucketOf(`${salt}:explore`, unit) < epsilon;
      const taken = explores ? steps[Math.floor(bucketOf(`${salt}:step`, unit) * steps.length)]! : chosen;
      const propensity = propensityOf(taken, chosen, steps, epsilon);
      if (sameStep(taken, chosen)) return { ...chosen, propensity };
      const { deload: _chosenDeload, ...rest } = chosen;
      const drawn = taken.deload
        ? deloadWeek(taken.deload)
        : `×${taken.multiplier.toFixed(4)}${taken.repDelta !== chosen.repDelta ? `, ${taken.repDelta} reps` : ''}`;
      const decision: Decision = {
        ...rest,
        multiplier: taken.multiplier,
        repDelta: taken.repDelta,
        action: actionOf(context.current, taken),
        reason: `${chosen.reason}; explored: ${drawn} drawn instead (ε ${epsilon})`,
        pSuccess: undefined,
        propensity,
        ...(taken.deload ? { deload: taken.deload } : {}),
      };
      return decision;
    },
  };
}
