import jStat from 'jstat';
import { isPlannedDeload } from '@/server/deloads/plans';
import { decisionContext, type HistoryIndex, indexHistory, rowInForceAt } from '@/server/learning/features';
import type { LifterHistory } from '@/server/learning/history';
import { candidateSteps, sameStep } from '@/server/learning/model-policy';
import { DELOAD_PROPOSAL, type ModifierPolicy, type PolicyContext } from '@/server/modifiers/policies';
import type { Bounds } from '@/server/modifiers/rules';
import type { StrengthReading } from '@/server/strength/fold';
import { REWARD_WEEKS, strengthReward } from '@/server/strength/reward';
import { addDays } from '@/server/time/calendar';
import type { OutcomePredictor, Rewarded } from './outcome-model';
import { ALPHA } from './statistics';

/**
 * Off-policy evaluation: what a policy that was never served would have achieved, estimated from the decisions
 * an exploring arm logged with their propensities and their contexts as the job saw them. The reward of a decision
 * is `strength/reward.ts`'s: estimated strength over the decided week and the three after, intention to treat.
 * Later weeks are decided by the logging arm: the estimand is "the target's step here, the arm's own after".
 *
 * - IPS (inverse propensity scoring): the mean of w × reward, w = 1[target's step = logged step] / propensity.
 * - SNIPS (self-normalised IPS, Swaminathan & Joachims 2015): Σ w × reward / Σ w — a ratio, less variance.
 * - DR (doubly robust, Dudík, Langford & Li 2011): the outcome model's prediction at the target's step plus the
 *   weighted error of its prediction at the logged step, the model cross-fitted (`outcome-model.ts`).
 * Weights are clipped at CLIP_WEIGHT (the count clipped is reported: clipping trades variance for bias). Intervals
 * are normal with the variance clustered by lifter (a lifter's decisions are not independent); SNIPS by the delta
 * method. The effective sample size (Σw)²/Σw² says how many decisions the estimate is worth.
 */

/** Below this effective sample size, or this share of decisions with support, an estimate is not to be trusted. */
const MIN_EFFECTIVE_SAMPLE = 100;
const MIN_SUPPORT = 0.95;
/** Importance weights above this are capped: at ε ≥ 0.1 over ≤ 6 steps no weight reaches it. */
export const CLIP_WEIGHT = 100;

export interface LoggedDecision extends Rewarded {
  propensity: number;
  /** The context as stored with the decision; false when rebuilt from today's history (rows logged before storing). */
  stored: boolean;
}

interface Interval {
  value: number;
  interval: [number, number];
}

export interface OffPolicyEstimate {
  policy: string;
  decisions: number;
  /** Decisions where the target's step is the one logged. */
  matched: number;
  /** Share of decisions where the target's step could have been drawn (it is on the exploration grid). */
  support: number;
  effectiveSampleSize: number;
  /** Matched decisions whose weight was capped at CLIP_WEIGHT. */
  clipped: number;
  ips: Interval;
  snips: Interval | null;
  dr: Interval | null;
  /** Too little support or effective sample to trust the estimate. */
  thin: boolean;
}

/** The last decided week whose reward is complete when `lastWeek` is the last week with data. */
export const lastRewardedWeek = (lastWeek: string) => addDays(lastWeek, -7 * (REWARD_WEEKS - 1));

/** Where a stored decision context is found: by exercise and decided week. */
export const contextKey = (exercise: string, week: string) => `${exercise}\u0000${week}`;

/** A lifter's estimated strength per exercise, by date: what the reward reads. */
function byExercise(readings: readonly StrengthReading[]): Map<string, StrengthReading[]> {
  const out = new Map<string, StrengthReading[]>();
  for (const r of readings) {
    const list = out.get(r.exercise) ?? [];
    list.push(r);
    out.set(r.exercise, list);
  }
  return out;
}

/**
 * The explored decisions of one lifter decided for weeks in [from, to]: automatic rows with a propensity below 1
 * that were in force for their week (no coach override above them), with the context stored beside them (rebuilt
 * from the history for rows logged before contexts were stored) and the reward from the history's `strength`.
 */
export function loggedDecisions(
  history: LifterHistory,
  window: { from: string; to: string; bounds: Bounds },
  stored: ReadonlyMap<string, PolicyContext> = new Map(),
): LoggedDecision[] {
  const { from, to, bounds } = window;
  let index: HistoryIndex | undefined;
  let readings: Map<string, StrengthReading[]> | undefined;
  const out: LoggedDecision[] = [];
  for (const row of history.modifiers) {
    if (row.source !== 'auto' || (row.propensity ?? 1) >= 1 || row.weekStart < from || row.weekStart > to) continue;
    if (rowInForceAt(history.modifiers, row.exercise, row.weekStart) !== row) continue;
    readings ??= byExercise(history.strength ?? []);
    const reward = strengthReward(readings.get(row.exercise) ?? [], row.weekStart);
    if (reward === null) continue;
    let context = stored.get(contextKey(row.exercise, row.weekStart));
    const wasStored = context !== undefined;
    if (!context) {
      index ??= indexHistory(history);
      context = { ...decisionContext(index, row.exercise, row.weekStart), bounds };
    }
    out.push({
      lifter: history.userId,
      context,
      taken: {
        multiplier: row.multiplier,
        repDelta: row.repDelta,
        ...(isPlannedDeload(history.plannedDeloads, row.exercise, row.weekStart) ? { deload: DELOAD_PROPOSAL } : {}),
      },
      propensity: row.propensity!,
      reward,
      stored: wasStored,
    });
  }
  return out;
}

const Z = (alpha: number) => jStat.normal.inv(1 - alpha / 2, 0, 1);

/** The standard error of a mean of n per-decision terms, clustered by lifter: `deviations` from that mean. */
function clusteredSe(deviations: readonly number[], lifters: readonly string[], n: number): number {
  const byLifter = new Map<string, number>();
  deviations.forEach((t, i) => {
    byLifter.set(lifters[i]!, (byLifter.get(lifters[i]!) ?? 0) + t);
  });
  const g = byLifter.size;
  let sum = 0;
  for (const s of byLifter.values()) sum += s * s;
  return g > 1 ? Math.sqrt((g / (g - 1)) * sum) / n : 0;
}

function clusteredMean(terms: readonly number[], lifters: readonly string[], alpha: number): Interval {
  const n = terms.length;
  const mean = terms.reduce((a, b) => a + b, 0) / n;
  const se = clusteredSe(
    terms.map((t) => t - mean),
    lifters,
    n,
  );
  return { value: mean, interval: [mean - Z(alpha) * se, mean + Z(alpha) * se] };
}

/** Σ w·r / Σ w, its variance by the delta method: the terms w·(r − V) / mean(w). Null without any weight. */
function selfNormalised(
  w: readonly number[],
  r: readonly number[],
  lifters: readonly string[],
  alpha: number,
): Interval | null {
  const n = w.length;
  const sumW = w.reduce((a, b) => a + b, 0);
  if (sumW === 0) return null;
  const value = w.reduce((a, wi, i) => a + wi * r[i]!, 0) / sumW;
  const meanW = sumW / n;
  const se = clusteredSe(
    w.map((wi, i) => (wi * (r[i]! - value)) / meanW),
    lifters,
    n,
  );
  return { value, interval: [value - Z(alpha) * se, value + Z(alpha) * se] };
}

export function offPolicyEstimate(
  target: ModifierPolicy,
  logged: readonly LoggedDecision[],
  outcome: OutcomePredictor | null,
  alpha = ALPHA,
): OffPolicyEstimate | null {
  if (logged.length === 0) return null;
  const weights: number[] = [];
  const dr: number[] = [];
  let matched = 0;
  let supported = 0;
  let clipped = 0;
  logged.forEach((d, i) => {
    const choice = target.decide(d.context);
    const match = sameStep(choice, d.taken);
    if (match || candidateSteps(d.context).some((s) => sameStep(s, choice))) supported += 1;
    const raw = match ? 1 / d.propensity : 0;
    if (match) matched += 1;
    if (raw > CLIP_WEIGHT) clipped += 1;
    const w = Math.min(raw, CLIP_WEIGHT);
    weights.push(w);
    if (outcome) dr.push(outcome(i, choice) + w * (d.reward - outcome(i, d.taken)));
  });
  const lifters = logged.map((d) => d.lifter);
  const rewards = logged.map((d) => d.reward);
  const sumW = weights.reduce((a, b) => a + b, 0);
  const sumW2 = weights.reduce((a, b) => a + b * b, 0);
  return {
    policy: target.id,
    decisions: logged.length,
    matched,
    support: supported / logged.length,
    effectiveSampleSize: sumW2 > 0 ? sumW ** 2 / sumW2 : 0,
    clipped,
    ips: clusteredMean(
      weights.map((w, i) => w * rewards[i]!),
      lifters,
      alpha,
    ),
    snips: selfNormalised(weights, rewards, lifters, alpha),
    dr: outcome ? clusteredMean(dr, lifters, alpha) : null,
    thin: sumW2 === 0 || sumW ** 2 / sumW2 < MIN_EFFECTIVE_SAMPLE || supported / logged.length < MIN_SUPPORT,
  };
}
