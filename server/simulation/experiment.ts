import { armIndex, bucketOf } from '@/server/experiments/assignment';
import { exploringPolicy } from '@/server/experiments/exploration';
import type { ModifierPolicy } from '@/server/modifiers/policies';
import { rulesPolicy } from '@/server/modifiers/policies';
import { addDays } from '@/server/time/calendar';
import type { SimLifter } from './population';
import { type SimulationResult, simulate } from './simulate';

/**
 * An A/B test run on simulated lifters, as the server would run it: every lifter is served `before` until the
 * experiment starts, then their arm's policy (by the same hash of salt and user id as `experiments/assignment`,
 * exploring with the arm's ε). Pure and in memory: hundreds of seeded experiments run in seconds.
 */
export interface SimulatedArm {
  name: string;
  policy: ModifierPolicy;
  weight: number;
  epsilon?: number;
}

export interface SimulatedExperiment {
  world: SimulationResult;
  /** Each lifter's arm (index into `arms`). */
  armOf: Map<string, number>;
  /** Monday of the first week under the arms, and of the last simulated week. */
  startWeek: string;
  lastWeek: string;
}

export function simulateExperiment(opts: {
  lifters: SimLifter[];
  /** Monday of the first simulated week; the arms start `preWeeks` later. */
  firstWeek: string;
  preWeeks: number;
  weeks: number;
  seed: number;
  salt: string;
  arms: SimulatedArm[];
  /** What everyone is served before the start (the rule by default). */
  before?: ModifierPolicy;
  /** Decides the arm instead of the hash (a test planting a mismatch). */
  assign?: (userId: string) => number;
}): SimulatedExperiment {
  const startWeek = addDays(opts.firstWeek, 7 * opts.preWeeks);
  const weights = opts.arms.map((a) => a.weight);
  const armOf = new Map(
    opts.lifters.map((l) => [l.userId, opts.assign?.(l.userId) ?? armIndex(bucketOf(opts.salt, l.userId), weights)]),
  );
  const served = opts.arms.map((a) => exploringPolicy(a.policy, a.epsilon ?? 0, opts.salt));
  const before = opts.before ?? rulesPolicy;
  const world = simulate({
    lifters: opts.lifters,
    startWeek: opts.firstWeek,
    weeks: opts.preWeeks + opts.weeks,
    seed: opts.seed,
    policy: (userId, week) => (week < startWeek ? before : served[armOf.get(userId)!]!),
  });
  return { world, armOf, startWeek, lastWeek: addDays(startWeek, 7 * (opts.weeks - 1)) };
}
