import jStat from 'jstat';
import { epley } from '@/server/analytics/e1rm';
import type { ModifierPolicy } from '@/server/modifiers/policies';
import { filterDays, pointOf, type StrengthPoint, smoothBeliefs } from '@/server/strength/estimate';
import { dayEvidence, type StrengthSet } from '@/server/strength/observations';
import { drawLifters } from './lifters';
import { type LifterWorld, simulateLifter, type WorldSet } from './world';

/**
 * The truth table: policies run through the realistic simulator on the same lifters and seeds, each judged by
 * what happened to the lifters — true strength gain (the simulator's capacity), dropout — beside what a server can
 * measure — the estimated-strength gain, the e1RM of the prescribed sets, the success rate — and the estimator's
 * accuracy against the truth beside two naive readings. Pure and in memory: lifter by lifter, nothing kept but
 * the figures.
 */
export interface EvaluationOptions {
  policies: readonly ModifierPolicy[];
  lifters: number;
  weeks: number;
  seed: number;
  /** Monday of the first simulated week (the dates only name days; nothing reads a clock). */
  startWeek?: string;
  onProgress?: (done: number, total: number) => void;
}

interface Interval {
  mean: number;
  low: number;
  high: number;
}

interface PolicyRow {
  policy: string;
  true_gain_pct: Interval;
  true_gain_12w_pct: Interval | null;
  true_gain_training_pct: Interval;
  dropout_pct: number;
  failed_weeks_pct: number;
  sessions_per_week: number;
  measured: { strength_gain_pct: number; e1rm_prescribed_gain_pct: number; success_rate: number };
}

type Measure = 'truth' | 'truth_training' | 'strength' | 'e1rm_prescribed' | 'success_rate';
type Observed = Exclude<Measure, 'truth' | 'truth_training'>;
const MEASURES: readonly Measure[] = ['truth', 'truth_training', 'strength', 'e1rm_prescribed', 'success_rate'];
const OBSERVED: readonly Observed[] = ['strength', 'e1rm_prescribed', 'success_rate'];

export interface TruthTable {
  lifters: number;
  weeks: number;
  seed: number;
  policies: PolicyRow[];
  ranking: Record<Measure, string[]>;
  /**
   * Pairs whose true-gain intervals do not overlap (better first) that a measure orders the other way: against the
   * gain at the horizon (strength lost after quitting included), and against the gain while training — what a
   * measure that keeps a lifter's last reading (intention to treat) can see.
   */
  wrong_pairs: Record<Observed, [string, string][]>;
  wrong_pairs_training: Record<Observed, [string, string][]>;
  estimator: {
    mae_pct: { w4: number | null; w8: number | null; w26: number | null };
    coverage_90: number | null;
    baselines: { best_e1rm_4w: { mae_pct: number | null }; e1rm_prescribed: { mae_pct: number | null } };
  };
}

const DEFAULT_START = '2025-01-06';
const Z95 = jStat.normal.inv(0.975, 0, 1);
/** The estimator's checkpoints, in weeks from the start (the last is the run's end when shorter). */
const CHECKPOINTS = { w4: 4, w8: 8, w26: 26 } as const;

export function evaluatePolicies(opts: EvaluationOptions): TruthTable {
  return tableOf(opts, [evaluateShard({ ...opts, from: 0, to: opts.lifters })]);
}

/** One share of the population, every policy: what a worker computes. Plain data, so it crosses threads. */
export interface Shard {
  /** Per policy, per lifter of the share. */
  outcomes: Outcome[][];
  accuracy: Accuracy;
}

export function evaluateShard(opts: EvaluationOptions & { from: number; to: number }): Shard {
  const population = drawLifters(opts.to, opts.seed).slice(opts.from);
  const startWeek = opts.startWeek ?? DEFAULT_START;
  const start = Date.parse(`${startWeek}T00:00:00Z`);
  const accuracy = newAccuracy();
  const total = population.length * opts.policies.length;
  const outcomes = opts.policies.map((policy, p) =>
    population.map((lifter, n) => {
      const world = simulateLifter(lifter, { startWeek, weeks: opts.weeks, seed: opts.seed, policy });
      opts.onProgress?.(p * population.length + n + 1, total);
      return outcomeOf(world, { weeks: opts.weeks, start }, accuracy);
    }),
  );
  return { outcomes, accuracy };
}

/** The table from every share's outcomes (in population order). */
export function tableOf(opts: Omit<EvaluationOptions, 'onProgress'>, shards: readonly Shard[]): TruthTable {
  const rows = opts.policies.map((policy, p) =>
    policyRow(
      policy.id,
      shards.flatMap((s) => s.outcomes[p]!),
      opts.weeks,
    ),
  );
  return {
    lifters: opts.lifters,
    weeks: opts.weeks,
    seed: opts.seed,
    policies: rows,
    ...rankings(rows),
    estimator: accuracySummary(mergeAccuracy(shards.map((s) => s.accuracy))),
  };
}

/** What one lifter's run says, at the horizons. */
interface Outcome {
  trueGain: number;
  trueGain12: number | null;
  /** At the horizon, or on the day the lifter quit. */
  trueGainTraining: number;
  dropped: boolean;
  failedWeeks: number;
  exerciseWeeks: number;
  sessionsPerWeek: number;
  strengthGain: number | null;
  prescribedGain: number | null;
  sets: number;
  made: number;
}

/** A set as its day and lift: what the measures read. */
interface DaySets {
  day: number;
  date: string;
  sets: WorldSet[];
}

function outcomeOf(
  world: LifterWorld,
  { weeks, start }: { weeks: number; start: number },
  accuracy: Accuracy,
): Outcome {
  const byLift = setsByLift(world, start);
  const strength: number[] = [];
  const prescribed: number[] = [];
  let sets = 0;
  let made = 0;
  for (const truth of world.truth) {
    const days = byLift.get(truth.exercise) ?? [];
    const steps = filterDays(days.map((d) => ({ date: d.date, evidence: dayEvidence(d.sets.map(toSet)) })));
    const smoothed = smoothBeliefs(steps.map((s) => ({ date: s.date, belief: s.filtered })));
    const gain = gainOf(smoothed);
    if (gain !== null) strength.push(gain);
    const p = prescribedGain(days);
    if (p !== null) prescribed.push(p);
    for (const d of days) {
      sets += d.sets.length;
      made += d.sets.filter((s) => s.actual_reps >= s.rec_reps && s.actual_weight >= s.rec_weight).length;
    }
    scoreEstimates(accuracy, weeks, days, steps, truth);
  }
  const activeWeeks = (world.droppedOutDay ?? 7 * weeks) / 7;
  return {
    trueGain: trueGainAt(world, weeks),
    trueGain12: weeks >= 12 ? trueGainAt(world, 12) : null,
    trueGainTraining: trueGainOn(world, Math.min(7 * weeks, world.droppedOutDay ?? Infinity) - 1),
    dropped: world.droppedOutDay !== null,
    failedWeeks: countFailedWeeks(world),
    exerciseWeeks: world.history.exerciseWeeks.length,
    sessionsPerWeek: world.sessions.length / activeWeeks,
    strengthGain: mean(strength),
    prescribedGain: mean(prescribed),
    sets,
    made,
  };
}

/** Mean over the lifter's exercises of capacity at the end of week `w` against the start, in %. */
function trueGainAt(world: LifterWorld, w: number): number {
  return trueGainOn(world, 7 * w - 1);
}

function trueGainOn(world: LifterWorld, end: number): number {
  return mean(world.truth.map((t) => (t.capacity[end]! / t.capacity[0]! - 1) * 100))!;
}

/** Exercise-weeks with under half the sets made (the app's own rule then cuts the load). */
function countFailedWeeks(world: LifterWorld): number {
  return world.history.exerciseWeeks.reduce((n, r) => n + (r.sample > 0 && r.successes / r.sample < 0.5 ? 1 : 0), 0);
}

/** The estimated-strength gain: the smoothed estimate's last day against its first, in %. */
function gainOf(points: readonly StrengthPoint[]): number | null {
  if (points.length < 2) return null;
  return (points.at(-1)!.estimateKg / points[0]!.estimateKg - 1) * 100;
}

/** The e1RM of the prescription (Epley of rec_weight × rec_reps): the last day's against the first's, in %. */
function prescribedGain(days: readonly DaySets[]): number | null {
  if (days.length < 2) return null;
  const first = prescribedE1rm(days[0]!);
  const last = prescribedE1rm(days.at(-1)!);
  return first && last ? (last / first - 1) * 100 : null;
}

function prescribedE1rm(d: DaySets): number | null {
  const s = d.sets[0]!;
  return epley(s.rec_weight, s.rec_reps);
}

function setsByLift(world: LifterWorld, start: number): Map<string, DaySets[]> {
  const out = new Map<string, DaySets[]>();
  for (const session of world.sessions) {
    const day = dayOf(start, session.date);
    for (const set of session.sets) {
      const days = out.get(set.exercise) ?? [];
      if (days.at(-1)?.day !== day) days.push({ day, date: session.date.slice(0, 10), sets: [] });
      days.at(-1)!.sets.push(set);
      out.set(set.exercise, days);
    }
  }
  return out;
}

/** A set as the estimator reads it: fewer reps than prescribed is a failure, as the materialized estimate says. */
function toSet(s: WorldSet): StrengthSet {
  return { weight: s.actual_weight, reps: s.actual_reps, rpe: s.intensity, failed: s.actual_reps < s.rec_reps };
}

/** Simulated days from the first Monday. */
const DAY_MS = 86_400_000;
const dayOf = (start: number, iso: string) => Math.floor((Date.parse(iso) - start) / DAY_MS);

// ---------------------------------------------------------------------------------------------------------------
// The estimator against the truth

interface Accuracy {
  errors: Record<keyof typeof CHECKPOINTS, number[]>;
  covered: number;
  scored: number;
  best4w: number[];
  prescribed: number[];
}

function newAccuracy(): Accuracy {
  return { errors: { w4: [], w8: [], w26: [] }, covered: 0, scored: 0, best4w: [], prescribed: [] };
}

function mergeAccuracy(parts: readonly Accuracy[]): Accuracy {
  const all = newAccuracy();
  for (const a of parts) {
    for (const k of Object.keys(all.errors) as (keyof Accuracy['errors'])[]) append(all.errors[k], a.errors[k]);
    all.covered += a.covered;
    all.scored += a.scored;
    append(all.best4w, a.best4w);
    append(all.prescribed, a.prescribed);
  }
  return all;
}

/**
 * At each checkpoint, for an exercise trained in the 4 weeks before it: the filter's estimate as of its last
 * training day against the truth that day (capacity less fatigue), and the two naive readings against the same.
 * Coverage and the baselines are scored at the last checkpoint the run reaches.
 */
function scoreEstimates(
  acc: Accuracy,
  weeks: number,
  days: readonly DaySets[],
  steps: ReturnType<typeof filterDays>,
  truth: LifterWorld['truth'][number],
): void {
  const last = Math.min(weeks, CHECKPOINTS.w26);
  for (const [name, w] of Object.entries(CHECKPOINTS) as [keyof typeof CHECKPOINTS, number][]) {
    const at = Math.min(w, weeks);
    if (at < w && name !== 'w26') continue;
    const end = 7 * at - 1;
    const k = lastIndexAtOrBefore(days, end);
    if (k < 0 || days[k]!.day < end - 27) continue;
    const day = days[k]!.day;
    const step = steps.findLast((s) => s.date <= days[k]!.date);
    if (!step) continue;
    const actual = truth.capacity[day]! * (1 - truth.fatigue[day]!);
    const point = pointOf(step.date, step.filtered);
    acc.errors[name].push(Math.abs(point.estimateKg / actual - 1) * 100);
    if (at !== last || name !== 'w26') continue;
    acc.scored++;
    if (point.lowKg <= actual && actual <= point.highKg) acc.covered++;
    const best = bestE1rmSince(days, k, day - 27);
    if (best !== null) acc.best4w.push(Math.abs(best / actual - 1) * 100);
    const rx = prescribedE1rm(days[k]!);
    if (rx !== null) acc.prescribed.push(Math.abs(rx / actual - 1) * 100);
  }
}

function lastIndexAtOrBefore(days: readonly DaySets[], day: number): number {
  for (let k = days.length - 1; k >= 0; k--) if (days[k]!.day <= day) return k;
  return -1;
}

function bestE1rmSince(days: readonly DaySets[], k: number, from: number): number | null {
  let best: number | null = null;
  for (let j = k; j >= 0 && days[j]!.day >= from; j--) {
    for (const s of days[j]!.sets) {
      const v = epley(s.actual_weight, s.actual_reps);
      if (v !== null && (best === null || v > best)) best = v;
    }
  }
  return best;
}

function accuracySummary(acc: Accuracy): TruthTable['estimator'] {
  return {
    mae_pct: { w4: median(acc.errors.w4), w8: median(acc.errors.w8), w26: median(acc.errors.w26) },
    coverage_90: acc.scored ? acc.covered / acc.scored : null,
    baselines: { best_e1rm_4w: { mae_pct: median(acc.best4w) }, e1rm_prescribed: { mae_pct: median(acc.prescribed) } },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Per policy, and the rankings

function policyRow(policy: string, outcomes: readonly Outcome[], weeks: number): PolicyRow {
  const sets = outcomes.reduce((a, o) => a + o.sets, 0);
  const exerciseWeeks = outcomes.reduce((a, o) => a + o.exerciseWeeks, 0);
  return {
    policy,
    true_gain_pct: interval(outcomes.map((o) => o.trueGain)),
    true_gain_12w_pct: weeks >= 12 ? interval(outcomes.map((o) => o.trueGain12!)) : null,
    true_gain_training_pct: interval(outcomes.map((o) => o.trueGainTraining)),
    dropout_pct: (outcomes.filter((o) => o.dropped).length / outcomes.length) * 100,
    failed_weeks_pct: exerciseWeeks ? (outcomes.reduce((a, o) => a + o.failedWeeks, 0) / exerciseWeeks) * 100 : 0,
    sessions_per_week: mean(outcomes.map((o) => o.sessionsPerWeek)) ?? 0,
    measured: {
      strength_gain_pct: mean(present(outcomes.map((o) => o.strengthGain))) ?? 0,
      e1rm_prescribed_gain_pct: mean(present(outcomes.map((o) => o.prescribedGain))) ?? 0,
      success_rate: sets ? outcomes.reduce((a, o) => a + o.made, 0) / sets : 0,
    },
  };
}

const measureOf: Record<Measure, (r: PolicyRow) => number> = {
  truth: (r) => r.true_gain_pct.mean,
  truth_training: (r) => r.true_gain_training_pct.mean,
  strength: (r) => r.measured.strength_gain_pct,
  e1rm_prescribed: (r) => r.measured.e1rm_prescribed_gain_pct,
  success_rate: (r) => r.measured.success_rate,
};

function rankings(rows: readonly PolicyRow[]): Pick<TruthTable, 'ranking' | 'wrong_pairs' | 'wrong_pairs_training'> {
  const ranking = Object.fromEntries(
    MEASURES.map((m) => [m, [...rows].sort((a, b) => measureOf[m](b) - measureOf[m](a)).map((r) => r.policy)]),
  ) as Record<Measure, string[]>;
  return {
    ranking,
    wrong_pairs: wrongPairs(rows, (r) => r.true_gain_pct),
    wrong_pairs_training: wrongPairs(rows, (r) => r.true_gain_training_pct),
  };
}

/** For each observed measure, the pairs the truth separates (no overlap of intervals) that it orders the other way. */
function wrongPairs(
  rows: readonly PolicyRow[],
  truth: (r: PolicyRow) => Interval,
): Record<Observed, [string, string][]> {
  const separated: [PolicyRow, PolicyRow][] = [];
  for (const a of rows) for (const b of rows) if (truth(a).low > truth(b).high) separated.push([a, b]);
  return Object.fromEntries(
    OBSERVED.map((m) => [
      m,
      separated.filter(([a, b]) => measureOf[m](a) <= measureOf[m](b)).map(([a, b]) => [a.policy, b.policy]),
    ]),
  ) as Record<Observed, [string, string][]>;
}

/** Mean and its 95 % interval (normal approximation over lifters). */
function interval(xs: readonly number[]): Interval {
  const m = mean(xs) ?? 0;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1)) : 0;
  const half = (Z95 * sd) / Math.sqrt(Math.max(1, xs.length));
  return { mean: m, low: m - half, high: m + half };
}

function mean(xs: readonly number[]): number | null {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Appends without spreading (a population's errors overflow the argument limit). */
function append(to: number[], from: readonly number[]): void {
  for (const x of from) to.push(x);
}

function present(xs: readonly (number | null)[]): number[] {
  return xs.filter((x): x is number => x !== null);
}
