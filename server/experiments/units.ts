import type { LifterHistory } from '@/server/learning/history';
import type { AnalysisUnit } from './analysis';
import { lifterOutcome, type OutcomeWindow, preWindow } from './outcomes';
import { profileAt, traitsOf } from './traits';

/**
 * A lifter as the analysis counts them, from their history in memory (the simulator's): their arm, whether exposed,
 * their outcomes in and before the window, and their traits at its start. The report builds the same from SQL.
 */
export function analysisUnit(
  history: LifterHistory,
  arm: number,
  exposed: boolean,
  window: OutcomeWindow,
): AnalysisUnit {
  const profile = profileAt(history.profiles, window.from);
  return {
    arm,
    exposed,
    post: lifterOutcome(history, window),
    pre: lifterOutcome(history, preWindow(window)),
    traits: traitsOf(history.strength ?? [], profile, window.from),
  };
}
