import { and, asc, between, eq, lt } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { adaptiveModifiers, experimentAssignments } from '@/db/schema';
import type { ExperimentResponse, MetricKey } from '@/server/contracts/experiments';
import { type LifterHistory, loadHistories } from '@/server/learning/history';
import { lastEndedWeek } from '@/server/modifiers/job';
import { addDays, daysBetween } from '@/server/time/calendar';
import {
  type Analysis,
  type AnalysisUnit,
  analyse,
  analysedUnits,
  METRICS,
  type MetricResult,
  metricResult,
  type Plan,
  plan,
  predictedPower,
} from './analysis';
import { getExperimentWithId } from './experiments';
import { type OffPolicyReport, offPolicyFromHistories } from './off-policy-report';
import { outcomeWindows, PRE, PRE_BEFORE } from './outcome-rows';
import { SEQUENTIAL_TUNING } from './statistics';

/**
 * An experiment's report, from the database: who was enrolled and exposed, each lifter's outcomes over every
 * weekly look and the pre-periods (one statement, `outcome-rows.ts`), the analysis, the primary metric as it
 * stood at every look, the planning calculator, and the off-policy estimates from the explored decisions (those
 * lifters' histories through the feature pipeline).
 */

interface SeriesPoint {
  week: string;
  primary: MetricResult;
}

export interface ExperimentReport {
  experiment: ExperimentResponse;
  asOf: Date;
  /** The complete weeks analysed, Mondays; null before the first is over. */
  window: { startWeek: string; lastWeek: string; weeks: number } | null;
  analysis: Analysis;
  series: SeriesPoint[];
  planning: Plan & { powerNow: number | null };
  offPolicy: OffPolicyReport | null;
}

/** Lifters whose explored decisions the off-policy estimates read, loaded a batch at a time. */
const BATCH = 1000;

/** A metric's value per lifter for the planning calculator: ratios per lifter, where the metric is one. */
function planningValue(metric: MetricKey) {
  const def = METRICS[metric];
  const { value, measured } = def;
  // The variance of lifters who train: an account that logged nothing is no guide to what an arm does.
  if (value && measured) return (o: Parameters<typeof value>[0]) => (measured(o) ? value(o) : null);
  if (value) return value;
  const ratio = def.ratio!;
  return (o: Parameters<typeof ratio>[0]) => {
    const [m, d] = ratio(o);
    return d > 0 ? m / d : null;
  };
}

/** Enrolled lifters with decisions of an exploring arm in the window: what off-policy evaluation reads. */
async function exploredLifters(db: Db, experimentId: string, startWeek: string, lastWeek: string): Promise<string[]> {
  const a = experimentAssignments;
  const m = adaptiveModifiers;
  const found = await db
    .selectDistinct({ userId: m.userId })
    .from(m)
    .innerJoin(a, and(eq(a.userId, m.userId), eq(a.experimentId, experimentId)))
    .where(and(lt(m.propensity, 1), between(m.weekStart, startWeek, lastWeek)))
    .orderBy(asc(m.userId));
  return found.map((r) => r.userId);
}

export interface ReportOptions {
  now: Date;
  /** Minimal detectable effect for the planning calculator, in the primary metric's unit. */
  mde?: number;
  power?: number;
  /** Cap continuous outcomes at this quantile and its complement (default 1 %; 0: no cap). */
  winsor?: number;
  /** Called once every lifter's outcomes are read, then after each batch of explored histories (the CLI shows it). */
  onProgress?: (done: number, total: number) => void;
}

export async function experimentReport(db: Db, key: string, opts: ReportOptions): Promise<ExperimentReport> {
  const { id: rowId, experiment } = await getExperimentWithId(db, key);
  const arms = experiment.arms.map((a) => ({ name: a.name, policy: a.policy, weight: a.weight }));
  const metric = experiment.primary_metric as MetricKey;
  const guardrails = experiment.guardrails as MetricKey[];
  // A draft is planned as if it started next Monday.
  const startWeek = experiment.start_week ?? addDays(lastEndedWeek(opts.now), 14);
  const lastWeek = experiment.status === 'stopped' ? experiment.end_week! : lastEndedWeek(opts.now);
  const weeks = lastWeek >= startWeek ? daysBetween(startWeek, lastWeek) / 7 + 1 : 0;
  const looks = Array.from({ length: weeks }, (_, i) => addDays(startWeek, 7 * i));

  const id = experiment.status === 'draft' ? undefined : rowId;
  const windows = (
    await outcomeWindows(
      db,
      id ? { kind: 'enrolled', experimentId: id, arms: arms.map((a) => a.name) } : { kind: 'eligible' },
      startWeek,
      weeks,
      { e1rm: metric === 'e1rm_progression' },
    )
  ).filter((w) => id === undefined || w.arm >= 0);
  const enrolled = id ? windows : [];
  const value = planningValue(metric);
  const recent = windows.map((w) => value(w.outcomes.get(PRE)!));
  const earlier = windows.map((w) => value(w.outcomes.get(PRE_BEFORE)!));
  const unitsAt = looks.map((_, k) =>
    enrolled.flatMap((w) => {
      const post = w.outcomes.get(k);
      return post ? [{ arm: w.arm, exposed: w.exposed, post, pre: w.outcomes.get(PRE)!, traits: w.traits }] : [];
    }),
  );
  opts.onProgress?.(windows.length, windows.length);

  const histories: LifterHistory[] = [];
  const explored = id && weeks ? await exploredLifters(db, id, startWeek, lastWeek) : [];
  for (let i = 0; i < explored.length; i += BATCH) {
    const loaded = await loadHistories(db, explored.slice(i, i + BATCH), null, lastWeek);
    histories.push(...loaded.values());
    opts.onProgress?.(Math.min(i + BATCH, explored.length), explored.length);
  }

  const finalUnits: AnalysisUnit[] = unitsAt.at(-1) ?? enrolled.map(placeholderUnit);
  const tuning = experiment.planned_lifters_per_arm ? experiment.planned_lifters_per_arm * arms.length : undefined;
  const analysis = analyse({
    arms,
    units: finalUnits,
    primary: metric,
    guardrails,
    tuning,
    winsor: opts.winsor,
    margins: experiment.margins,
    enrolledOnly: weeks === 0,
    // Those enrolled this week too: they have no complete week yet, so the metrics and the SRM check wait.
    enrolled,
  });
  const planning = plan(metric, recent, earlier, { mde: opts.mde, power: opts.power, arms: arms.length });
  const perArm = Math.min(...analysis.arms.map((a) => a.analysed));
  return {
    experiment,
    asOf: opts.now,
    window: weeks ? { startWeek, lastWeek, weeks } : null,
    analysis,
    series: looks.map((week, l) => ({
      week,
      primary: metricResult(metric, arms, analysedUnits(unitsAt[l]!).units, { tuning, winsor: analysis.winsor }),
    })),
    planning: {
      ...planning,
      powerNow:
        perArm >= 2 && planning.variance > 0 && planning.mde > 0
          ? predictedPower(planning.mde, planning.varianceCuped ?? planning.variance, perArm, {
              arms: arms.length,
              tuning: tuning ?? SEQUENTIAL_TUNING,
            })
          : null,
    },
    offPolicy: histories.length
      ? await offPolicyFromHistories(db, histories, { startWeek, lastWeek, arms: experiment.arms })
      : null,
  };
}

/** Before the first complete week a lifter still counts as assigned (and exposed), with no outcome yet. */
function placeholderUnit(e: { arm: number; exposed: boolean }): AnalysisUnit {
  const none = {
    strengthProgression: null,
    strengthMeasured: false,
    progression: null,
    sample: 0,
    successes: 0,
    sessions: 0,
    weeks: 0,
    answers: 0,
    notHelpful: 0,
    dropout: 0 as const,
    overrides: 0,
  };
  return { arm: e.arm, exposed: e.exposed, post: none, pre: none };
}
