import type { GuardrailMetric, MetricKey } from '@/server/contracts/experiments';
import { ALPHA, type Comparison, sequentialPValue } from './statistics';

/**
 * The tests a verdict rests on, corrected for their number. For each arm against the control: the primary metric's
 * **superiority** (its confidence sequence wholly on the good side of 0) and each guardrail's **non-inferiority**
 * (wholly on the good side of its margin) — "ship" needs all of them. Holm's step-down procedure (Holm 1979) keeps
 * the chance of any false pass ≤ α across arms × metrics; the p-values are the confidence sequence's always-valid
 * ones, so the weekly looks need no further correction. A second family asks the opposite: is an arm worse than
 * the margin on a guardrail, or worse on the primary — the reasons to stop early.
 */

export type Margins = Record<GuardrailMetric, number>;

/**
 * How much worse than the control a guardrail may be and still ship, in the metric's unit, unless the experiment
 * sets its own (`margins`). Defaults of the issue that set them: dropout +2 points, sessions/week −0.1, "not
 * helpful" +5 points, success rate −5 points; coach overrides +0.25 per lifter is our guess (a quarter of lifters
 * drawing one more override).
 */
export const NON_INFERIORITY_MARGINS: Margins = {
  dropout: 0.02,
  sessions_per_week: 0.1,
  not_helpful_share: 0.05,
  success_rate: 0.05,
  coach_overrides: 0.25,
};

/** The defaults with an experiment's own margins over them. */
export const marginsWith = (own?: Partial<Margins> | null): Margins => ({ ...NON_INFERIORITY_MARGINS, ...own });

export interface Decision {
  test: 'superiority' | 'non-inferiority';
  /** The boundary tested against, in the metric's unit: 0, or the margin on the bad side. */
  nullValue: number;
  /** Always-valid p-value of the comparison lying on the good side of the boundary (1 when it lies on the bad). */
  pValue: number;
  holmPValue: number;
  passed: boolean;
  /** The same against the boundary from the bad side: worse than tolerated. */
  harmPValue: number;
  harmHolmPValue: number;
  harmful: boolean;
}

/** One comparison to decide: which metric, which way is good, and the comparison itself (null: too few lifters). */
export interface Question {
  metric: MetricKey;
  better: 'higher' | 'lower';
  primary: boolean;
  result: Comparison | null;
}

/** Holm-adjusted p-values (Holm 1979): step-down, each the running maximum of (m − rank) × p, capped at 1. */
export function holm(pValues: readonly number[]): number[] {
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const out = new Array<number>(pValues.length);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (pValues.length - rank) * p));
    out[i] = running;
  });
  return out;
}

/** The boundary a question is tested against: 0 for the primary, the margin on the bad side for a guardrail. */
export function boundaryOf(
  q: Pick<Question, 'metric' | 'better' | 'primary'>,
  margins: Margins = NON_INFERIORITY_MARGINS,
): number {
  if (q.primary) return 0;
  const margin = margins[q.metric as GuardrailMetric] ?? 0;
  return q.better === 'higher' ? -margin : margin;
}

/** The always-valid p-value of the comparison lying beyond `bound` on side `sign` (+1 above, −1 below). */
function beyond(result: Comparison | null, bound: number, sign: 1 | -1): number {
  if (!result || sign * (result.difference - bound) <= 0) return 1;
  return sequentialPValue(result.difference, result.standardError, result.n, bound, result.tuning);
}

/** Every question's decision, each family corrected by Holm at α. */
export function decide(
  questions: readonly Question[],
  alpha = ALPHA,
  margins: Margins = NON_INFERIORITY_MARGINS,
): Decision[] {
  const good = (q: Question) => (q.better === 'higher' ? 1 : -1);
  const pass = questions.map((q) => beyond(q.result, boundaryOf(q, margins), good(q)));
  // Harm: past the margin the wrong way (a guardrail), or below 0 (the primary).
  const harm = questions.map((q) => beyond(q.result, boundaryOf(q, margins), good(q) === 1 ? -1 : 1));
  const [passHolm, harmHolm] = [holm(pass), holm(harm)];
  return questions.map((q, i) => ({
    test: q.primary ? 'superiority' : 'non-inferiority',
    nullValue: boundaryOf(q, margins),
    pValue: pass[i]!,
    holmPValue: passHolm[i]!,
    passed: passHolm[i]! <= alpha,
    harmPValue: harm[i]!,
    harmHolmPValue: harmHolm[i]!,
    harmful: harmHolm[i]! <= alpha,
  }));
}
