import { isPlannedDeload } from '@/server/deloads/plans';
import { successRate } from '@/server/modifiers/rules';
import { REWARD_WEEKS, strengthReward } from '@/server/strength/reward';
import { addDays } from '@/server/time/calendar';
import { type DecisionContext, decisionContext, type HistoryIndex, RECENT_WEEKS, rowInForceAt } from './features';

/**
 * One decision, as the training data set holds it: the context a policy saw (features), the action that was
 * served for that week, and what happened next (outcomes). A row per lifter × exercise × week in which the lifter
 * had trained the exercise the week before — every decision the weekly job makes, or would have made.
 */
export interface DecisionRow {
  subject: string;
  context: DecisionContext;
  /** What was in force for the week: the job's row (or a coach's), carried forward; null before any. */
  served: { policy: string; source: 'auto' | 'coach'; multiplier: number; repDelta: number; propensity: number } | null;
  /** The decided week was a planned deload of the exercise (a coach's, the lifter's or a policy's). */
  deload: boolean;
  /** The exercise in the decided week; null when it was not trained then. */
  nextSuccessRate: number | null;
  nextSample: number;
  /** Best e1RM over the decided week and the 3 after it, against last week's, as a ratio minus 1. */
  e1rmChange4w: number | null;
  /** Trained again within the decided week and the 3 after it. */
  trainedAgain: boolean;
  /**
   * Estimated strength over the decided week and the 3 after it (×100 log, the off-policy reward; a lifter who
   * stopped keeps their last estimate); null without an estimate before, or when those weeks are not all over.
   */
  strengthGain4w: number | null;
  /** What shadow policies proposed for this decision. */
  proposals: { policy: string; multiplier: number; rep_delta: number; p_success: number | null; deload: boolean }[];
}

/**
 * Every decision row of one lifter, oldest week first. `lastWeek`: the last week with data (a Monday), by which a
 * row's strength gain is complete; default the history's last trained week.
 */
export function decisionRowsOf(index: HistoryIndex, subject: string, lastWeek?: string): DecisionRow[] {
  const rows: DecisionRow[] = [];
  const through = lastWeek ?? index.history.exerciseWeeks.at(-1)?.weekStart ?? '';
  // A gain is known once its weeks are over and settled by the analytics job.
  const settled = index.history.strengthSettledBefore;
  const complete = addDays(settled && settled <= through ? addDays(settled, -7) : through, -7 * (REWARD_WEEKS - 1));
  for (const [exercise, weeks] of [...index.byExercise.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    for (const [i, trained] of weeks.entries()) {
      const week = addDays(trained.weekStart, 7);
      const context = decisionContext(index, exercise, week);
      const until = addDays(week, 7 * RECENT_WEEKS);
      const ahead: typeof weeks = [];
      for (let j = i + 1; j < weeks.length && weeks[j]!.weekStart < until; j++) ahead.push(weeks[j]!);
      const next = ahead.find((w) => w.weekStart === week);
      const bestAhead = Math.max(...ahead.map((w) => w.bestE1rm ?? Number.NEGATIVE_INFINITY));
      const served = rowInForceAt(index.history.modifiers, exercise, week);
      rows.push({
        subject,
        context,
        served: served
          ? {
              policy: served.policy,
              source: served.source,
              multiplier: served.multiplier,
              repDelta: served.repDelta,
              propensity: served.propensity ?? 1,
            }
          : null,
        deload: isPlannedDeload(index.history.plannedDeloads, exercise, week),
        nextSuccessRate: next ? successRate(next) : null,
        nextSample: next?.sample ?? 0,
        e1rmChange4w: trained.bestE1rm && Number.isFinite(bestAhead) ? round6(bestAhead / trained.bestE1rm - 1) : null,
        trainedAgain: ahead.length > 0,
        strengthGain4w: week <= complete ? strengthReward(index.strengthByExercise.get(exercise) ?? [], week) : null,
        proposals: index.history.proposals
          .filter((p) => p.exercise === exercise && p.weekStart === week)
          .map((p) => ({
            policy: p.policy,
            multiplier: p.multiplier,
            rep_delta: p.repDelta,
            p_success: p.pSuccess,
            deload: p.deload,
          })),
      });
    }
  }
  return rows.sort((a, b) => (a.context.week < b.context.week ? -1 : a.context.week > b.context.week ? 1 : 0));
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** The export's columns, in order: the flat form of a decision row (CSV and Parquet alike). */
export const DECISION_COLUMNS = [
  ['subject', 'STRING'],
  ['week', 'STRING'],
  ['exercise', 'STRING'],
  ['bodyweight_kg', 'DOUBLE'],
  ['height_cm', 'DOUBLE'],
  ['age', 'DOUBLE'],
  ['sex', 'STRING'],
  ['goal_weight_kg', 'DOUBLE'],
  ['training_weeks', 'INT32'],
  ['success_1', 'DOUBLE'],
  ['sample_1', 'INT32'],
  ['success_2', 'DOUBLE'],
  ['sample_2', 'INT32'],
  ['success_3', 'DOUBLE'],
  ['sample_3', 'INT32'],
  ['success_4', 'DOUBLE'],
  ['sample_4', 'INT32'],
  ['rpe_mean', 'DOUBLE'],
  ['rpe_change', 'DOUBLE'],
  ['e1rm_slope_4', 'DOUBLE'],
  ['e1rm_slope_8', 'DOUBLE'],
  ['weeks_since_pr', 'INT32'],
  ['plateau', 'BOOLEAN'],
  ['multiplier_in_force', 'DOUBLE'],
  ['rep_delta_in_force', 'INT32'],
  ['exercise_policy', 'STRING'],
  ['volume_kg', 'DOUBLE'],
  ['sessions_per_week', 'DOUBLE'],
  ['helpful_share', 'DOUBLE'],
  ['strength_kg', 'DOUBLE'],
  ['prescribed_kg', 'DOUBLE'],
  ['level', 'STRING'],
  ['served_policy', 'STRING'],
  ['served_source', 'STRING'],
  ['served_multiplier', 'DOUBLE'],
  ['served_rep_delta', 'INT32'],
  ['propensity', 'DOUBLE'],
  ['deload', 'BOOLEAN'],
  ['proposals', 'STRING'],
  ['next_success_rate', 'DOUBLE'],
  ['next_sample', 'INT32'],
  ['e1rm_change_4w', 'DOUBLE'],
  ['trained_again', 'BOOLEAN'],
  ['strength_gain_4w', 'DOUBLE'],
] as const;

export type DecisionColumn = (typeof DECISION_COLUMNS)[number][0];

/** The columns that describe the context (what a policy or a model sees): from `bodyweight_kg` to `level`. */
export const FEATURE_COLUMNS: readonly DecisionColumn[] = DECISION_COLUMNS.map(([name]) => name).slice(
  DECISION_COLUMNS.findIndex(([name]) => name === 'bodyweight_kg'),
  DECISION_COLUMNS.findIndex(([name]) => name === 'level') + 1,
);
export type FlatDecisionRow = Record<DecisionColumn, string | number | boolean | null>;

/** The flat form of a row: features by name, the served action, shadow proposals (JSON), the outcomes. */
export function flatten(row: DecisionRow): FlatDecisionRow {
  const c = row.context;
  const recent = Object.fromEntries(
    c.outcomes.flatMap((o, i) => [
      [`success_${i + 1}`, successRate(o)],
      [`sample_${i + 1}`, o.sample],
    ]),
  );
  return {
    subject: row.subject,
    week: c.week,
    exercise: c.exercise,
    bodyweight_kg: c.bodyweightKg,
    height_cm: c.heightCm,
    age: c.age,
    sex: c.sex,
    goal_weight_kg: c.goalWeightKg,
    training_weeks: c.trainingWeeks,
    ...(recent as Record<`success_${1 | 2 | 3 | 4}` | `sample_${1 | 2 | 3 | 4}`, number | null>),
    rpe_mean: c.rpeMean,
    rpe_change: c.rpeChange,
    e1rm_slope_4: c.e1rmSlope4,
    e1rm_slope_8: c.e1rmSlope8,
    weeks_since_pr: c.weeksSincePr,
    plateau: c.plateau,
    multiplier_in_force: c.current.multiplier,
    rep_delta_in_force: c.current.repDelta,
    exercise_policy: c.exercisePolicy,
    volume_kg: c.volumeKg,
    sessions_per_week: c.sessionsPerWeek,
    helpful_share: c.helpfulShare,
    strength_kg: c.strengthKg,
    prescribed_kg: c.prescribedKg,
    level: c.level,
    served_policy: row.served?.policy ?? null,
    served_source: row.served?.source ?? null,
    served_multiplier: row.served?.multiplier ?? null,
    served_rep_delta: row.served?.repDelta ?? null,
    propensity: row.served?.propensity ?? null,
    deload: row.deload,
    proposals: JSON.stringify(row.proposals),
    next_success_rate: row.nextSuccessRate,
    next_sample: row.nextSample,
    e1rm_change_4w: row.e1rmChange4w,
    trained_again: row.trainedAgain,
    strength_gain_4w: row.strengthGain4w,
  };
}
