import type { DecisionContext } from '@/server/learning/features';
import { actionOf, type Bounds, type Decision, decide, RULE_VERSION, successRate } from './rules';

/**
 * A modifier policy: a named, versioned, pure decision — what a lifter's exercise gets next week, from what is
 * known before that week. Every `adaptive_modifiers` row records the policy that decided it. Coach overrides
 * stay on top of whichever policy serves the lifter.
 *
 * - `rules@<version>`: the overlay rule (`rules.ts`);
 * - `hold`: neutral — the app's own rules only (1.0, ±0): the control arm of an experiment;
 * - `step@+5` (any step from −10 to +10 %): research policies that move every exercise's multiplier by that step
 *   every week, whatever happened — to see what a fixed progression does to lifters (issue 31's truth table).
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

const STEP_NAME = /^step@([+-](?:10|\d(?:\.\d{1,2})?))$/;

/** `step@+2.5`: the multiplier times 1.025 every week, within the bounds; reps as they are. */
function stepPolicy(name: string, percent: number): ModifierPolicy {
  return {
    id: name,
    decide: (c) => {
      const stepped = Math.round(c.current.multiplier * (1 + percent / 100) * 10_000) / 10_000;
      const next = {
        multiplier: Math.min(c.bounds.max, Math.max(c.bounds.min, stepped)),
        repDelta: c.current.repDelta,
      };
      return {
        ...next,
        action: actionOf(c.current, next),
        successRate: successRate(c.outcomes[0]),
        sample: c.outcomes[0]?.sample ?? 0,
        reason: `research policy ${name}: ×${(1 + percent / 100).toFixed(4)} every week, within the bounds`,
      };
    },
  };
}

/**
 * `rules+deload`: the rule, plus a deload week when fatigue signs accumulate — success falling below 80 % while
 * the effort rose (mean RPE up by half a point or more), or two weeks running under half the sets made — and no
 * deload in the last 4 weeks. The deload cuts load to 80 % and sets to 60 %: Rogerson 2024's lifters cut both
 * (their survey gives no figure; these are guesses inside Bell 2022's "no single method"). The modifier holds
 * through it, and the week after it holds too (`decideWithPlans`).
 */
export const DELOAD_PROPOSAL = { loadFactor: 0.8, setFactor: 0.6 } as const;
const RISING_RPE = 0.5;
const DELOAD_SPACING_WEEKS = 4;

/** A deload may be proposed: none of this exercise in the last 4 weeks. */
export const deloadAllowed = (c: PolicyContext) =>
  (c.weeksSincePlannedDeload ?? Number.POSITIVE_INFINITY) >= DELOAD_SPACING_WEEKS;

export function fatigued(c: PolicyContext): boolean {
  const [now, before] = [successRate(c.outcomes[0]), successRate(c.outcomes[1])];
  if (now === null || !deloadAllowed(c)) return false;
  const falling = before !== null && now < before && now < 0.8 && (c.rpeChange ?? 0) >= RISING_RPE;
  const failing = before !== null && now < 0.5 && before < 0.5;
  return falling || failing;
}

export const rulesDeloadPolicy: ModifierPolicy = {
  id: `rules+deload@${RULE_VERSION}`,
  decide: (c) => {
    if (!fatigued(c)) return rulesPolicy.decide(c);
    return {
      ...c.current,
      action: 'hold',
      successRate: successRate(c.outcomes[0]),
      sample: c.outcomes[0]?.sample ?? 0,
      reason: `fatigue (success ${Math.round((successRate(c.outcomes[0]) ?? 0) * 100)}%, falling): a deload week, load ×${DELOAD_PROPOSAL.loadFactor}, sets ×${DELOAD_PROPOSAL.setFactor}`,
      deload: { ...DELOAD_PROPOSAL },
    };
  },
};

/**
 * What the job serves for an exercise whatever the policy: after a planned deload week, the modifier from before
 * it (the deload's light sets say nothing about the load); otherwise the policy's decision.
 */
export function decideWithPlans(policy: ModifierPolicy, c: PolicyContext): Decision {
  if (!c.plannedDeload) return policy.decide(c);
  return {
    ...c.current,
    action: 'hold',
    successRate: null,
    sample: 0,
    reason: 'hold: last week was a planned deload; the modifier from before it stands',
  };
}

const POLICIES: Record<string, ModifierPolicy> = {
  rules: rulesPolicy,
  [rulesPolicy.id]: rulesPolicy,
  'rules+deload': rulesDeloadPolicy,
  [rulesDeloadPolicy.id]: rulesDeloadPolicy,
  hold: holdPolicy,
};

export class UnknownPolicyError extends Error {}

/**
 * A policy by name: `rules` (the current rule version), `rules@<version>` when it is the current one, `hold`,
 * `step@<±percent>`.
 */
export function policyNamed(name: string): ModifierPolicy {
  const step = STEP_NAME.exec(name);
  if (step) return stepPolicy(name, Number(step[1]));
  const policy = POLICIES[name];
  if (!policy) {
    throw new UnknownPolicyError(
      `unknown modifier policy "${name}": use ${Object.keys(POLICIES).join(', ')} or step@<±percent up to 10>`,
    );
  }
  return policy;
}
