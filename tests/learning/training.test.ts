import { beforeAll, describe, expect, it } from 'vitest';
import { decisionRowsOf } from '@/server/learning/decision-rows';
import { indexHistory } from '@/server/learning/features';
import { type Example, examplesOf, TrainingError, type TrainingResult, trainModel } from '@/server/learning/train';
import { rulesPolicy } from '@/server/modifiers/policies';
import { drawPopulation } from '@/server/simulation/population';
import { simulate } from '@/server/simulation/simulate';

const BOUNDS = { min: 0.8, max: 1.25, minRepDelta: -3 };

/** 2,000 simulated lifters × 26 weeks under the rule: the data set the model is proven on. */
describe('a model trained on the simulator', () => {
  let examples: Example[];
  let result: TrainingResult;
  beforeAll(async () => {
    const world = simulate({
      lifters: drawPopulation(2000, 7),
      startWeek: '2025-01-06',
      weeks: 26,
      seed: 7,
      policy: rulesPolicy,
      bounds: BOUNDS,
    });
    examples = examplesOf([...world.histories.values()].flatMap((h) => decisionRowsOf(indexHistory(h), h.userId)));
    result = await trainModel(examples, { seed: 7, epochs: 8 });
  }, 120_000);

  it('trains on the older weeks and validates on the most recent ones', () => {
    expect(result.rows.train + result.rows.validation).toBe(examples.length);
    expect(result.rows.validation).toBeGreaterThan(10_000);
    expect(result.window.validationFrom > result.window.from).toBe(true);
    expect(examples.filter((e) => e.week >= result.window.validationFrom)).toHaveLength(result.rows.validation);
  });

  it('is calibrated on the held-out weeks (expected calibration error ≤ 0.05)', () => {
    expect(result.metrics.model.ece).toBeLessThanOrEqual(0.05);
    expect(result.metrics.model.calibration).toHaveLength(10);
  });

  it('beats both baselines on log loss: the base rate and last week’s success rate', () => {
    expect(result.metrics.model.logLoss).toBeLessThan(result.metrics.baseRate.logLoss);
    expect(result.metrics.model.logLoss).toBeLessThan(result.metrics.lastWeek.logLoss);
    expect(result.metrics.model.auc!).toBeGreaterThan(result.metrics.lastWeek.auc!);
  });

  it('learns what the simulator’s truth says: heavier loads and higher RPE make success less likely', () => {
    const weight = (name: string) => result.params.weights[result.params.features.indexOf(name)]!;
    expect(weight('load_step')).toBeLessThan(0);
    expect(weight('rpe_mean')).toBeLessThan(0);
  });

  it('is deterministic for a seed', async () => {
    const again = await trainModel(examples.slice(0, 20_000), { seed: 3, epochs: 2 });
    const twice = await trainModel(examples.slice(0, 20_000), { seed: 3, epochs: 2 });
    expect(twice.params).toEqual(again.params);
  });

  it('refuses to train on nothing, or on a single week', async () => {
    await expect(trainModel([], { seed: 1 })).rejects.toThrow(TrainingError);
    const oneWeek = examples.filter((e) => e.week === result.window.from);
    await expect(trainModel(oneWeek, { seed: 1 })).rejects.toThrow(/at least 2/);
  });
});
