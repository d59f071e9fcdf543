import type { ExperimentInput } from '@/server/contracts/experiments';

/** The rule against `hold`, half and half: the experiment most tests need, with what they change. */
export function ruleVersusHold(key: string, change: Partial<ExperimentInput> & { holdEpsilon?: number } = {}) {
  const { holdEpsilon = 0, ...rest } = change;
  return {
    key,
    hypothesis: 'Holding the load does as well as the rule.',
    arms: [
      { name: 'control', policy: 'rules', weight: 0.5, epsilon: 0 },
      { name: 'hold', policy: 'hold', weight: 0.5, epsilon: holdEpsilon },
    ],
    primary_metric: 'e1rm_progression',
    guardrails: ['success_rate'],
    ...rest,
  } satisfies ExperimentInput;
}
