import { epley } from '@/server/analytics/e1rm';
import { type HistoryIndex, indexHistory, indexReading, indexRow, trainedIn } from '@/server/learning/features';
import { type ExerciseWeekRow, emptyHistory, type LifterHistory } from '@/server/learning/history';
import { modifierBounds } from '@/server/modifiers/bounds';
import type { ModifierPolicy, PolicyContext } from '@/server/modifiers/policies';
import { type Bounds, type Modifier, NEUTRAL } from '@/server/modifiers/rules';
import type { StrengthReading } from '@/server/strength/fold';
import { addDays } from '@/server/time/calendar';
import { breakWeeks, calledRpe, chosenLoad, dropoutHazard, normal, TYPO_RATE } from './behaviour';
import { type Lift, type Lifter, lifterRandom } from './lifters';
import {
  type Body,
  effectiveSet,
  endDay,
  LOAD_FULL,
  newBody,
  recordSet,
  repsToFailure,
  setCost,
  strengthOf,
} from './physiology';
import { plates } from './population';
import { decideExercise, weighInSnapshot } from './server-week';
import { weeklyStrengthFold } from './strength-readings';

/**
 * The realistic simulation: lifters (`lifters.ts`) train day by day with bodies (`physiology.ts`) and habits
 * (`behaviour.ts`), while each week the serving policy decides every exercise trained the week before from the same
 * decision context the weekly job folds, and the app applies it on top of its own rule. Pure and seeded: each lifter
 * draws from their own stream, so the same lifter under two policies differs only by what the policies did.
 *
 * Out come the sessions in the REST contract's shape (with the recommendation served), the profile snapshots and
 * feedback, the histories the feature pipeline would load, and the truth: per exercise and day, capacity, fatigue
 * and strength (capacity less fatigue), and the day the lifter quit.
 */
export interface WorldSet {
  exercise: string;
  set_number: number;
  rec_weight: number;
  rec_reps: number;
  actual_weight: number;
  actual_reps: number;
  intensity: number | null;
  done: true;
}

interface WorldSession {
  user_id: string;
  date: string;
  day_type: string;
  finished: true;
  sets: WorldSet[];
  rec_meta: { rec_source: string; exercises: { exercise: string; weight: number; reps: number }[] };
}

/** One exercise's truth, one entry per simulated day (day 0 = the first Monday), as of the morning. */
interface LiftTruth {
  exercise: string;
  capacity: Float64Array;
  fatigue: Float64Array;
}

export interface LifterWorld {
  lifter: Lifter;
  sessions: WorldSession[];
  /** Feedback given, by index into `sessions`. */
  feedback: { session_index: number; helpful: boolean }[];
  profiles: { effective_date: string; snapshot: Record<string, unknown> }[];
  history: LifterHistory;
  /** The contexts of explored decisions, as the job stores them (`off-policy.ts` `contextKey`). */
  contexts: Map<string, PolicyContext>;
  truth: LiftTruth[];
  /** The first day without the lifter (they quit at the end of the day before); null if they stayed. */
  droppedOutDay: number | null;
}

export interface WorldOptions {
  /** Monday of the first week. */
  startWeek: string;
  weeks: number;
  seed: number;
  policy: ModifierPolicy | ((userId: string, week: string) => ModifierPolicy);
  bounds?: Bounds;
}

/** Training days within the week, by sessions per week. */
const DAYS: Record<number, number[]> = { 1: [1], 2: [0, 3], 3: [0, 2, 4], 4: [0, 1, 3, 4] };
/** The day's readiness (shared by the lifts) and each lift's own, as log-SDs: a reading of Grgic 2020's 4.2 % CV. */
const READINESS_SD = 0.03;
const LIFT_READINESS_SD = 0.015;

interface LiftRun {
  lift: Lift;
  body: Body;
  base: number;
  served: Modifier;
  /** This week's planned deload of the lift, if any. */
  deload?: { loadFactor: number; setFactor: number };
  last?: { failed: boolean; rpe: number | null };
  week: WorldSet[];
  truth: LiftTruth;
}

interface Run {
  lifter: Lifter;
  rand: () => number;
  lifts: LiftRun[];
  world: LifterWorld;
  opts: WorldOptions;
  policyOf: (userId: string, week: string) => ModifierPolicy;
  bounds: Bounds;
  breakLeft: number;
  failedWeeks: boolean[];
  weeksWithout: number;
  bodyweight: number;
  /** The history as the decision context reads it, grown week by week. */
  index: HistoryIndex;
  /** The simulated days' dates (index = day). */
  days: readonly string[];
  /** Folds a week's sessions into the estimated strength the next decisions read. */
  foldWeek: (sessions: readonly WorldSession[]) => StrengthReading[];
  /** Index into `world.sessions` of the week's first session. */
  weekFrom: number;
}

const calendars = new Map<string, string[]>();
/** The dates of `weeks` weeks from a Monday, computed once per run shape. */
function simulatedDays(startWeek: string, weeks: number): readonly string[] {
  const key = `${startWeek}/${weeks}`;
  let days = calendars.get(key);
  if (!days) {
    days = Array.from({ length: 7 * weeks }, (_, d) => addDays(startWeek, d));
    if (calendars.size > 100) calendars.clear();
    calendars.set(key, days);
  }
  return days;
}

export function simulateLifter(lifter: Lifter, opts: WorldOptions): LifterWorld {
  const run = startRun(lifter, opts);
  for (let t = 0; t < opts.weeks; t++) {
    const week = run.days[7 * t]!;
    const training = run.world.droppedOutDay === null && beginWeek(run, t, week);
    // The server decides the week after a lifter's last one as any other: it cannot know they quit.
    if (run.world.droppedOutDay !== null) serve(run, t, week);
    const sessions = training ? trainingDays(run) : [];
    for (let d = 0; d < 7; d++) {
      const day = 7 * t + d;
      if (sessions.includes(d)) session(run, day, run.days[day]!, sessions.indexOf(d));
      for (const l of run.lifts) {
        l.truth.capacity[day] = l.body.capacity;
        l.truth.fatigue[day] = l.body.fatigue;
        endDay(l.body, day);
      }
    }
    if (run.world.droppedOutDay === null) closeWeek(run, t, week);
  }
  return run.world;
}

function startRun(lifter: Lifter, opts: WorldOptions): Run {
  const days = 7 * opts.weeks;
  const lifts = lifter.lifts.map((lift) => ({
    lift,
    body: newBody(lift.capacity, lift.ceiling, lift.untrained, LOAD_FULL[lifter.level]),
    base: lift.base,
    served: NEUTRAL,
    week: [],
    truth: { exercise: lift.name, capacity: new Float64Array(days), fatigue: new Float64Array(days) },
  }));
  const policy = opts.policy;
  // The first week is the first session's, as the server reads it (a lifter may start with weeks off).
  const history: LifterHistory = { ...emptyHistory(lifter.userId), strength: [] };
  return {
    lifter,
    rand: lifterRandom(opts.seed, lifter.index),
    lifts,
    world: {
      lifter,
      sessions: [],
      feedback: [],
      profiles: [],
      history,
      contexts: new Map(),
      truth: lifts.map((l) => l.truth),
      droppedOutDay: null,
    },
    opts,
    policyOf: typeof policy === 'function' ? policy : () => policy,
    bounds: opts.bounds ?? modifierBounds(),
    breakLeft: 0,
    failedWeeks: [],
    weeksWithout: 0,
    bodyweight: lifter.bodyweightKg,
    days: simulatedDays(opts.startWeek, opts.weeks),
    index: indexHistory(history),
    foldWeek: weeklyStrengthFold(lifter.userId),
    weekFrom: 0,
  };
}

/** The server decides the week; the lifter weighs in every fourth week. False when the lifter takes it off. */
function beginWeek(run: Run, t: number, week: string): boolean {
  run.weekFrom = run.world.sessions.length;
  if (t % 4 === 0) weighIn(run, week);
  serve(run, t, week);
  if (run.breakLeft > 0) {
    run.breakLeft--;
    return false;
  }
  const off = breakWeeks(run.rand);
  run.breakLeft = Math.max(0, off - 1);
  return off === 0;
}

function trainingDays(run: Run): number[] {
  return DAYS[run.lifter.sessionsPerWeek]!.filter(() => run.rand() < run.lifter.attendance);
}

function weighIn(run: Run, week: string): void {
  const { lifter, world } = run;
  run.bodyweight = Math.round((run.bodyweight + (run.rand() - 0.45) * 0.8) * 100) / 100;
  const snapshot = weighInSnapshot(world.history, lifter, run.bodyweight, week);
  world.profiles.push({ effective_date: week, snapshot });
}

/** Each exercise trained last week gets the policy's decision from the weeks before, stored as the job stores it. */
function serve(run: Run, t: number, week: string): void {
  if (t === 0) return;
  const history = run.world.history;
  const policy = run.policyOf(run.lifter.userId, week);
  const lastWeek = run.days[7 * (t - 1)]!;
  for (const l of run.lifts) {
    l.deload = undefined;
    if (!trainedIn(run.index, l.lift.name, lastWeek)) continue;
    const { deload, ...served } = decideExercise(
      history,
      run.index,
      { exercise: l.lift.name, week, policy, bounds: run.bounds },
      run.world.contexts,
    );
    l.served = served;
    l.deload = deload;
  }
}

/** Monday of the week a simulated day is in. */
function weekOf(run: Run, day: number): string {
  return run.days[7 * Math.floor(day / 7)]!;
}

/** The lifts of the k-th session of the week: all of them, or alternate halves for 3–4 sessions a week. */
function liftsOf(run: Run, k: number): LiftRun[] {
  if (run.lifter.sessionsPerWeek < 3) return run.lifts;
  return run.lifts.filter((_, i) => (i + k) % 2 === 0);
}

function session(run: Run, day: number, date: string, k: number): void {
  const { lifter, rand, world } = run;
  const dayReadiness = Math.exp(READINESS_SD * normal(rand));
  const sets: WorldSet[] = [];
  const prescribed: WorldSession['rec_meta']['exercises'] = [];
  const week = weekOf(run, day);
  const policy = run.policyOf(lifter.userId, week);
  for (const l of liftsOf(run, k)) {
    const weight = plates(l.base * l.served.multiplier * (l.deload?.loadFactor ?? 1));
    const reps = Math.max(1, lifter.program.reps + l.served.repDelta);
    prescribed.push({ exercise: l.lift.name, weight, reps });
    const readiness = dayReadiness * Math.exp(LIFT_READINESS_SD * normal(rand));
    for (const set of liftSets(run, l, day, weight, reps, readiness))
      sets.push({ ...set, set_number: sets.length + 1 });
  }
  world.sessions.push({
    user_id: lifter.userId,
    date: `${date}T18:00:00Z`,
    day_type: 'Full body',
    finished: true,
    sets,
    rec_meta: { rec_source: policy.id, exercises: prescribed },
  });
  world.history.sessionsByWeek.set(week, (world.history.sessionsByWeek.get(week) ?? 0) + 1);
  world.history.firstWeek ??= week;
  giveFeedback(run, sets, date);
}

/** One exercise's sets of a session: the lifter's chosen load, reps until the target or failure, maybe an RPE. */
function liftSets(run: Run, l: LiftRun, day: number, weight: number, reps: number, readiness: number): WorldSet[] {
  const { lifter, rand } = run;
  const load = plates(chosenLoad(rand, weight, lifter.deviates, l.last));
  let strength = strengthOf(l.body) * readiness;
  const out: WorldSet[] = [];
  const sets = Math.max(1, Math.round(lifter.program.sets * (l.deload?.setFactor ?? 1)));
  for (let s = 0; s < sets; s++) {
    const toFailure = repsToFailure(load, strength, lifter.endurance);
    const done = Math.min(reps, Math.floor(toFailure));
    const failed = done < reps;
    const inReserve = Math.floor(toFailure) - done;
    recordSet(l.body, day, effectiveSet(l.body, load, inReserve), failed);
    strength *= 1 - setCost(inReserve);
    const rpe = rand() < lifter.ratesRpe ? calledRpe(rand, inReserve, failed) : null;
    const typed = rand() < TYPO_RATE ? (load * 10 <= 1000 ? load * 10 : load / 10) : load;
    const set: WorldSet = {
      exercise: l.lift.name,
      set_number: 0,
      rec_weight: weight,
      rec_reps: reps,
      actual_weight: typed,
      actual_reps: done,
      intensity: rpe,
      done: true,
    };
    out.push(set);
    l.week.push(set);
  }
  // What the lifter remembers next time: whether any set failed, and how the first one felt.
  l.last = { failed: out.some((x) => x.actual_reps < reps), rpe: out[0]?.intensity ?? null };
  return out;
}

function giveFeedback(run: Run, sets: readonly WorldSet[], date: string): void {
  const { lifter, rand, world } = run;
  if (sets.length === 0 || rand() >= lifter.feedbackRate) return;
  const hit = sets.filter(made).length / sets.length;
  const helpful = rand() < 0.3 + 0.6 * hit;
  world.feedback.push({ session_index: world.sessions.length - 1, helpful });
  world.history.feedback.push({ date, helpful });
}

/** A set that met its recommendation, reps and weight, as the rule counts it. */
const made = (s: WorldSet) => s.actual_reps >= s.rec_reps && s.actual_weight >= s.rec_weight;

/** The week as the analytics aggregate it; the app's own rule moves; the lifter may quit. */
function closeWeek(run: Run, t: number, week: string): void {
  let sample = 0;
  let successes = 0;
  for (const l of run.lifts) {
    if (l.week.length === 0) continue;
    const row = weekRow(l.lift.name, week, l.week);
    run.world.history.exerciseWeeks.push(row);
    indexRow(run.index, row);
    sample += row.sample;
    successes += row.successes;
    // The app's own rule, on the phone: every set made → +2.5 %; under half → −5 %; a deload week moves nothing.
    const rate = row.successes / row.sample;
    if (!l.deload) l.base = rate === 1 ? plates(l.base * 1.025) : rate < 0.5 ? plates(l.base * 0.95) : l.base;
    l.week = [];
  }
  for (const reading of run.foldWeek(run.world.sessions.slice(run.weekFrom))) {
    run.world.history.strength!.push(reading);
    indexReading(run.index, reading);
  }
  run.weeksWithout = sample === 0 ? run.weeksWithout + 1 : 0;
  run.failedWeeks.push(sample > 0 && successes / sample < 0.5);
  const failed = run.failedWeeks.slice(-4).filter(Boolean).length;
  if (run.rand() < dropoutHazard(t, failed, run.weeksWithout)) run.world.droppedOutDay = 7 * (t + 1);
}

function weekRow(exercise: string, weekStart: string, sets: readonly WorldSet[]): ExerciseWeekRow {
  const rated = sets.filter((s) => s.intensity !== null);
  let best: number | null = null;
  for (const s of sets) {
    const v = epley(s.actual_weight, s.actual_reps);
    if (v !== null && (best === null || v > best)) best = v;
  }
  return {
    exercise,
    weekStart,
    sets: sets.length,
    sample: sets.length,
    successes: sets.filter(made).length,
    rpeMean: rated.length ? round4(rated.reduce((a, s) => a + s.intensity!, 0) / rated.length) : null,
    bestE1rm: best,
    volumeKg: Math.round(sets.reduce((a, s) => a + s.actual_weight * s.actual_reps, 0) * 100) / 100,
    recWeight: Math.round((sets.reduce((a, s) => a + s.rec_weight, 0) / sets.length) * 100) / 100,
  };
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
