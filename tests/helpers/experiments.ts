import { addHours, parseISO } from 'date-fns';
import type { ExperimentInput } from '@/server/contracts/experiments';

/** The rule against `hold`, half and half: the experiment most tests need, with what they change. */
export function ruleVersusHold(key: string, change: Partial<ExperimentInput> & { epsilon?: number } = {}) {
  const { epsilon = 0, ...rest } = change;
  return {
    key,
    hypothesis: 'Holding the load does as well as the rule.',
    arms: [
      { name: 'control', policy: 'rules', weight: 0.5, epsilon },
      { name: 'hold', policy: 'hold', weight: 0.5, epsilon },
    ],
    primary_metric: 'e1rm_progression',
    guardrails: ['success_rate'],
    ...rest,
  } satisfies ExperimentInput;
}

/** An instant `hours` after midnight UTC opening a Monday (`YYYY-MM-DD`): a fixed moment, no clock read. */
export const hoursInto = (monday: string, hours = 12) => addHours(parseISO(`${monday}T00:00:00Z`), hours);
