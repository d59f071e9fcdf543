import type { DecisionContext } from '@/server/learning/features';
import { type Bounds, type Decision, decide, RULE_VERSION, successRate } from './rules';

/**
 * A modifier policy: a named, versioned, pure decision — what a lifter's exercise gets next week, from what is
 * known before that week. Every `adaptive_modifiers` row records the policy that decided it. Coach overrides
 * stay on top of whichever policy serves the lifter.
 *
 * - `rules@<version>`: the overlay rule (`rules.ts`);
 * - `hold`: neutral — the app's own rules only (1.0, ±0): the control arm of an experiment.
 */
/** What a policy decides from: the decision context (`learning/features.ts`) and the bounds in force. */
export type PolicyContext = DecisionContext & { bounds: Bounds };

export interface ModifierPolicy {
  /** Stored with every decision: `rules@po-overlay-2`, `hold`, `model@3`. */
  id: string;
  decide(context: PolicyContext): Decision;
}

export const rulesPolicy: ModifierPolicy = {
  id: `rules@${RULE_VERSION}`,
  decide: (c) =>
    decide({
      current: c.current,
      thisWeek: c.outcomes[0] ?? null,
      previousWeek: c.outcomes[1] ?? null,
      policy: c.exercisePolicy,
      bounds: c.bounds,
    }),
};

export const holdPolicy: ModifierPolicy = {
  id: 'hold',
  decide: (c) => ({
    multiplier: 1,
    repDelta: 0,
    action: 'hold',
    successRate: successRate(c.outcomes[0]),
    sample: c.outcomes[0]?.sample ?? 0,
    reason: 'hold policy: the app’s own recommendation, unchanged',
  }),
};

const POLICIES: Record<string, ModifierPolicy> = {
  rules: rulesPolicy,
  [rulesPolicy.id]: rulesPolicy,
  hold: holdPolicy,
};

export class UnknownPolicyError extends Error {}

/** A policy by name: `rules` (the current rule version), `rules@<version>` when it is the current one, `hold`. */
export function policyNamed(name: string): ModifierPolicy {
  const policy = POLICIES[name];
  if (!policy) {
    throw new UnknownPolicyError(`unknown modifier policy "${name}": use ${Object.keys(POLICIES).join(', ')}`);
  }
  return policy;
}
