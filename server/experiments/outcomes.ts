import { isPlannedDeload } from '@/server/deloads/plans';
import { relativeSlope } from '@/server/learning/features';
import type { LifterHistory } from '@/server/learning/history';
import type { StrengthReading } from '@/server/strength/fold';
import { addDays, daysBetween } from '@/server/time/calendar';

/**
 * What one lifter's weeks in an experiment came to — the per-lifter values every metric of the report is a mean
 * or a ratio of. Pure, over the same per-week rows the feature pipeline loads (`learning/history.ts`), so the
 * report over the database and the simulator's experiments in memory compute the same thing.
 */

/** Weeks before the lifter's first experiment week whose outcome is the CUPED covariate. */
export const PRE_WEEKS = 4;
/** How far before a window a stored estimate still counts as the lifter's strength at its start. */
export const BASELINE_DAYS = 56;
/** A lifter who trained in none of the window's last this-many days has dropped out. */
const DROPOUT_DAYS = 14;

export interface OutcomeWindow {
  /** Monday of the lifter's first week under the arm (the experiment's start, or their enrollment if later). */
  from: string;
  /** Monday of the last week counted (inclusive). */
  to: string;
}

export interface LifterOutcome {
  /**
   * Estimated-strength progression, % per week over the whole window (intention to treat: a lifter who stops keeps
   * their last estimate, so the weeks after count as no gain); null without any estimate (`strengthProgressionOf`).
   */
  strengthProgression: number | null;
  /** Whether any estimate falls inside the window: the lifter was still measured (attrition). */
  strengthMeasured: boolean;
  /** Best-e1RM progression, % per week: each trained exercise's least-squares slope over its weekly bests in the window, relative to their mean, averaged over exercises; null when no exercise has two weeks. */
  progression: number | null;
  /** Done sets with a recommendation, and those that met it, in the window. */
  sample: number;
  successes: number;
  /** Sessions in the window, and its length in weeks. */
  sessions: number;
  weeks: number;
  /** Feedback answers in the window, and the "not helpful" ones. */
  answers: number;
  notHelpful: number;
  /** 1 when the lifter logged no session in the window's last DROPOUT_DAYS days. */
  dropout: 0 | 1;
  /** Coach overrides written for weeks in the window. */
  overrides: number;
}

/** The PRE_WEEKS weeks before a window (and `n` windows further back): its CUPED covariate, and history for planning. */
export function preWindow(window: Pick<OutcomeWindow, 'from'>, n = 1): OutcomeWindow {
  return { from: addDays(window.from, -7 * PRE_WEEKS * n), to: addDays(window.from, -7 * PRE_WEEKS * (n - 1) - 7) };
}

const weeksBetween = (from: string, to: string) => Math.round(daysBetween(from, to) / 7);

/** The exercise weeks an outcome reads: a planned deload's light sets are neither failures nor lost strength. */
function countedWeeks(history: LifterHistory) {
  if (history.plannedDeloads.size === 0) return history.exerciseWeeks;
  return history.exerciseWeeks.filter((r) => !isPlannedDeload(history.plannedDeloads, r.exercise, r.weekStart));
}

/** Mean over exercises of each one's relative e1RM slope over the weeks [from, to], as % per week. */

export function progressionOf(history: LifterHistory, from: string, to: string): number | null {
  const byExercise = new Map<string, { x: number; y: number }[]>();
  for (const row of countedWeeks(history)) {
    if (row.weekStart < from || row.weekStart > to || row.bestE1rm === null) continue;
    const points = byExercise.get(row.exercise) ?? [];
    points.push({ x: weeksBetween(from, row.weekStart), y: row.bestE1rm });
    byExercise.set(row.exercise, points);
  }
  const slopes = [...byExercise.values()].map(relativeSlope).filter((s): s is number => s !== null);
  if (slopes.length === 0) return null;
  return (100 * slopes.reduce((a, b) => a + b, 0)) / slopes.length;
}

/** A window's reading span: from its baseline days before it to its last day, and its length in weeks. */
function spanOf(window: OutcomeWindow): { start: string; end: string; weeks: number } {
  let span = spans.get(window);
  if (!span) {
    span = {
      start: addDays(window.from, -BASELINE_DAYS),
      end: addDays(window.to, 6),
      weeks: weeksBetween(window.from, addDays(window.to, 7)),
    };
    spans.set(window, span);
  }
  return span;
}
const spans = new WeakMap<OutcomeWindow, { start: string; end: string; weeks: number }>();

/**
 * Estimated-strength progression over the window [from, to's Sunday], % per week, and whether the window holds
 * an estimate. Per exercise: from its strength at the start — the last estimate in the BASELINE_DAYS before, else
 * its first in the window — to its last estimate by the end, spread over the whole window, so a lifter who stops
 * keeps their last estimate. The mean over the exercises with a baseline before the window (a lift first logged
 * inside it starts from a single noisy estimate), or over all when none has one. Readings: by exercise, then date.
 */
export function strengthProgressionOf(
  readings: readonly StrengthReading[],
  window: OutcomeWindow,
): { progression: number | null; measured: boolean } {
  const { start, end, weeks } = spanOf(window);
  const lifts = new Map<string, { before?: number; first?: number; last?: number }>();
  let measured = false;
  for (const r of readings) {
    if (r.date < start || r.date > end) continue;
    const lift = lifts.get(r.exercise) ?? {};
    if (r.date < window.from) lift.before = r.level;
    else {
      lift.first ??= r.level;
      measured = true;
    }
    lift.last = r.level;
    lifts.set(r.exercise, lift);
  }
  const all = [...lifts.values()];
  const established = all.filter((l) => l.before !== undefined);
  const counted = established.length > 0 ? established : all;
  if (counted.length === 0) return { progression: null, measured };
  const perWeek = counted.map((l) => 100 * (Math.exp((l.last! - (l.before ?? l.first!)) / weeks) - 1));
  return { progression: perWeek.reduce((a, b) => a + b, 0) / perWeek.length, measured };
}

export function lifterOutcome(history: LifterHistory, window: OutcomeWindow): LifterOutcome {
  const { from, to } = window;
  const end = addDays(to, 7);
  const weeks = weeksBetween(from, end);
  let sample = 0;
  let successes = 0;
  for (const row of countedWeeks(history)) {
    if (row.weekStart < from || row.weekStart > to) continue;
    sample += row.sample;
    successes += row.successes;
  }
  let sessions = 0;
  let recent = 0;
  const recentFrom = addDays(end, -DROPOUT_DAYS);
  for (const [week, n] of history.sessionsByWeek) {
    if (week < from || week > to) continue;
    sessions += n;
    if (week >= recentFrom) recent += n;
  }
  let answers = 0;
  let notHelpful = 0;
  for (const f of history.feedback) {
    if (f.date < from || f.date >= end) continue;
    answers += 1;
    if (!f.helpful) notHelpful += 1;
  }
  const overrides = history.modifiers.filter(
    (m) => m.source === 'coach' && m.weekStart >= from && m.weekStart <= to,
  ).length;
  const strength = strengthProgressionOf(history.strength ?? [], window);
  return {
    strengthProgression: strength.progression,
    strengthMeasured: strength.measured,
    progression: progressionOf(history, from, to),
    sample,
    successes,
    sessions,
    weeks,
    answers,
    notHelpful,
    dropout: recent === 0 ? 1 : 0,
    overrides,
  };
}
