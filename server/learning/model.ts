import { DomainError } from '@/server/errors';
import type { DecisionContext } from './features';
import { type Action, FEATURE_SCHEMA_HASH, featureVector } from './model-features';

/**
 * A trained model of one decision, per candidate step, over the standardized feature vector — two heads:
 * - `gain`: the estimated-strength change over the decided week and the three after (×100 log ≈ %, the reward the
 *   off-policy estimates read), a network with one hidden tanh layer, so the step's effect can depend on the
 *   lifter (intensity against estimated strength, recent RPE, adherence, level);
 * - `success`: P(the week goes as planned), a logistic regression — the risk bound the policy keeps to.
 * What is stored (the `models` table's `parameters`) is all serving needs: a few dot products, so the web server
 * never loads the training library.
 */
interface Dense {
  /** Row-major, inputs × outputs. */
  kernel: number[];
  bias: number[];
  inputs: number;
  outputs: number;
}

export interface ModelParameters {
  kind: 'strength';
  features: string[];
  schemaHash: string;
  means: number[];
  stds: number[];
  success: { weights: number[]; bias: number };
  gain: {
    hidden: Dense;
    output: Dense;
    /** The target was standardized: prediction = centre + scale × output. */
    centre: number;
    scale: number;
    /** `explored`: fitted on explored decisions weighted by 1/propensity; `served`: on the served policy's own. */
    fittedOn: 'explored' | 'served';
  };
}

/** Success means the week goes as planned: at least this share of the prescribed sets made (the rule's "good"). */
export const SUCCESS_RATE = 0.8;

/** A configured model that cannot serve: 503 `policy_unavailable` (the jobs wait until the configuration names one that can). */
export class ModelUnavailableError extends DomainError {
  constructor(message: string) {
    super('unavailable', 'policy_unavailable', message);
  }
}

export class StaleModelError extends ModelUnavailableError {}

/** A model may serve only decisions built with the features it was trained on. */
export function assertCurrentSchema(params: ModelParameters, version: number | string): void {
  if (params.schemaHash !== FEATURE_SCHEMA_HASH || params.kind !== 'strength') {
    throw new StaleModelError(
      `model ${version} was trained on feature schema ${params.schemaHash}; the pipeline's is ${FEATURE_SCHEMA_HASH}: retrain it`,
    );
  }
}

function standardize(x: readonly number[], params: Pick<ModelParameters, 'means' | 'stds'>): number[] {
  return x.map((v, i) => (v - params.means[i]!) / params.stds[i]!);
}

function dense(layer: Dense, x: readonly number[], activation: (z: number) => number): number[] {
  const out = layer.bias.slice();
  for (let i = 0; i < layer.inputs; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    for (let j = 0; j < layer.outputs; j++) out[j]! += xi * layer.kernel[i * layer.outputs + j]!;
  }
  return out.map(activation);
}

const identity = (z: number) => z;

/** P(success) from a raw feature vector. */
export function predictVector(params: ModelParameters, x: readonly number[]): number {
  const z = standardize(x, params).reduce((sum, v, i) => sum + v * params.success.weights[i]!, params.success.bias);
  return 1 / (1 + Math.exp(-z));
}

/** The predicted gain (×100 log strength over four weeks) from a raw feature vector. */
export function predictGainVector(params: ModelParameters, x: readonly number[]): number {
  const { gain } = params;
  const hidden = dense(gain.hidden, standardize(x, params), Math.tanh);
  return gain.centre + gain.scale * dense(gain.output, hidden, identity)[0]!;
}

export function predict(params: ModelParameters, context: DecisionContext, action: Action): number {
  return predictVector(params, featureVector(context, action));
}

export function predictGain(params: ModelParameters, context: DecisionContext, action: Action): number {
  return predictGainVector(params, featureVector(context, action));
}
