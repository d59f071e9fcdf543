import { epley } from '@/server/analytics/e1rm';
import type { CompleteSetInput } from '@/server/contracts/sessions';
import { indexHistory, trainedIn } from '@/server/learning/features';
import { type ExerciseWeekRow, emptyHistory, type LifterHistory } from '@/server/learning/history';
import { modifierBounds } from '@/server/modifiers/bounds';
import type { ModifierPolicy } from '@/server/modifiers/policies';
import { type Bounds, type Modifier, NEUTRAL, successRate } from '@/server/modifiers/rules';
import { seededRandom } from '@/server/random';
import { addDays } from '@/server/time/calendar';
import { intensityOf, nextCapacity, pSet, RPE_SLOPE, SET_FATIGUE } from './lifter-model';
import { plates, SESSIONS_PER_WEEK, SETS_PER_SESSION, type SimLifter, TARGET_REPS } from './population';
import { decideExercise, weighInSnapshot } from './server-week';
import { weeklyStrengthFold } from './strength-readings';
import { prescription, type TruthRow } from './truth';

/**
 * Runs a population through weeks of training, week by week, as the app and the server would: each week the
 * serving policy decides every exercise from the decision context of the weeks before (the same fold the weekly
 * job uses), the app prescribes its own working weight × the multiplier and its reps + the rep delta, and the
 * lifter performs by the equations of `lifter-model.ts`. Everything is kept: the histories (the shape
 * `learning/history.ts` loads from a database), the wire-format sessions (for writing through the ingest
 * services), and the truth — each exercise's capacity every week.
 */
type SimulatedSet = CompleteSetInput;

interface SimulatedSession {
  user_id: string;
  date: string;
  day_type: string;
  finished: boolean;
  sets: SimulatedSet[];
  rec_meta: { rec_source: string; exercises: { exercise: string; weight: number; reps: number }[] };
}

export interface SimulationResult {
  histories: Map<string, LifterHistory>;
  sessions: SimulatedSession[];
  feedback: { user_id: string; session_index: number; helpful: boolean }[];
  profiles: { user_id: string; effective_date: string; snapshot: Record<string, unknown> }[];
  truth: TruthRow[];
}

export interface SimulationOptions {
  lifters: SimLifter[];
  /** Monday of the first week. */
  startWeek: string;
  weeks: number;
  seed: number;
  /** The policy serving each lifter (one for all, or per lifter and week: an experiment switches arms in). */
  policy: ModifierPolicy | ((userId: string, week: string) => ModifierPolicy);
  bounds?: Bounds;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

type ExerciseState = SimLifter['exercises'][number];
type Performed = { intensity: number; success: boolean; reps: number; weight: number; rpe: number };

/** One lifter's run: what the steps below share. */
interface LifterRun {
  lifter: SimLifter;
  history: LifterHistory;
  state: ExerciseState[];
  rand: () => number;
  out: SimulationResult;
}

export function simulate(opts: SimulationOptions): SimulationResult {
  const rand = seededRandom(opts.seed);
  const bounds = opts.bounds ?? modifierBounds();
  const policyOf =
    typeof opts.policy === 'function' ? opts.policy : (_userId: string, _week: string) => opts.policy as ModifierPolicy;
  const out: SimulationResult = { histories: new Map(), sessions: [], feedback: [], profiles: [], truth: [] };

  for (const lifter of opts.lifters) {
    const history: LifterHistory = { ...emptyHistory(lifter.userId, opts.startWeek), strength: [] };
    out.histories.set(lifter.userId, history);
    const foldWeek = weeklyStrengthFold(lifter.userId);
    const run: LifterRun = { lifter, history, state: lifter.exercises.map((e) => ({ ...e })), rand, out };
    let bodyweight = lifter.bodyweightKg;
    for (let t = 0; t < opts.weeks; t++) {
      const week = addDays(opts.startWeek, 7 * t);
      const policy = policyOf(lifter.userId, week);
      if (t % 4 === 0) bodyweight = weighIn(run, week, bodyweight);
      const served = t === 0 ? firstWeek(run) : serve(run, week, policy, bounds);
      const performed = new Map<string, Performed[]>();
      const weekFrom = out.sessions.length;
      for (let s = 0; s < SESSIONS_PER_WEEK; s++) train(run, addDays(week, s * 3), served, policy, performed);
      history.sessionsByWeek.set(week, SESSIONS_PER_WEEK);
      for (const e of run.state) closeWeek(run, e, week, served.get(e.name) ?? NEUTRAL, performed.get(e.name) ?? []);
      history.strength!.push(...foldWeek(out.sessions.slice(weekFrom)));
    }
  }
  return out;
}

/** Every fourth week the lifter's bodyweight drifts and the app sends a profile snapshot. */
function weighIn({ lifter, history, rand, out }: LifterRun, week: string, previous: number): number {
  const bodyweight = round2(previous + (rand() - 0.4) * 0.8);
  const snapshot = weighInSnapshot(history, lifter, bodyweight, week);
  out.profiles.push({ user_id: lifter.userId, effective_date: week, snapshot });
  return bodyweight;
}

/** The first week has no history to decide from: every exercise is served neutral. */
function firstWeek({ state }: LifterRun): Map<string, Modifier> {
  return new Map(state.map((e) => [e.name, NEUTRAL]));
}

/** The server decides the week from the weeks before, as the job does at the start of the week. */
function serve({ history, state }: LifterRun, week: string, policy: ModifierPolicy, bounds: Bounds) {
  const index = indexHistory(history);
  const lastWeek = addDays(week, -7);
  const served = new Map<string, Modifier>();
  for (const e of state) {
    if (!trainedIn(index, e.name, lastWeek)) continue;
    served.set(e.name, decideExercise(history, index, { exercise: e.name, week, policy, bounds }));
  }
  return served;
}

/** One session: every exercise at the app's prescription, the lifter's sets by the model; maybe feedback. */
function train(
  run: LifterRun,
  date: string,
  served: ReadonlyMap<string, Modifier>,
  policy: ModifierPolicy,
  performed: Map<string, Performed[]>,
): void {
  const { lifter, history, rand, out } = run;
  const sets: SimulatedSet[] = [];
  const prescribed: SimulatedSession['rec_meta']['exercises'] = [];
  for (const e of run.state) {
    const { weight, reps } = prescription(e.base, served.get(e.name) ?? NEUTRAL);
    prescribed.push({ exercise: e.name, weight, reps });
    for (let k = 0; k < SETS_PER_SESSION; k++) {
      const set = performSet(rand, e, weight, reps, k);
      sets.push({ exercise: e.name, set_number: sets.length + 1, ...set.wire });
      performed.set(e.name, [...(performed.get(e.name) ?? []), set.performed]);
    }
  }
  out.sessions.push({
    user_id: lifter.userId,
    date: `${date}T18:00:00Z`,
    day_type: 'Full body',
    finished: true,
    sets,
    rec_meta: { rec_source: policy.id, exercises: prescribed },
  });
  if (rand() < lifter.feedbackRate) {
    const hit = sets.filter((x) => x.actual_reps >= x.rec_reps).length / sets.length;
    const helpful = rand() < 0.3 + 0.6 * hit;
    out.feedback.push({ user_id: lifter.userId, session_index: out.sessions.length - 1, helpful });
    history.feedback.push({ date, helpful });
  }
}

/** The k-th set of an exercise at weight × reps, by the lifter model (fatigue grows set by set). */
function performSet(rand: () => number, e: ExerciseState, weight: number, reps: number, k: number) {
  const intensity = intensityOf(weight, reps, e.capacity) * (1 + SET_FATIGUE * k);
  const success = rand() < pSet(intensity);
  const actualReps = success ? reps : Math.max(0, reps - 1 - (rand() < 0.35 ? 1 : 0));
  const rpe = round2(clamp(10 - (1 - intensity) * RPE_SLOPE + (rand() - 0.5), 5, 10));
  return {
    wire: {
      rec_weight: weight,
      rec_reps: reps,
      actual_weight: weight,
      actual_reps: actualReps,
      intensity: rpe,
      done: true,
    },
    performed: { intensity, success, reps: actualReps, weight, rpe },
  };
}

/** The week's truth, what the analytics would aggregate, and how the lifter and the app's rule move on. */
function closeWeek(
  { lifter, history, out }: LifterRun,
  e: ExerciseState,
  week: string,
  m: Modifier,
  sets: Performed[],
) {
  const first = sets[0];
  out.truth.push({
    userId: lifter.userId,
    exercise: e.name,
    week,
    capacity: e.capacity,
    base: e.base,
    served: m,
    weight: first?.weight ?? 0,
    reps: TARGET_REPS + m.repDelta,
    intensity: first ? intensityOf(first.weight, TARGET_REPS + m.repDelta, e.capacity) : 0,
  });
  const row = weekRow(e.name, week, sets);
  history.exerciseWeeks.push(row);
  e.capacity = nextCapacity(e.capacity, e.growth, sets);
  // The app's own rule (rules-only, on the phone): all sets made → +2.5 %; under half → −5 %.
  const rate = successRate(row) ?? 0;
  e.base = rate === 1 ? plates(e.base * 1.025) : rate < 0.5 ? plates(e.base * 0.95) : e.base;
}

function weekRow(exercise: string, weekStart: string, sets: readonly Performed[]): ExerciseWeekRow {
  return {
    exercise,
    weekStart,
    sets: sets.length,
    sample: sets.length,
    successes: sets.filter((x) => x.success).length,
    rpeMean: round4(sets.reduce((a, x) => a + x.rpe, 0) / sets.length),
    bestE1rm: sets.reduce<number | null>((best, x) => {
      const v = epley(x.weight, x.reps);
      return v === null ? best : best === null ? v : Math.max(best, v);
    }, null),
    volumeKg: round2(sets.reduce((a, x) => a + x.weight * x.reps, 0)),
    recWeight: round2(sets.reduce((a, x) => a + x.weight, 0) / sets.length),
  };
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
