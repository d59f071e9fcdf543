import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { MIN_SAMPLE, NEUTRAL, successRate } from '@/server/modifiers/rules';
import { seededRandom } from '@/server/random';
import type { DecisionRow } from './decision-rows';
import { type ForecastMetrics, forecastMetrics } from './metrics';
import { type ModelParameters, predictGainVector, predictVector, SUCCESS_RATE } from './model';
import { FEATURE_SCHEMA_HASH, featureVector, MODEL_FEATURES } from './model-features';

/**
 * Offline training, two heads on the same standardized features (`model.ts`), both fitted by TensorFlow.js:
 * - success: P(success next week | context, step), logistic regression (a one-unit sigmoid layer, Adam, binary
 *   cross-entropy) — smooth and monotone in load against recent success and RPE, calibrates well, and its weights
 *   are the evidence;
 * - gain: the estimated-strength gain over the decided week and the three after, a network with one hidden tanh
 *   layer (interactions: the step's effect depends on intensity, effort, adherence, level), fitted by weighted
 *   least squares on the **explored** decisions, each weighted by 1/propensity — so every step is learnt from
 *   decisions where it was drawn at random, not only where the serving policy chose it. Without enough explored
 *   decisions it falls back to the served ones and says so (`fittedOn: 'served'`: the step is then confounded
 *   with the context that chose it).
 * Time-based split: train on the older weeks, validate on the most recent ones. Deterministic for a seed.
 */
export interface Example {
  week: string;
  x: number[];
  /** Next week went as planned; null when it had no recommended sets. */
  y: 0 | 1 | null;
  /** Last week's success rate: the naive baseline's prediction. */
  lastWeekRate: number | null;
  /** Estimated-strength gain over four weeks; null when unknown or not yet complete. */
  gain: number | null;
  /** The probability the served step had (1 unless an arm explored). */
  propensity: number;
}

export class TrainingError extends Error {}

/** Explored decisions the gain head needs before it learns from them alone. */
export const MIN_EXPLORED = 200;
const HIDDEN_UNITS = 8;

/** The rows a model learns from: decisions whose next week was trained with recommendations, or whose gain is known. */
export function examplesOf(rows: readonly DecisionRow[]): Example[] {
  return rows.flatMap((r) => {
    const y =
      r.nextSample >= MIN_SAMPLE && r.nextSuccessRate !== null ? (r.nextSuccessRate >= SUCCESS_RATE ? 1 : 0) : null;
    if (y === null && r.strengthGain4w === null) return [];
    return [
      {
        week: r.context.week,
        x: featureVector(r.context, { ...(r.served ?? NEUTRAL), deload: r.deload }),
        y,
        lastWeekRate: successRate(r.context.outcomes[0]),
        gain: r.strengthGain4w,
        propensity: r.served?.source === 'auto' ? r.served.propensity : 1,
      },
    ];
  });
}

export interface TrainOptions {
  seed: number;
  /** Share of the most recent weeks held out for validation (default 0.2, at least one week). */
  validationShare?: number;
  epochs?: number;
  /** Epochs of the gain head (default: `epochs`). */
  gainEpochs?: number;
  learningRate?: number;
  batchSize?: number;
}

/** The gain head on the validation weeks: its error beside predicting the training mean. */
export interface GainMetrics {
  count: number;
  rmse: number | null;
  meanRmse: number | null;
  fittedOn: 'explored' | 'served';
  trainRows: number;
}

export interface TrainingResult {
  params: ModelParameters;
  library: string;
  window: { from: string; to: string; validationFrom: string };
  rows: { train: number; validation: number };
  /** On the validation weeks: the success head and the two baselines it must beat; the gain head. */
  metrics: { model: ForecastMetrics; baseRate: ForecastMetrics; lastWeek: ForecastMetrics; gain: GainMetrics };
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** A seeded order of n rows. */
function shuffled(n: number, rand: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** Standardized rows in the given order, flat for a tensor. */
function design(rows: readonly Example[], order: readonly number[], scale: Pick<ModelParameters, 'means' | 'stds'>) {
  const d = scale.means.length;
  const xs = new Float32Array(order.length * d);
  order.forEach((row, i) => {
    const x = rows[row]!.x;
    for (let j = 0; j < d; j++) xs[i * d + j] = (x[j]! - scale.means[j]!) / scale.stds[j]!;
  });
  return xs;
}

// About 50 steps per epoch whatever the size, within 64–1,024 rows a step: small data sets converge too.
const batchOf = (n: number, opts: TrainOptions) => opts.batchSize ?? Math.max(64, Math.min(1024, Math.round(n / 50)));

async function fitSuccess(
  train: readonly Example[],
  scale: Pick<ModelParameters, 'means' | 'stds'>,
  opts: TrainOptions,
) {
  const rows = train.filter((e) => e.y !== null);
  if (new Set(rows.map((e) => e.y)).size < 2) throw new TrainingError('the training weeks hold one outcome only');
  const d = scale.means.length;
  const order = shuffled(rows.length, seededRandom(opts.seed));
  const ys = Float32Array.from(order, (i) => rows[i]!.y!);
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
  const x = tf.tensor2d(design(rows, order, scale), [rows.length, d]);
  const y = tf.tensor2d(ys, [rows.length, 1]);
  try {
    await model.fit(x, y, {
      batchSize: batchOf(rows.length, opts),
      epochs: opts.epochs ?? 30,
      shuffle: false,
      verbose: 0,
    });
  } finally {
    x.dispose();
    y.dispose();
  }
  const [kernel, bias] = model.getWeights();
  const success = { weights: Array.from(kernel!.dataSync()), bias: bias!.dataSync()[0]! };
  model.dispose();
  return success;
}

/** The gain head: weighted least squares through one hidden tanh layer, Adam over seeded mini-batches. */
function fitGain(train: readonly Example[], scale: Pick<ModelParameters, 'means' | 'stds'>, opts: TrainOptions) {
  const known = train.filter((e) => e.gain !== null);
  const explored = known.filter((e) => e.propensity < 1);
  const fittedOn = explored.length >= MIN_EXPLORED ? ('explored' as const) : ('served' as const);
  const rows = fittedOn === 'explored' ? explored : known;
  const d = scale.means.length;
  const weightOf = (e: Example) => (fittedOn === 'explored' ? 1 / e.propensity : 1);
  const totalWeight = rows.reduce((a, e) => a + weightOf(e), 0);
  const centre = rows.length ? rows.reduce((a, e) => a + weightOf(e) * e.gain!, 0) / totalWeight : 0;
  const spread = rows.length
    ? Math.sqrt(rows.reduce((a, e) => a + weightOf(e) * (e.gain! - centre) ** 2, 0) / totalWeight)
    : 0;
  const scaleY = spread > 0 ? spread : 1;
  const seed = opts.seed;
  const w1 = tf.variable(tf.randomNormal([d, HIDDEN_UNITS], 0, 1 / Math.sqrt(d), 'float32', seed));
  const b1 = tf.variable(tf.zeros([HIDDEN_UNITS]));
  const w2 = tf.variable(tf.randomNormal([HIDDEN_UNITS, 1], 0, 1 / Math.sqrt(HIDDEN_UNITS), 'float32', seed + 1));
  const b2 = tf.variable(tf.zeros([1]));
  if (rows.length > 0) {
    const order = shuffled(rows.length, seededRandom(seed + 2));
    const x = tf.tensor2d(design(rows, order, scale), [rows.length, d]);
    const y = tf.tensor2d(
      Float32Array.from(order, (i) => (rows[i]!.gain! - centre) / scaleY),
      [rows.length, 1],
    );
    const w = tf.tensor2d(
      Float32Array.from(order, (i) => (weightOf(rows[i]!) * rows.length) / totalWeight),
      [rows.length, 1],
    );
    const optimizer = tf.train.adam(0.01);
    const batch = batchOf(rows.length, opts);
    try {
      for (let epoch = 0; epoch < (opts.gainEpochs ?? opts.epochs ?? 30); epoch++) {
        for (let from = 0; from < rows.length; from += batch) {
          const size = Math.min(batch, rows.length - from);
          tf.tidy(() => {
            const xb = tf.slice(x, [from, 0], [size, d]);
            const yb = tf.slice(y, [from, 0], [size, 1]);
            const wb = tf.slice(w, [from, 0], [size, 1]);
            optimizer.minimize(() => {
              const predicted = tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(xb, w1), b1)), w2), b2);
              const loss = tf.mean(tf.mul(tf.square(tf.sub(predicted, yb)), wb));
              return tf.add(loss, tf.mul(tf.sum(tf.square(w1)), 1e-4)) as tf.Scalar;
            });
          });
        }
      }
    } finally {
      x.dispose();
      y.dispose();
      w.dispose();
      optimizer.dispose();
    }
  }
  const gain: ModelParameters['gain'] = {
    hidden: { kernel: Array.from(w1.dataSync()), bias: Array.from(b1.dataSync()), inputs: d, outputs: HIDDEN_UNITS },
    output: { kernel: Array.from(w2.dataSync()), bias: Array.from(b2.dataSync()), inputs: HIDDEN_UNITS, outputs: 1 },
    centre,
    scale: scaleY,
    fittedOn,
  };
  for (const v of [w1, b1, w2, b2]) v.dispose();
  return { gain, trainRows: rows.length, centre };
}

function gainMetrics(
  params: ModelParameters,
  validation: readonly Example[],
  fit: { trainRows: number; centre: number },
): GainMetrics {
  const known = validation.filter((e) => e.gain !== null);
  const rmse = (predict: (e: Example) => number) =>
    known.length ? Math.sqrt(mean(known.map((e) => (predict(e) - e.gain!) ** 2))) : null;
  return {
    count: known.length,
    rmse: rmse((e) => predictGainVector(params, e.x)),
    meanRmse: rmse(() => fit.centre),
    fittedOn: params.gain.fittedOn,
    trainRows: fit.trainRows,
  };
}

export async function trainModel(examples: readonly Example[], opts: TrainOptions): Promise<TrainingResult> {
  if (examples.length === 0) throw new TrainingError('no eligible decision rows: nothing to train on');
  const weeks = [...new Set(examples.map((e) => e.week))].sort();
  if (weeks.length < 2)
    throw new TrainingError(`decision rows span ${weeks.length} week: need at least 2 (train, validate)`);
  const held = Math.max(1, Math.round(weeks.length * (opts.validationShare ?? 0.2)));
  const validationFrom = weeks[weeks.length - held]!;
  const train = examples.filter((e) => e.week < validationFrom);
  const validation = examples.filter((e) => e.week >= validationFrom);

  // Standardize on the training rows; a constant feature keeps scale 1.
  const d = MODEL_FEATURES.length;
  const means = Array.from({ length: d }, (_, j) => mean(train.map((e) => e.x[j]!)));
  const stds = means.map((m, j) => Math.sqrt(mean(train.map((e) => (e.x[j]! - m) ** 2))) || 1);
  const scale = { means, stds };

  // PROD: no advice to install the native Node.js backend, whose install downloads a library (not possible here).
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  const success = await fitSuccess(train, scale, opts);
  const fit = fitGain(train, scale, opts);
  const params: ModelParameters = {
    kind: 'strength',
    features: [...MODEL_FEATURES],
    schemaHash: FEATURE_SCHEMA_HASH,
    means,
    stds,
    success,
    gain: fit.gain,
  };

  const judged = validation.filter((e) => e.y !== null);
  const truth = judged.map((e) => e.y!);
  const baseRate = mean(train.filter((e) => e.y !== null).map((e) => e.y!));
  return {
    params,
    library: `@tensorflow/tfjs-layers ${tfl.version_layers}`,
    window: { from: weeks[0]!, to: weeks.at(-1)!, validationFrom },
    rows: { train: train.length, validation: validation.length },
    metrics: {
      model: forecastMetrics(
        judged.map((e) => predictVector(params, e.x)),
        truth,
      ),
      baseRate: forecastMetrics(
        judged.map(() => baseRate),
        truth,
      ),
      lastWeek: forecastMetrics(
        judged.map((e) => e.lastWeekRate ?? baseRate),
        truth,
      ),
      gain: gainMetrics(params, validation, fit),
    },
  };
}
