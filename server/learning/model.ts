import { DomainError } from '@/server/errors';
import type { DecisionContext } from './features';
import { type Action, FEATURE_SCHEMA_HASH, featureVector } from './model-features';

/**
 * A trained model of P(success next week | context, action): logistic regression over the standardized feature
 * vector. What is stored (the `models` table's `parameters`) is all serving needs: predicting is a dot product,
 * so the web server never loads the training library.
 */
export interface ModelParameters {
  kind: 'logistic';
  features: string[];
  schemaHash: string;
  means: number[];
  stds: number[];
  weights: number[];
  bias: number;
}

/** Success means the week goes as planned: at least this share of the prescribed sets made (the rule's "good"). */
export const SUCCESS_RATE = 0.8;

/** A model that cannot serve: unknown, or trained on other features. The job refuses to start with one. */
/** A configured model that cannot serve: 503 `policy_unavailable` (the jobs wait until the configuration names one that can). */
export class ModelUnavailableError extends DomainError {
  constructor(message: string) {
    super('unavailable', 'policy_unavailable', message);
  }
}

export class StaleModelError extends ModelUnavailableError {}

/** A model may serve only decisions built with the features it was trained on. */
export function assertCurrentSchema(params: ModelParameters, version: number | string): void {
  if (params.schemaHash !== FEATURE_SCHEMA_HASH) {
    throw new StaleModelError(
      `model ${version} was trained on feature schema ${params.schemaHash}; the pipeline's is ${FEATURE_SCHEMA_HASH}: retrain it`,
    );
  }
}

function standardize(x: readonly number[], params: Pick<ModelParameters, 'means' | 'stds'>): number[] {
  return x.map((v, i) => (v - params.means[i]!) / params.stds[i]!);
}

export function predictVector(params: ModelParameters, x: readonly number[]): number {
  const z = standardize(x, params).reduce((sum, v, i) => sum + v * params.weights[i]!, params.bias);
  return 1 / (1 + Math.exp(-z));
}

export function predict(params: ModelParameters, context: DecisionContext, action: Action): number {
  return predictVector(params, featureVector(context, action));
}
