import { describe, expect, it } from 'vitest';
import { predictGainVector } from '@/server/learning/model';
import { MODEL_FEATURES } from '@/server/learning/model-features';
import { type Example, MIN_EXPLORED, trainModel } from '@/server/learning/train';
import { seededRandom } from '@/server/random';
import { addDays } from '@/server/time/calendar';

/**
 * The gain head against known truth: synthetic decisions whose gain is a set function of the step and the context,
 * logged as an exploring arm logs them (propensities included).
 */
const LOAD = MODEL_FEATURES.indexOf('load_step');
const INTENSITY = MODEL_FEATURES.indexOf('intensity');
const STEPS = [-0.05, -0.025, 0, 0.025, 0.05];
const EPSILON = 0.3;

function normal(rand: () => number) {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

function vector(load: number, intensity: number): number[] {
  const x = new Array<number>(MODEL_FEATURES.length).fill(0);
  x[LOAD] = load;
  x[INTENSITY] = intensity;
  return x;
}

/** Rows over 10 weeks; each decided by `choose` (greedy) and explored with ε among the five steps. */
function log(
  n: number,
  seed: number,
  row: (rand: () => number) => { greedy: number; context: number; gain: (step: number) => number },
) {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, (_, i): Example => {
    const { greedy, context, gain } = row(rand);
    const explores = rand() < EPSILON;
    const step = explores ? STEPS[Math.floor(rand() * STEPS.length)]! : greedy;
    const propensity = (step === greedy ? 1 - EPSILON : 0) + EPSILON / STEPS.length;
    return {
      week: addDays('2025-01-06', 7 * (i % 10)),
      x: vector(step, context),
      y: rand() < 0.7 ? 1 : 0,
      lastWeekRate: null,
      gain: gain(step) + 0.5 * normal(rand),
      propensity,
    };
  });
}

const effect = (params: Parameters<typeof predictGainVector>[0], context: number) =>
  predictGainVector(params, vector(0.05, context)) - predictGainVector(params, vector(-0.05, context));

describe('the gain head', () => {
  it('learns a step’s effect that depends on the context: raising helps the light week and hurts the heavy one', async () => {
    const rows = log(4000, 1, (rand) => {
      const intensity = (rand() - 0.5) * 0.3;
      return { greedy: 0, context: intensity, gain: (step) => 1 - 400 * step * intensity };
    });
    const { params } = await trainModel(rows, { seed: 1, epochs: 30 });
    expect(params.gain.fittedOn).toBe('explored');
    // The truth: 400 × 0.1 × ∓0.12 = ∓4.8 points between −5 % and +5 %.
    expect(effect(params, -0.12)).toBeGreaterThan(2.5);
    expect(effect(params, 0.12)).toBeLessThan(-2.5);
  }, 60_000);

  it('weights explored decisions by 1/propensity: a step chosen for lifters about to do well gets no credit', async () => {
    // The arm raises lifters whose (unobserved) form is good and lowers the rest; the step itself changes nothing.
    const confounded = (rand: () => number) => {
      const form = normal(rand);
      return { greedy: form > 0 ? 0.05 : -0.05, context: 0, gain: () => 2 + 1.5 * form };
    };
    const rows = log(5000, 2, confounded);
    const { params } = await trainModel(rows, { seed: 2, epochs: 20 });
    expect(params.gain.fittedOn).toBe('explored');
    expect(Math.abs(effect(params, 0))).toBeLessThan(0.4);

    // The negative control: the same arm without exploration — the served steps only — credits the step with the
    // form that chose it (+2.4 points by construction).
    const served = rows.map((e) => ({ ...e, propensity: 1 }));
    const naive = await trainModel(served, { seed: 2, epochs: 20 });
    expect(naive.params.gain.fittedOn).toBe('served');
    expect(effect(naive.params, 0)).toBeGreaterThan(1);
  }, 60_000);

  it('learns from the served decisions, and says so, below the explored minimum', async () => {
    const rows = log(MIN_EXPLORED, 3, () => ({ greedy: 0, context: 0, gain: () => 1 }));
    const few = rows.map((e, i) => (i < MIN_EXPLORED / 2 ? e : { ...e, propensity: 1 }));
    const result = await trainModel(few, { seed: 3, epochs: 2 });
    expect(result.params.gain.fittedOn).toBe('served');
    expect(result.metrics.gain.trainRows).toBe(result.rows.train);
  });

  it('learns when a deload week pays: after rising effort it gains, on a fresh lifter it costs', async () => {
    // Known truth: a deload week is worth −1 + 4 × (rise in RPE) points over four weeks; a load step nothing.
    const DELOAD = MODEL_FEATURES.indexOf('deload');
    const RPE_CHANGE = MODEL_FEATURES.indexOf('rpe_change');
    const steps = [...STEPS, 'deload'] as const;
    const rand = seededRandom(4);
    const rows = Array.from({ length: 5000 }, (_, i): Example => {
      const rise = rand();
      const step = rand() < EPSILON ? steps[Math.floor(rand() * steps.length)]! : 0;
      const x = vector(step === 'deload' ? 0 : step, 0);
      x[DELOAD] = step === 'deload' ? 1 : 0;
      x[RPE_CHANGE] = rise;
      return {
        week: addDays('2025-01-06', 7 * (i % 10)),
        x,
        y: rand() < 0.7 ? 1 : 0,
        lastWeekRate: null,
        gain: (step === 'deload' ? -1 + 4 * rise : 0) + 0.5 * normal(rand),
        propensity: (step === 0 ? 1 - EPSILON : 0) + EPSILON / steps.length,
      };
    });
    const { params } = await trainModel(rows, { seed: 4, epochs: 30 });
    const deloadEffect = (rise: number) => {
      const base = vector(0, 0);
      base[RPE_CHANGE] = rise;
      const deload = [...base];
      deload[DELOAD] = 1;
      return predictGainVector(params, deload) - predictGainVector(params, base);
    };
    // The truth: −0.6 at a rise of 0.1, +2.6 at 0.9.
    expect(deloadEffect(0.1)).toBeLessThan(-0.2);
    expect(deloadEffect(0.9)).toBeGreaterThan(1.5);
  }, 60_000);
});
