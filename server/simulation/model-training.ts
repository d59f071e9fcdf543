import { exploringPolicy } from '@/server/experiments/exploration';
import { decisionRowsOf } from '@/server/learning/decision-rows';
import { indexHistory } from '@/server/learning/features';
import { modelPolicy } from '@/server/learning/model-policy';
import { examplesOf, type TrainingResult, trainModel } from '@/server/learning/train';
import { type ModifierPolicy, rulesPolicy } from '@/server/modifiers/policies';
import { addDays } from '@/server/time/calendar';
import { drawLifters } from './lifters';
import { simulateLifter } from './world';

/**
 * A model trained as the learning loop would train it, on the realistic simulator: lifters of their own draw
 * served by the rule exploring at ε (as an experiment's arms explore), their decision rows through the feature
 * pipeline, fitted by `trainModel`. What the proof and the truth table compare with the rule.
 */
export interface SimulatedTraining {
  policy: ModifierPolicy;
  result: TrainingResult;
  lifters: number;
  weeks: number;
  epsilon: number;
}

const FIRST = '2024-07-01';

export async function trainOnSimulator(opts: {
  seed: number;
  lifters: number;
  weeks: number;
  epsilon: number;
  /** The model's risk bound: the P(success) a step must reach. */
  target: number;
  version?: number;
  epochs?: number;
}): Promise<SimulatedTraining> {
  const exploring = exploringPolicy(rulesPolicy, opts.epsilon, `train-${opts.seed}`);
  const lastWeek = addDays(FIRST, 7 * (opts.weeks - 1));
  const rows = drawLifters(opts.lifters, opts.seed, 'train').flatMap((lifter) => {
    const world = simulateLifter(lifter, { startWeek: FIRST, weeks: opts.weeks, seed: opts.seed, policy: exploring });
    return decisionRowsOf(indexHistory(world.history), lifter.userId, lastWeek);
  });
  const result = await trainModel(examplesOf(rows), { seed: opts.seed, epochs: opts.epochs ?? 20 });
  return {
    policy: modelPolicy(opts.version ?? 1, result.params, opts.target),
    result,
    lifters: opts.lifters,
    weeks: opts.weeks,
    epsilon: opts.epsilon,
  };
}
