import { deloadWeeks, detectPlateau } from '@/server/analytics/plateaus';
import { ALL_EXERCISES, isPlannedDeload } from '@/server/deloads/plans';
import { type Modifier, NEUTRAL, type WeekOutcome } from '@/server/modifiers/rules';
import type { StrengthReading } from '@/server/strength/fold';
import { liftLevel, type TrainingLevel } from '@/server/strength/standards';
import { addDays } from '@/server/time/calendar';
import type { ExerciseWeekRow, LifterHistory, ModifierRow } from './history';

/**
 * The decision context: everything a policy may know when it decides a lifter's exercise for a week, built only
 * from the weeks before it. One pure function builds it from a lifter's history (`history.ts`), for the weekly
 * job, the shadow proposals and the training export alike.
 */
export const LOOKBACK_WEEKS = 26;
export const RECENT_WEEKS = 4;

export interface DecisionContext {
  userId: string;
  exercise: string;
  /** Monday of the week the decision is for. */
  week: string;
  /** The profile snapshot in force before the week (the latest by effective date). */
  bodyweightKg: number | null;
  heightCm: number | null;
  age: number | null;
  sex: string | null;
  goalWeightKg: number | null;
  /** Weeks from the lifter's first session's week to this one. */
  trainingWeeks: number;
  /**
   * This exercise in each of the last 4 weeks that were not planned deloads, the most recent first (sample 0: not
   * trained): a deload's planned-light sets say nothing about whether the load suits the lifter.
   */
  outcomes: WeekOutcome[];
  /** Last week was a planned deload of this exercise: the job holds the modifier from before it. */
  plannedDeload: boolean;
  /** Weeks since the last planned deload of this exercise within the lookback (1: last week); null without one. */
  weeksSincePlannedDeload: number | null;
  /** Mean RPE of the exercise last week, and its change from the week before. */
  rpeMean: number | null;
  rpeChange: number | null;
  /** Least-squares slope of the weekly best e1RM over the last 4 and 8 weeks, as a share of its mean per week. */
  e1rmSlope4: number | null;
  e1rmSlope8: number | null;
  /** Weeks since the best e1RM of the lookback was first reached (0: last week); null without any. */
  weeksSincePr: number | null;
  /** The exercise is on a plateau as of last week (`analytics/plateaus.ts`, over the lookback). */
  plateau: boolean;
  /** What was in force last week, coach overrides included. */
  current: Modifier;
  exercisePolicy: 'load' | 'reps';
  /** The exercise's volume last week, kg. */
  volumeKg: number;
  /** Mean sessions per week over the last 4 weeks. */
  sessionsPerWeek: number;
  /** Share of the lifter's feedback answers before the week that said "helpful"; null without any. */
  helpfulShare: number | null;
  /** Estimated strength (1RM, kg) of the exercise before the week (`server/strength/`); null without an estimate. */
  strengthKg: number | null;
  /** Last week's prescribed weight (mean over the recommended working sets); null without a recommendation. */
  prescribedKg: number | null;
  /** The lift's training level from the estimate, bodyweight and sex (`strength/standards.ts`); null if unknown. */
  level: TrainingLevel | null;
}

/** An index of one lifter's history for the fold: built once, asked for many weeks. */
export interface HistoryIndex {
  history: LifterHistory;
  byExerciseWeek: Map<string, ExerciseWeekRow>;
  byExercise: Map<string, ExerciseWeekRow[]>;
  totalVolumeByWeek: Map<string, number>;
  /** Estimated strength per exercise, by date. */
  strengthByExercise: Map<string, StrengthReading[]>;
}

const key = (exercise: string, week: string) => `${exercise}\u0000${week}`;
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

export function indexHistory(history: LifterHistory): HistoryIndex {
  const index: HistoryIndex = {
    history,
    byExerciseWeek: new Map(),
    byExercise: new Map(),
    totalVolumeByWeek: new Map(),
    strengthByExercise: new Map(),
  };
  for (const row of history.exerciseWeeks) indexRow(index, row);
  for (const reading of history.strength ?? []) indexReading(index, reading);
  return index;
}

/** Adds one strength reading (later than those indexed for its exercise) to an index. */
export function indexReading(index: HistoryIndex, reading: StrengthReading): void {
  const list = index.strengthByExercise.get(reading.exercise);
  if (list) list.push(reading);
  else index.strengthByExercise.set(reading.exercise, [reading]);
}

/** The exercise's last estimated strength (kg) dated before `week`. */
function strengthBefore(index: HistoryIndex, exercise: string, week: string): number | null {
  const readings = index.strengthByExercise.get(exercise);
  if (!readings) return null;
  for (let i = readings.length - 1; i >= 0; i--) if (readings[i]!.date < week) return Math.exp(readings[i]!.level);
  return null;
}

/** Adds one exercise-week row (of a week after those indexed) to an index: a simulation grows it week by week. */
export function indexRow(index: HistoryIndex, row: ExerciseWeekRow): void {
  index.byExerciseWeek.set(key(row.exercise, row.weekStart), row);
  const list = index.byExercise.get(row.exercise);
  if (list) list.push(row);
  else index.byExercise.set(row.exercise, [row]);
  index.totalVolumeByWeek.set(row.weekStart, (index.totalVolumeByWeek.get(row.weekStart) ?? 0) + row.volumeKg);
}

/** Whether the lifter trained `exercise` in `week` (done sets). */
export function trainedIn(index: HistoryIndex, exercise: string, week: string): boolean {
  return index.byExerciseWeek.has(key(exercise, week));
}

/** The (exercise, week) pairs a decision is made for: every exercise trained in the week before `week`. */
export function trainedBefore(index: HistoryIndex, week: string): string[] {
  const last = addDays(week, -7);
  return [...index.byExercise.keys()].filter((e) => index.byExerciseWeek.has(key(e, last))).sort();
}

/** Least-squares slope of (x, y) points, relative to the mean of y; null with fewer than 2 points or a zero mean. */
export function relativeSlope(points: readonly { x: number; y: number }[]): number | null {
  if (points.length < 2) return null;
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  if (sxx === 0 || my === 0) return null;
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  return sxy / sxx / my;
}

/** The modifier row in force in `week` for an exercise: the latest week's on or before it, a coach's first. */
export function rowInForceAt(rows: readonly ModifierRow[], exercise: string, week: string): ModifierRow | undefined {
  let best: ModifierRow | undefined;
  for (const r of rows) {
    if (r.exercise !== exercise || r.weekStart > week) continue;
    if (!best || r.weekStart > best.weekStart) best = r;
    else if (r.weekStart === best.weekStart) {
      const coachFirst = (r.source === 'coach' ? 1 : 0) - (best.source === 'coach' ? 1 : 0);
      if (coachFirst > 0 || (coachFirst === 0 && r.createdAt >= best.createdAt)) best = r;
    }
  }
  return best;
}

/** The multiplier and rep delta in force in `week` (neutral before any row). */
export function inForceAt(rows: readonly ModifierRow[], exercise: string, week: string): Modifier {
  const row = rowInForceAt(rows, exercise, week);
  return row ? { multiplier: row.multiplier, repDelta: row.repDelta } : NEUTRAL;
}

// Mondays 0..LOOKBACK_WEEKS weeks back from a week, computed once per week: the fold compares dates many times.
const mondayCache = new Map<string, { mondays: string[]; weeksBack: Map<string, number> }>();
function mondaysBefore(week: string) {
  let hit = mondayCache.get(week);
  if (!hit) {
    const mondays = Array.from({ length: LOOKBACK_WEEKS + 1 }, (_, n) => addDays(week, -7 * n));
    hit = { mondays, weeksBack: new Map(mondays.map((m, n) => [m, n])) };
    if (mondayCache.size > 10_000) mondayCache.clear();
    mondayCache.set(week, hit);
  }
  return hit;
}

/** The deload weeks a plateau skips: those the lifter's volume shows, and those planned for the exercise. */
function plannedOrDetected(
  history: LifterHistory,
  exercise: string,
  totals: readonly { weekStart: string; volumeKg: number }[],
): Set<string> {
  const weeks = deloadWeeks(totals);
  for (const key of [exercise, ALL_EXERCISES]) for (const w of history.plannedDeloads.get(key) ?? []) weeks.add(w);
  return weeks;
}

/** The context for deciding `exercise` in `week`, from the weeks before it only. */
export function decisionContext(index: HistoryIndex, exercise: string, week: string): DecisionContext {
  const { history } = index;
  const { mondays, weeksBack } = mondaysBefore(week);
  const back = (n: number) => mondays[n]!;
  const row = (n: number) => index.byExerciseWeek.get(key(exercise, back(n)));
  const anyPlans = history.plannedDeloads.size > 0;
  const planned = (n: number) => anyPlans && isPlannedDeload(history.plannedDeloads, exercise, back(n));
  let weeksSincePlannedDeload: number | null = null;
  for (let n = 1; n <= LOOKBACK_WEEKS && weeksSincePlannedDeload === null; n++)
    if (planned(n)) weeksSincePlannedDeload = n;
  const outcomes: WeekOutcome[] = [];
  for (let n = 1; n <= LOOKBACK_WEEKS && outcomes.length < RECENT_WEEKS; n++) {
    if (planned(n)) continue;
    const r = row(n);
    outcomes.push({ sample: r?.sample ?? 0, successes: r?.successes ?? 0 });
  }

  const lookbackFrom = back(LOOKBACK_WEEKS);
  const series = (index.byExercise.get(exercise) ?? []).filter(
    (r) => r.weekStart >= lookbackFrom && r.weekStart < week,
  );
  const e1rmPoints = (weeks: number) =>
    series
      .filter((r) => r.weekStart >= back(weeks) && r.bestE1rm !== null)
      .map((r) => ({ x: -weeksBack.get(r.weekStart)!, y: r.bestE1rm! }));
  let pr: ExerciseWeekRow | undefined;
  for (const r of series) if (r.bestE1rm !== null && (!pr || r.bestE1rm > pr.bestE1rm!)) pr = r;

  const totals = [...index.totalVolumeByWeek.entries()]
    .filter(([w]) => w >= lookbackFrom && w < week)
    .map(([weekStart, volumeKg]) => ({ weekStart, volumeKg }));
  const plateau =
    detectPlateau(
      exercise,
      series.map((r) => ({ weekStart: r.weekStart, bestE1rm: r.bestE1rm })),
      back(1),
      plannedOrDetected(history, exercise, totals),
    ) !== null;

  let profile = null;
  for (const p of history.profiles) if (p.effectiveDate < week) profile = p;
  const answers = history.feedback.filter((f) => f.date < week);
  const last = row(1);
  const before = row(2);
  const sessions = Array.from({ length: RECENT_WEEKS }, (_, i) => history.sessionsByWeek.get(back(i + 1)) ?? 0);
  const strengthKg = strengthBefore(index, exercise, week);
  const bodyweightKg = profile?.weightKg ?? null;
  const sex = profile?.sex ?? null;

  return {
    userId: history.userId,
    exercise,
    week,
    bodyweightKg,
    heightCm: profile?.heightCm ?? null,
    age: profile?.age ?? null,
    sex,
    goalWeightKg: profile?.goalWeightKg ?? null,
    trainingWeeks: history.firstWeek
      ? Math.round((Date.parse(week) - Date.parse(history.firstWeek)) / (7 * 86_400_000))
      : 0,
    outcomes,
    plannedDeload: weeksSincePlannedDeload === 1,
    weeksSincePlannedDeload,
    rpeMean: last?.rpeMean ?? null,
    rpeChange: last?.rpeMean != null && before?.rpeMean != null ? round4(last.rpeMean - before.rpeMean) : null,
    e1rmSlope4: relativeSlope(e1rmPoints(4)),
    e1rmSlope8: relativeSlope(e1rmPoints(8)),
    weeksSincePr: pr ? weeksBack.get(pr.weekStart)! - 1 : null,
    plateau,
    current: inForceAt(history.modifiers, exercise, back(1)),
    exercisePolicy: history.exercisePolicies.get(exercise) ?? 'load',
    volumeKg: last?.volumeKg ?? 0,
    sessionsPerWeek: sessions.reduce((a, b) => a + b, 0) / RECENT_WEEKS,
    helpfulShare: answers.length ? answers.filter((a) => a.helpful).length / answers.length : null,
    strengthKg: strengthKg === null ? null : round4(strengthKg),
    prescribedKg: last?.recWeight ?? null,
    level:
      strengthKg !== null && bodyweightKg !== null && (sex === 'male' || sex === 'female')
        ? liftLevel(sex, exercise, strengthKg, bodyweightKg)
        : null,
  };
}
