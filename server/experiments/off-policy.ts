import jStat from 'jstat';
import {
  decisionContext,
  exerciseWeek,
  type HistoryIndex,
  indexHistory,
  rowInForceAt,
} from '@/server/learning/features';
import type { LifterHistory } from '@/server/learning/history';
import { SUCCESS_RATE } from '@/server/learning/model';
import { candidateSteps } from '@/server/learning/model-policy';
import type { ModifierPolicy, PolicyContext } from '@/server/modifiers/policies';
import { type Bounds, type Modifier, successRate } from '@/server/modifiers/rules';
import { ALPHA } from './statistics';

/**
 * Off-policy evaluation: what a policy that was never served would have achieved, estimated from the decisions
 * an exploring arm logged with their propensities. The reward of a decision is whether its week went as planned
 * (at least SUCCESS_RATE of the prescribed sets made) — what the part-1 model predicts.
 *
 * - IPS (inverse propensity scoring): the mean of 1[target's step = logged step] × reward / propensity.
 * - DR (doubly robust, Dudík, Langford & Li 2011): the outcome model's prediction for the target's step, plus the
 *   IPS-weighted error of its prediction for the logged step. Unbiased when either the propensities (known
 *   exactly here) or the outcome model are right; lower variance than IPS when the model is good.
 * Intervals are normal, with the variance clustered by lifter (a lifter's decisions are not independent). The
 * effective sample size (Σw)²/Σw² says how many logged decisions the estimate is really worth.
 */

/** Below this effective sample size, or this share of decisions with support, an estimate is not to be trusted. */
const MIN_EFFECTIVE_SAMPLE = 100;
const MIN_SUPPORT = 0.95;

export interface LoggedDecision {
  lifter: string;
  context: PolicyContext;
  taken: Modifier;
  propensity: number;
  /** 1 when the week went as planned. */
  reward: 0 | 1;
}

export interface OffPolicyEstimate {
  policy: string;
  decisions: number;
  /** Decisions where the target's step is the one logged. */
  matched: number;
  /** Share of decisions where the target's step could have been drawn (it is on the exploration grid). */
  support: number;
  effectiveSampleSize: number;
  ips: { value: number; interval: [number, number] };
  dr: { value: number; interval: [number, number] } | null;
  /** Too little support or effective sample to trust the estimate. */
  thin: boolean;
}

const same = (a: Modifier, b: Modifier) => a.multiplier === b.multiplier && a.repDelta === b.repDelta;

/**
 * The explored decisions of one lifter in [from, to]: automatic rows with a propensity below 1 that were in force
 * for their week (no coach override above them), whose week has an outcome.
 */
export function loggedDecisions(history: LifterHistory, from: string, to: string, bounds: Bounds): LoggedDecision[] {
  let index: HistoryIndex | undefined;
  const out: LoggedDecision[] = [];
  for (const row of history.modifiers) {
    if (row.source !== 'auto' || (row.propensity ?? 1) >= 1 || row.weekStart < from || row.weekStart > to) continue;
    if (rowInForceAt(history.modifiers, row.exercise, row.weekStart) !== row) continue;
    index ??= indexHistory(history);
    const week = exerciseWeek(index, row.exercise, row.weekStart);
    const rate = successRate(week);
    if (rate === null) continue;
    out.push({
      lifter: history.userId,
      context: { ...decisionContext(index, row.exercise, row.weekStart), bounds },
      taken: { multiplier: row.multiplier, repDelta: row.repDelta },
      propensity: row.propensity!,
      reward: rate >= SUCCESS_RATE ? 1 : 0,
    });
  }
  return out;
}

/** Mean of per-decision terms with a normal interval whose variance is clustered by lifter. */
function clusteredMean(terms: readonly number[], lifters: readonly string[], alpha: number) {
  const n = terms.length;
  const mean = terms.reduce((a, b) => a + b, 0) / n;
  const byLifter = new Map<string, number>();
  terms.forEach((t, i) => {
    byLifter.set(lifters[i]!, (byLifter.get(lifters[i]!) ?? 0) + (t - mean));
  });
  const g = byLifter.size;
  let sum = 0;
  for (const s of byLifter.values()) sum += s * s;
  const se = g > 1 ? Math.sqrt((g / (g - 1)) * sum) / n : 0;
  const z = jStat.normal.inv(1 - alpha / 2, 0, 1);
  return { value: mean, interval: [mean - z * se, mean + z * se] as [number, number] };
}

export function offPolicyEstimate(
  target: ModifierPolicy,
  logged: readonly LoggedDecision[],
  outcomeModel: ((c: PolicyContext, m: Modifier) => number) | null,
  alpha = ALPHA,
): OffPolicyEstimate | null {
  if (logged.length === 0) return null;
  const ips: number[] = [];
  const dr: number[] = [];
  const lifters: string[] = [];
  let matched = 0;
  let supported = 0;
  let sumW = 0;
  let sumW2 = 0;
  for (const d of logged) {
    const choice = target.decide(d.context);
    if (same(choice, d.taken) || candidateSteps(d.context).some((s) => same(s, choice))) supported += 1;
    const w = same(choice, d.taken) ? 1 / d.propensity : 0;
    if (w > 0) matched += 1;
    sumW += w;
    sumW2 += w * w;
    ips.push(w * d.reward);
    if (outcomeModel) dr.push(outcomeModel(d.context, choice) + w * (d.reward - outcomeModel(d.context, d.taken)));
    lifters.push(d.lifter);
  }
  const effectiveSampleSize = sumW2 > 0 ? sumW ** 2 / sumW2 : 0;
  const support = supported / logged.length;
  return {
    policy: target.id,
    decisions: logged.length,
    matched,
    support,
    effectiveSampleSize,
    ips: clusteredMean(ips, lifters, alpha),
    dr: outcomeModel ? clusteredMean(dr, lifters, alpha) : null,
    thin: effectiveSampleSize < MIN_EFFECTIVE_SAMPLE || support < MIN_SUPPORT,
  };
}
