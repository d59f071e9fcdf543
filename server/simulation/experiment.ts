import { armIndex, bucketOf } from '@/server/experiments/assignment';
import { exploringPolicy } from '@/server/experiments/exploration';
import type { ModifierPolicy } from '@/server/modifiers/policies';
import { rulesPolicy } from '@/server/modifiers/policies';
import { addDays } from '@/server/time/calendar';
import type { Lifter } from './lifters';
import type { SimLifter } from './population';
import { type SimulationResult, simulate } from './simulate';
import { simulateLifter } from './world';

/**
 * An A/B test run on simulated lifters, as the server would run it: every lifter is served `before` until the
 * experiment starts, then their arm's policy (by the same hash of salt and user id as `experiments/assignment`,
 * exploring with the arm's ε). Pure and in memory: hundreds of seeded experiments run in seconds.
 */
interface SimulatedArm {
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

interface ExperimentPlan {
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
}

/** Each lifter's arm, and the policy serving a lifter in a week: `before` until the start, then their arm's. */
function armsOf(plan: ExperimentPlan, userIds: readonly string[]) {
  const startWeek = addDays(plan.firstWeek, 7 * plan.preWeeks);
  const weights = plan.arms.map((a) => a.weight);
  const armOf = new Map(userIds.map((id) => [id, plan.assign?.(id) ?? armIndex(bucketOf(plan.salt, id), weights)]));
  const served = plan.arms.map((a) => exploringPolicy(a.policy, a.epsilon ?? 0, plan.salt));
  const before = plan.before ?? rulesPolicy;
  const policy = (userId: string, week: string) => (week < startWeek ? before : served[armOf.get(userId)!]!);
  return { armOf, policy, startWeek, lastWeek: addDays(startWeek, 7 * (plan.weeks - 1)) };
}

export function simulateExperiment(opts: ExperimentPlan & { lifters: SimLifter[] }): SimulatedExperiment {
  const { armOf, policy, startWeek, lastWeek } = armsOf(
    opts,
    opts.lifters.map((l) => l.userId),
  );
  const world = simulate({
    lifters: opts.lifters,
    startWeek: opts.firstWeek,
    weeks: opts.preWeeks + opts.weeks,
    seed: opts.seed,
    policy,
  });
  return { world, armOf, startWeek, lastWeek };
}

/** The same experiment on the realistic simulator's lifters (`world.ts`): what they did, ready to write. */
export function simulateRealisticExperiment(opts: ExperimentPlan & { lifters: Lifter[] }) {
  const { armOf, policy, startWeek, lastWeek } = armsOf(
    opts,
    opts.lifters.map((l) => l.userId),
  );
  const worlds = opts.lifters.map((l) =>
    simulateLifter(l, { startWeek: opts.firstWeek, weeks: opts.preWeeks + opts.weeks, seed: opts.seed, policy }),
  );
  return { worlds, armOf, startWeek, lastWeek };
}
