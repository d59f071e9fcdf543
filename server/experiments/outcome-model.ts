import MultivariateLinearRegression from 'ml-regression-multivariate-linear';
import { featureVector } from '@/server/learning/model-features';
import type { Step } from '@/server/learning/model-policy';
import type { PolicyContext } from '@/server/modifiers/policies';
import { successRate } from '@/server/modifiers/rules';
import { bucketOf } from './assignment';

/**
 * The doubly-robust estimate's outcome model: a least-squares regression of a decision's reward on the model's
 * features of (context, step), with the load step's square and its interactions with recent success, effort and
 * experience (a step's effect depends on how the weeks before went). Cross-fitted: the lifters are split into
 * folds by a hash, and a decision is predicted by the regression fitted on the other folds only, so the model
 * never predicts the rewards it learned from (Chernozhukov et al. 2018, "Double/debiased machine learning").
 */
export interface Rewarded {
  lifter: string;
  context: PolicyContext;
  taken: Step;
  reward: number;
}

export type OutcomePredictor = (decision: number, step: Step) => number;

export const FOLDS = 2;

function regressors(context: PolicyContext, step: Step): number[] {
  const x = featureVector(context, step);
  const load = step.multiplier / context.current.multiplier - 1;
  const success = successRate(context.outcomes[0]) ?? 0;
  const rpe = context.rpeMean === null ? 0 : context.rpeMean - 8;
  const experience = Math.log1p(context.trainingWeeks);
  return [...x, load * load, load * success, load * rpe, load * experience];
}

const foldOf = (lifter: string) => Math.min(FOLDS - 1, Math.floor(bucketOf('ope-fold', lifter) * FOLDS));

/**
 * For each decision, a prediction of its reward at any step from the regression of the other folds; null when a
 * fold has too few decisions to fit (the estimate is then IPS/SNIPS only).
 */
export function crossFitted(decisions: readonly Rewarded[]): OutcomePredictor | null {
  const folds = decisions.map((d) => foldOf(d.lifter));
  const x = decisions.map((d) => regressors(d.context, d.taken));
  const width = x[0]?.length ?? 0;
  const fits: MultivariateLinearRegression[] = [];
  for (let k = 0; k < FOLDS; k++) {
    const rows = decisions.flatMap((_, i) => (folds[i] === k ? [] : [i]));
    if (rows.length <= 2 * width) return null;
    fits.push(
      new MultivariateLinearRegression(
        rows.map((i) => x[i]!),
        rows.map((i) => [decisions[i]!.reward]),
        { statistics: false },
      ),
    );
  }
  return (i, step) => fits[folds[i]!]!.predict(regressors(decisions[i]!.context, step))[0]!;
}
