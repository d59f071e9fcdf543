import { SUCCESS_RATE } from '@/server/learning/model';
import { stepPolicy } from '@/server/learning/model-policy';
import type { ModifierPolicy } from '@/server/modifiers/policies';
import type { Modifier } from '@/server/modifiers/rules';
import { intensityOf, pSet, SET_FATIGUE } from './lifter-model';
import { plates, SESSIONS_PER_WEEK, SETS_PER_SESSION, TARGET_REPS } from './population';

/** What the simulator knew of a lifter's exercise in a week: the ground truth its tests compare with. */
export interface TruthRow {
  userId: string;
  exercise: string;
  week: string;
  /** Capacity (true one-rep max) at the start of the week. */
  capacity: number;
  /** The app's own working weight, the multiplier and rep delta served, and what that prescribed. */
  base: number;
  served: Modifier;
  weight: number;
  reps: number;
  /** Intensity of the prescription's first set. */
  intensity: number;
}

/**
 * What the simulator knows and a model can only estimate: the true probability that a week goes as planned, and
 * so what the best step would have been for every decision it simulated.
 */

/** What the app asks in a week: its own working weight × the multiplier, to the plate; the target reps + the delta. */
export function prescription(base: number, m: Modifier): { weight: number; reps: number } {
  return { weight: plates(base * m.multiplier), reps: TARGET_REPS + m.repDelta };
}

/** P(at least `k` of independent trials succeed), given each trial's probability: the Poisson binomial tail, exact. */
export function pAtLeast(ps: readonly number[], k: number): number {
  // made[j]: probability that exactly j of the trials so far succeeded.
  let made = [1];
  for (const p of ps) {
    const next = new Array<number>(made.length + 1).fill(0);
    for (let j = 0; j < made.length; j++) {
      next[j]! += made[j]! * (1 - p);
      next[j + 1]! += made[j]! * p;
    }
    made = next;
  }
  return made.slice(Math.max(0, k)).reduce((a, b) => a + b, 0);
}

/**
 * The true probability that a week at this prescription goes as planned — at least `SUCCESS_RATE` of its sets
 * made, each later set of a session a little harder — for a lifter of this capacity: what `model@V` estimates.
 */
export function pWeekSuccess(weight: number, reps: number, capacity: number): number {
  const first = intensityOf(weight, reps, capacity);
  const ps: number[] = [];
  for (let s = 0; s < SESSIONS_PER_WEEK; s++) {
    for (let k = 0; k < SETS_PER_SESSION; k++) ps.push(pSet(first * (1 + SET_FATIGUE * k)));
  }
  return pAtLeast(ps, Math.ceil(SUCCESS_RATE * ps.length - 1e-9));
}

/**
 * The oracle: the model policy's choice among the same candidate steps, scored by the truth instead of a model —
 * what the best step would have been for a simulated decision (its lifter's capacity and the app's own weight in
 * the week decided for).
 */
export function oraclePolicy(truth: readonly TruthRow[], target: number): ModifierPolicy {
  const byDecision = new Map(truth.map((t) => [`${t.userId}/${t.exercise}/${t.week}`, t]));
  return stepPolicy({
    id: 'oracle',
    label: 'oracle',
    target,
    pSuccess: (c, m) => {
      const t = byDecision.get(`${c.userId}/${c.exercise}/${c.week}`);
      if (!t) throw new Error(`oracle: no simulated week ${c.week} of ${c.userId}'s ${c.exercise}`);
      const { weight, reps } = prescription(t.base, m);
      return pWeekSuccess(weight, reps, t.capacity);
    },
  });
}
