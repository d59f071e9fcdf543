import { epley } from '@/server/analytics/e1rm';
import type { CompleteSetInput } from '@/server/contracts/sessions';
import { decisionContext, indexHistory, trainedIn } from '@/server/learning/features';
import { type ExerciseWeekRow, emptyHistory, type LifterHistory } from '@/server/learning/history';
import { modifierBounds } from '@/server/modifiers/bounds';
import type { ModifierPolicy } from '@/server/modifiers/policies';
import { type Bounds, type Modifier, NEUTRAL, successRate } from '@/server/modifiers/rules';
import { seededRandom } from '@/server/random';
import { addDays } from '@/server/time/calendar';
import { intensityOf, nextCapacity, pSet, RPE_SLOPE, SET_FATIGUE } from './lifter-model';
import { plates, SESSIONS_PER_WEEK, SETS_PER_SESSION, type SimLifter, TARGET_REPS } from './population';
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

export function simulate(opts: SimulationOptions): SimulationResult {
  const rand = seededRandom(opts.seed);
  const bounds = opts.bounds ?? modifierBounds();
  const policyOf =
    typeof opts.policy === 'function' ? opts.policy : (_userId: string, _week: string) => opts.policy as ModifierPolicy;
  const out: SimulationResult = { histories: new Map(), sessions: [], feedback: [], profiles: [], truth: [] };

  for (const lifter of opts.lifters) {
    const history = emptyHistory(lifter.userId, opts.startWeek);
    out.histories.set(lifter.userId, history);
    const state = lifter.exercises.map((e) => ({ ...e }));
    let bodyweight = lifter.bodyweightKg;
    for (let t = 0; t < opts.weeks; t++) {
      const week = addDays(opts.startWeek, 7 * t);
      const policy = policyOf(lifter.userId, week);
      if (t % 4 === 0) {
        bodyweight = round2(bodyweight + (rand() - 0.4) * 0.8);
        const snapshot = {
          weightKg: bodyweight,
          heightCm: lifter.heightCm,
          age: lifter.age,
          sex: lifter.sex,
          idealWeightGoal: lifter.goalWeightKg,
        };
        out.profiles.push({ user_id: lifter.userId, effective_date: week, snapshot });
        history.profiles.push({
          effectiveDate: week,
          weightKg: bodyweight,
          heightCm: lifter.heightCm,
          age: lifter.age,
          sex: lifter.sex,
          goalWeightKg: lifter.goalWeightKg,
        });
      }

      // The server decides this week from the weeks before (as the job did at the start of the week).
      const index = indexHistory(history);
      const lastWeek = addDays(week, -7);
      const served = new Map<string, Modifier>();
      for (const e of state) {
        if (t === 0) {
          served.set(e.name, NEUTRAL);
          continue;
        }
        if (!trainedIn(index, e.name, lastWeek)) continue;
        const decision = policy.decide({ ...decisionContext(index, e.name, week), bounds });
        history.modifiers.push({
          exercise: e.name,
          weekStart: week,
          multiplier: decision.multiplier,
          repDelta: decision.repDelta,
          source: 'auto',
          policy: policy.id,
          propensity: decision.propensity ?? 1,
          createdAt: new Date(`${week}T03:00:00Z`),
        });
        served.set(e.name, { multiplier: decision.multiplier, repDelta: decision.repDelta });
      }

      // The lifter trains: SESSIONS_PER_WEEK sessions, every exercise in each.
      const performed = new Map<
        string,
        { intensity: number; success: boolean; reps: number; weight: number; rpe: number }[]
      >();
      for (let s = 0; s < SESSIONS_PER_WEEK; s++) {
        const date = addDays(week, s * 3);
        const sets: SimulatedSet[] = [];
        const prescribed: SimulatedSession['rec_meta']['exercises'] = [];
        for (const e of state) {
          const m = served.get(e.name) ?? NEUTRAL;
          const { weight, reps } = prescription(e.base, m);
          prescribed.push({ exercise: e.name, weight, reps });
          for (let k = 0; k < SETS_PER_SESSION; k++) {
            const intensity = intensityOf(weight, reps, e.capacity) * (1 + SET_FATIGUE * k);
            const success = rand() < pSet(intensity);
            const actualReps = success ? reps : Math.max(0, reps - 1 - (rand() < 0.35 ? 1 : 0));
            const rpe = round2(clamp(10 - (1 - intensity) * RPE_SLOPE + (rand() - 0.5), 5, 10));
            sets.push({
              exercise: e.name,
              set_number: sets.length + 1,
              rec_weight: weight,
              rec_reps: reps,
              actual_weight: weight,
              actual_reps: actualReps,
              intensity: rpe,
              done: true,
            });
            performed.set(e.name, [
              ...(performed.get(e.name) ?? []),
              { intensity, success, reps: actualReps, weight, rpe },
            ]);
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
      history.sessionsByWeek.set(week, SESSIONS_PER_WEEK);

      // What the analytics would aggregate, the truth of the week, and how the lifter and the app move on.
      for (const e of state) {
        const sets = performed.get(e.name) ?? [];
        const m = served.get(e.name) ?? NEUTRAL;
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
        const row: ExerciseWeekRow = {
          exercise: e.name,
          weekStart: week,
          sets: sets.length,
          sample: sets.length,
          successes: sets.filter((x) => x.success).length,
          rpeMean: round4(sets.reduce((a, x) => a + x.rpe, 0) / sets.length),
          bestE1rm: sets.reduce<number | null>((best, x) => {
            const v = epley(x.weight, x.reps);
            return v === null ? best : best === null ? v : Math.max(best, v);
          }, null),
          volumeKg: round2(sets.reduce((a, x) => a + x.weight * x.reps, 0)),
        };
        history.exerciseWeeks.push(row);
        e.capacity = nextCapacity(e.capacity, e.growth, sets);
        // The app's own rule (rules-only, on the phone): all sets made → +2.5 %; under half → −5 %.
        const rate = successRate(row) ?? 0;
        e.base = rate === 1 ? plates(e.base * 1.025) : rate < 0.5 ? plates(e.base * 0.95) : e.base;
      }
    }
  }
  return out;
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
