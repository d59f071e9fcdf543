import type { Bounds } from '@/server/contracts/modifiers';
/**
 * The adaptive modifier rule (the seed's starter rule, made exact). Pure: the job feeds it a week's numbers.
 *
 * - Success rate, per user × exercise × ISO week: the share of done sets that carried a recommendation
 *   (`rec_weight` and `rec_reps`) where `actual_reps ≥ rec_reps` and `actual_weight ≥ rec_weight`. Fewer
 *   than 3 such sets → no decision (hold).
 * - Success ≥ 0.8 in the week just ended and in the week before it → one rep back when reps were taken away
 *   (rep_delta + 1), else next week's multiplier = current × 1.025. "The week before" is the previous calendar
 *   week: a missing week breaks the run.
 * - Success < 0.5 in the week just ended → current × 0.975, or, when the exercise's policy is `reps`,
 *   rep_delta − 1.
 * - Otherwise hold. The multiplier stays within [min, max] (0.80–1.25 by default), rounded to 4 decimals; the
 *   rep delta stays within [minRepDelta, 0].
 *
 * Versions: `po-overlay-1` had no way back for reps (a `reps` reduction stayed until a coach changed it);
 * `po-overlay-2` restores them first.
 */
export const RULE_VERSION = 'po-overlay-2';
export const MIN_SAMPLE = 3;
const GOOD = 0.8;
const POOR = 0.5;
const STEP_UP = 1.025;
const STEP_DOWN = 0.975;

export interface WeekOutcome {
  /** Done sets with a recommendation. */
  sample: number;
  /** Of those, how many met both the recommended reps and weight. */
  successes: number;
}

export interface Modifier {
  multiplier: number;
  repDelta: number;
}

export type { Bounds };

export const DEFAULT_BOUNDS: Bounds = { min: 0.8, max: 1.25, minRepDelta: -3 };
export const NEUTRAL: Modifier = { multiplier: 1, repDelta: 0 };

export type Action = 'increase' | 'decrease' | 'reduce_reps' | 'restore_reps' | 'hold';

export interface Decision extends Modifier {
  action: Action;
  successRate: number | null;
  sample: number;
  reason: string;
  /** A model's predicted probability that the week succeeds at this decision; absent for rules. */
  pSuccess?: number;
  /** The probability the decision had of being taken, when an experiment's arm explores (else 1). */
  propensity?: number;
  /** A deload the policy proposes for the decided week (`rules+deload`): the job plans it for that exercise. */
  deload?: { loadFactor: number; setFactor: number };
}

/** What moving from `current` to `next` is called. */
export function actionOf(current: Modifier, next: Modifier): Action {
  if (next.repDelta < current.repDelta) return 'reduce_reps';
  if (next.repDelta > current.repDelta) return 'restore_reps';
  if (next.multiplier > current.multiplier) return 'increase';
  if (next.multiplier < current.multiplier) return 'decrease';
  return 'hold';
}

export function successRate(outcome: WeekOutcome | null | undefined): number | null {
  if (!outcome || outcome.sample < MIN_SAMPLE) return null;
  return outcome.successes / outcome.sample;
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
const pct = (x: number) => `${Math.round(x * 100)}%`;
const fmt = (x: number) => x.toFixed(2);

export function decide(input: {
  current: Modifier;
  thisWeek: WeekOutcome | null;
  previousWeek: WeekOutcome | null;
  policy: 'load' | 'reps';
  bounds?: Bounds;
}): Decision {
  const bounds = input.bounds ?? DEFAULT_BOUNDS;
  const { current } = input;
  const rate = successRate(input.thisWeek);
  const before = successRate(input.previousWeek);
  const sample = input.thisWeek?.sample ?? 0;
  const hold = (reason: string): Decision => ({ ...current, action: 'hold', successRate: rate, sample, reason });

  if (rate === null) {
    return hold(`hold: ${sample} set${sample === 1 ? '' : 's'} with a recommendation, fewer than ${MIN_SAMPLE}`);
  }

  if (rate < POOR) {
    if (input.policy === 'reps') {
      if (current.repDelta <= bounds.minRepDelta)
        return hold(`success ${fmt(rate)} < ${pct(POOR)}, but reps are already at ${current.repDelta}: hold`);
      return {
        ...current,
        repDelta: current.repDelta - 1,
        action: 'reduce_reps',
        successRate: rate,
        sample,
        reason: `success ${fmt(rate)} < ${pct(POOR)} → −1 rep`,
      };
    }
    if (current.multiplier <= bounds.min)
      return hold(`success ${fmt(rate)} < ${pct(POOR)}, but the multiplier is at its floor ${bounds.min}: hold`);
    const multiplier = Math.max(bounds.min, round4(current.multiplier * STEP_DOWN));
    return {
      ...current,
      multiplier,
      action: 'decrease',
      successRate: rate,
      sample,
      reason: `success ${fmt(rate)} < ${pct(POOR)} → −2.5%`,
    };
  }

  if (rate >= GOOD && before !== null && before >= GOOD) {
    // Reps taken away come back first, one per two good weeks; the load rises once reps are whole again.
    if (current.repDelta < 0) {
      return {
        ...current,
        repDelta: current.repDelta + 1,
        action: 'restore_reps',
        successRate: rate,
        sample,
        reason: `2 weeks ≥ ${pct(GOOD)}: ${fmt(before)}, ${fmt(rate)} → +1 rep`,
      };
    }
    if (current.multiplier >= bounds.max)
      return hold(
        `2 weeks ≥ ${pct(GOOD)}: ${fmt(before)}, ${fmt(rate)}, but the multiplier is at its ceiling ${bounds.max}: hold`,
      );
    const multiplier = Math.min(bounds.max, round4(current.multiplier * STEP_UP));
    return {
      ...current,
      multiplier,
      action: 'increase',
      successRate: rate,
      sample,
      reason: `2 weeks ≥ ${pct(GOOD)}: ${fmt(before)}, ${fmt(rate)} → +2.5%`,
    };
  }

  if (rate >= GOOD)
    return hold(
      `success ${fmt(rate)} ≥ ${pct(GOOD)}, but the week before was ${before === null ? 'not measured' : fmt(before)}: hold`,
    );
  return hold(`success ${fmt(rate)} between ${pct(POOR)} and ${pct(GOOD)}: hold`);
}
