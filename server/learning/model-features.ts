import { createHash } from 'node:crypto';
import { successRate } from '@/server/modifiers/rules';
import type { DecisionContext } from './features';

/**
 * What a model sees of a decision: the context (features.ts) and one candidate action, as numbers. Training and
 * serving build the vector here and nowhere else; its names hash to the schema a stored model was trained on,
 * and serving refuses a model whose hash differs.
 */
export interface Action {
  multiplier: number;
  repDelta: number;
  /** A deload week: its factors, or only that it was one (the model reads whether, not how deep). */
  deload?: { loadFactor: number; setFactor: number } | boolean;
}

/** Where intensities centre (a 5-rep working set is ~85 % of 1RM): a missing one reads as this. */
const INTENSITY_CENTRE = 0.8;

/** Next week's prescription at this step over the estimated 1RM; null without either. */
function intensityOf(c: DecisionContext, a: Action): number | null {
  if (c.prescribedKg === null || c.strengthKg === null || !(c.strengthKg > 0) || !(c.current.multiplier > 0))
    return null;
  return (c.prescribedKg * (a.multiplier / c.current.multiplier)) / c.strengthKg;
}

/** Each feature: its name and how it is read; missing values are 0 with a flag beside them. */
const FEATURES: [string, (c: DecisionContext, a: Action) => number][] = [
  ['load_step', (c, a) => a.multiplier / c.current.multiplier - 1],
  ['rep_step', (c, a) => a.repDelta - c.current.repDelta],
  // A deload week for the exercise: lighter and fewer sets, the modifier held (`rules+deload`'s proposal).
  ['deload', (_c, a) => (a.deload ? 1 : 0)],
  ['multiplier_in_force', (c) => c.current.multiplier - 1],
  ['rep_delta_in_force', (c) => c.current.repDelta],
  ...[0, 1, 2, 3].flatMap((i): [string, (c: DecisionContext) => number][] => [
    [`success_${i + 1}`, (c) => successRate(c.outcomes[i]) ?? 0],
    [`success_${i + 1}_missing`, (c) => (successRate(c.outcomes[i]) === null ? 1 : 0)],
  ]),
  ['rpe_mean', (c) => (c.rpeMean === null ? 0 : c.rpeMean - 8)],
  ['rpe_missing', (c) => (c.rpeMean === null ? 1 : 0)],
  ['rpe_change', (c) => c.rpeChange ?? 0],
  ['e1rm_slope_4', (c) => c.e1rmSlope4 ?? 0],
  ['e1rm_slope_8', (c) => c.e1rmSlope8 ?? 0],
  ['weeks_since_pr', (c) => Math.min(c.weeksSincePr ?? 26, 26)],
  ['plateau', (c) => (c.plateau ? 1 : 0)],
  ['training_weeks_log', (c) => Math.log1p(c.trainingWeeks)],
  ['sessions_per_week', (c) => c.sessionsPerWeek],
  ['helpful_share', (c) => c.helpfulShare ?? 0.5],
  ['reps_policy', (c) => (c.exercisePolicy === 'reps' ? 1 : 0)],
  // The step's prescription against the lifter's estimated strength: last week's prescribed weight, moved by the
  // step, over the estimated 1RM (the same plate for a weaker lifter is a harder week).
  ['intensity', (c, a) => (intensityOf(c, a) ?? INTENSITY_CENTRE) - INTENSITY_CENTRE],
  ['intensity_missing', (c, a) => (intensityOf(c, a) === null ? 1 : 0)],
  ['level_novice', (c) => (c.level === 'novice' ? 1 : 0)],
  ['level_advanced', (c) => (c.level === 'advanced' ? 1 : 0)],
  ['level_missing', (c) => (c.level === null ? 1 : 0)],
  ['weeks_trained_4', (c) => c.outcomes.filter((o) => o.sample > 0).length],
];

export const MODEL_FEATURES: readonly string[] = FEATURES.map(([name]) => name);

/** Identifies the feature list: a model trained on another list cannot be served. */
export const FEATURE_SCHEMA_HASH = createHash('sha256').update(MODEL_FEATURES.join('\n')).digest('hex').slice(0, 16);

export function featureVector(context: DecisionContext, action: Action): number[] {
  return FEATURES.map(([, read]) => read(context, action));
}
