import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { MIN_SAMPLE, NEUTRAL, successRate } from '@/server/modifiers/rules';
import { seededRandom } from '@/server/random';
import type { DecisionRow } from './decision-rows';
import { type ForecastMetrics, forecastMetrics } from './metrics';
import { type ModelParameters, predictVector, SUCCESS_RATE } from './model';
import { FEATURE_SCHEMA_HASH, featureVector, MODEL_FEATURES } from './model-features';

/**
 * Offline training: a logistic regression of P(success next week | context, action) fitted by TensorFlow.js
 * (a one-unit sigmoid dense layer, Adam, binary cross-entropy) on decision rows. Chosen over a small network:
 * the target is a smooth, monotone function of load against recent success and RPE, and a linear model in the
 * standardized features calibrates well and stays readable (its weights are the evidence). Time-based split:
 * train on the older weeks, validate on the most recent ones. Deterministic for a seed: the rows are shuffled by
 * a seeded generator and the weights start at zero.
 */
export interface Example {
  week: string;
  x: number[];
  y: 0 | 1;
  /** Last week's success rate: the naive baseline's prediction. */
  lastWeekRate: number | null;
}

export class TrainingError extends Error {}

/** The rows a model learns from: the exercise was trained with recommendations the week after the decision. */
export function examplesOf(rows: readonly DecisionRow[]): Example[] {
  return rows
    .filter((r) => r.nextSample >= MIN_SAMPLE && r.nextSuccessRate !== null)
    .map((r) => ({
      week: r.context.week,
      x: featureVector(r.context, r.served ?? NEUTRAL),
      y: r.nextSuccessRate! >= SUCCESS_RATE ? 1 : 0,
      lastWeekRate: successRate(r.context.outcomes[0]),
    }));
}

export interface TrainOptions {
  seed: number;
  /** Share of the most recent weeks held out for validation (default 0.2, at least one week). */
  validationShare?: number;
  epochs?: number;
  learningRate?: number;
  batchSize?: number;
}

export interface TrainingResult {
  params: ModelParameters;
  library: string;
  window: { from: string; to: string; validationFrom: string };
  rows: { train: number; validation: number };
  /** On the validation weeks: the model, and the two baselines it must beat. */
  metrics: { model: ForecastMetrics; baseRate: ForecastMetrics; lastWeek: ForecastMetrics };
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export async function trainModel(examples: readonly Example[], opts: TrainOptions): Promise<TrainingResult> {
  if (examples.length === 0) throw new TrainingError('no eligible decision rows: nothing to train on');
  const weeks = [...new Set(examples.map((e) => e.week))].sort();
  if (weeks.length < 2)
    throw new TrainingError(`decision rows span ${weeks.length} week: need at least 2 (train, validate)`);
  const held = Math.max(1, Math.round(weeks.length * (opts.validationShare ?? 0.2)));
  const validationFrom = weeks[weeks.length - held]!;
  const train = examples.filter((e) => e.week < validationFrom);
  const validation = examples.filter((e) => e.week >= validationFrom);
  if (new Set(train.map((e) => e.y)).size < 2) throw new TrainingError('the training weeks hold one outcome only');

  // Standardize on the training rows; a constant feature keeps scale 1.
  const d = MODEL_FEATURES.length;
  const means = Array.from({ length: d }, (_, j) => mean(train.map((e) => e.x[j]!)));
  const stds = means.map((m, j) => Math.sqrt(mean(train.map((e) => (e.x[j]! - m) ** 2))) || 1);

  const rand = seededRandom(opts.seed);
  const order = train.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const xs = new Float32Array(train.length * d);
  const ys = new Float32Array(train.length);
  order.forEach((row, i) => {
    const e = train[row]!;
    for (let j = 0; j < d; j++) xs[i * d + j] = (e.x[j]! - means[j]!) / stds[j]!;
    ys[i] = e.y;
  });

  // PROD: no advice to install the native Node.js backend, whose install downloads a library (not possible here).
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({
        units: 1,
        inputShape: [d],
        activation: 'sigmoid',
        kernelInitializer: 'zeros',
        biasInitializer: 'zeros',
      }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(opts.learningRate ?? 0.05), loss: 'binaryCrossentropy' });
  const x = tf.tensor2d(xs, [train.length, d]);
  const y = tf.tensor2d(ys, [train.length, 1]);
  try {
    // About 50 steps per epoch whatever the size, within 64–1,024 rows a step: small data sets converge too.
    const batchSize = opts.batchSize ?? Math.max(64, Math.min(1024, Math.round(train.length / 50)));
    await model.fit(x, y, { batchSize, epochs: opts.epochs ?? 30, shuffle: false, verbose: 0 });
  } finally {
    x.dispose();
    y.dispose();
  }
  const [kernel, bias] = model.getWeights();
  const params: ModelParameters = {
    kind: 'logistic',
    features: [...MODEL_FEATURES],
    schemaHash: FEATURE_SCHEMA_HASH,
    means,
    stds,
    weights: Array.from(kernel!.dataSync()),
    bias: bias!.dataSync()[0]!,
  };
  model.dispose();

  const truth = validation.map((e) => e.y);
  const baseRate = mean(train.map((e) => e.y));
  return {
    params,
    library: `@tensorflow/tfjs-layers ${tfl.version_layers}`,
    window: { from: weeks[0]!, to: weeks.at(-1)!, validationFrom },
    rows: { train: train.length, validation: validation.length },
    metrics: {
      model: forecastMetrics(
        validation.map((e) => predictVector(params, e.x)),
        truth,
      ),
      baseRate: forecastMetrics(
        validation.map(() => baseRate),
        truth,
      ),
      lastWeek: forecastMetrics(
        validation.map((e) => e.lastWeekRate ?? baseRate),
        truth,
      ),
    },
  };
}
