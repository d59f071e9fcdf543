import { relativeSlope } from '@/server/learning/features';
import type { LifterHistory } from '@/server/learning/history';
import { addDays, daysBetween } from '@/server/time/calendar';

/**
 * What one lifter's weeks in an experiment came to — the per-lifter values every metric of the report is a mean
 * or a ratio of. Pure, over the same per-week rows the feature pipeline loads (`learning/history.ts`), so the
 * report over the database and the simulator's experiments in memory compute the same thing.
 */

/** Weeks before the lifter's first experiment week whose outcome is the CUPED covariate. */
export const PRE_WEEKS = 4;
/** A lifter who trained in none of the window's last this-many days has dropped out. */
const DROPOUT_DAYS = 14;

export interface OutcomeWindow {
  /** Monday of the lifter's first week under the arm (the experiment's start, or their enrollment if later). */
  from: string;
  /** Monday of the last week counted (inclusive). */
  to: string;
}

export interface LifterOutcome {
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

/** Mean over exercises of each one's relative e1RM slope over the weeks [from, to], as % per week. */
export function progressionOf(history: LifterHistory, from: string, to: string): number | null {
  const byExercise = new Map<string, { x: number; y: number }[]>();
  for (const row of history.exerciseWeeks) {
    if (row.weekStart < from || row.weekStart > to || row.bestE1rm === null) continue;
    const points = byExercise.get(row.exercise) ?? [];
    points.push({ x: weeksBetween(from, row.weekStart), y: row.bestE1rm });
    byExercise.set(row.exercise, points);
  }
  const slopes = [...byExercise.values()].map(relativeSlope).filter((s): s is number => s !== null);
  if (slopes.length === 0) return null;
  return (100 * slopes.reduce((a, b) => a + b, 0)) / slopes.length;
}

export function lifterOutcome(history: LifterHistory, window: OutcomeWindow): LifterOutcome {
  const { from, to } = window;
  const end = addDays(to, 7);
  const weeks = weeksBetween(from, end);
  let sample = 0;
  let successes = 0;
  for (const row of history.exerciseWeeks) {
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
  return {
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

/** A lifter as the analysis counts them: their arm, whether exposed, and their outcomes in and before the window. */
export function analysisUnit(history: LifterHistory, arm: number, exposed: boolean, window: OutcomeWindow) {
  return { arm, exposed, post: lifterOutcome(history, window), pre: lifterOutcome(history, preWindow(window)) };
}
