import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { experimentAssignments, experimentExposures, experiments, users } from '@/db/schema';
import type { ExperimentResponse, MetricKey } from '@/server/contracts/experiments';
import { type LifterHistory, loadHistories } from '@/server/learning/history';
import { lastEndedWeek } from '@/server/modifiers/job';
import { addDays } from '@/server/time/calendar';
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
import { getExperiment } from './experiments';
import { type OffPolicyReport, offPolicyFromHistories } from './off-policy-report';
import { analysisUnit, lifterOutcome, PRE_WEEKS, preWindow } from './outcomes';

/**
 * An experiment's report, from the database: who was enrolled and exposed, each lifter's outcomes over the
 * experiment's complete weeks (loaded through the feature pipeline's SQL, a batch of lifters at a time), the
 * analysis, the primary metric as it stood at every weekly look, the planning calculator, and the off-policy
 * estimates from explored decisions.
 */

export interface SeriesPoint {
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

const BATCH = 1000;

interface Enrolled {
  userId: string;
  arm: number;
  enrolledWeek: string;
  exposed: boolean;
}

async function enrolledLifters(db: Db, experimentId: string, arms: readonly string[]): Promise<Enrolled[]> {
  const exposed = db
    .selectDistinct({ userId: experimentExposures.userId })
    .from(experimentExposures)
    .where(eq(experimentExposures.experimentId, experimentId))
    .as('exposed');
  // A lifter who has since withdrawn consent to analytics leaves the analysis (their rows stay).
  const rows = await db
    .select({
      userId: experimentAssignments.userId,
      arm: experimentAssignments.arm,
      enrolledWeek: experimentAssignments.enrolledWeek,
      exposed: sql<boolean>`${exposed.userId} is not null`,
    })
    .from(experimentAssignments)
    .innerJoin(users, and(eq(users.id, experimentAssignments.userId), eq(users.analyticsOptIn, true)))
    .leftJoin(exposed, eq(exposed.userId, experimentAssignments.userId))
    .where(eq(experimentAssignments.experimentId, experimentId))
    .orderBy(asc(experimentAssignments.userId));
  return rows
    .map((r) => ({ ...r, arm: arms.indexOf(r.arm) }))
    .filter((r) => r.arm >= 0)
    .map((r) => ({ ...r, exposed: Boolean(r.exposed) }));
}

/** Opted-in lifters: who a draft would enroll, for its planning figures. */
async function eligibleIds(db: Db): Promise<string[]> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.analyticsOptIn, true), eq(users.role, 'lifter')))
    .orderBy(asc(users.id));
  return rows.map((r) => r.id);
}

/** A metric's value per lifter for the planning calculator: ratios per lifter, where the metric is one. */
function planningValue(metric: MetricKey) {
  const def = METRICS[metric];
  if (def.value) return def.value;
  const ratio = def.ratio!;
  return (o: Parameters<typeof ratio>[0]) => {
    const [m, d] = ratio(o);
    return d > 0 ? m / d : null;
  };
}

export interface ReportOptions {
  now: Date;
  /** Minimal detectable effect for the planning calculator, in the primary metric's unit. */
  mde?: number;
  power?: number;
  /** Called after each batch of lifters is loaded (the CLI shows it). */
  onProgress?: (done: number, total: number) => void;
}

export async function experimentReport(db: Db, key: string, opts: ReportOptions): Promise<ExperimentReport> {
  const experiment = await getExperiment(db, key);
  const arms = experiment.arms.map((a) => ({ name: a.name, policy: a.policy, weight: a.weight }));
  const metric = experiment.primary_metric as MetricKey;
  const guardrails = experiment.guardrails as MetricKey[];
  // A draft is planned as if it started next Monday.
  const startWeek = experiment.start_week ?? addDays(lastEndedWeek(opts.now), 14);
  const lastWeek = experiment.status === 'stopped' ? experiment.end_week! : lastEndedWeek(opts.now);
  const weeks =
    lastWeek >= startWeek ? Math.round((Date.parse(lastWeek) - Date.parse(startWeek)) / 604_800_000) + 1 : 0;
  const looks = Array.from({ length: weeks }, (_, i) => addDays(startWeek, 7 * i));

  const enrolled =
    experiment.status === 'draft'
      ? []
      : await enrolledLifters(
          db,
          (await experimentId(db, key))!,
          arms.map((a) => a.name),
        );
  const planningIds = enrolled.length ? enrolled.map((e) => e.userId) : await eligibleIds(db);
  const value = planningValue(metric);
  const recent: (number | null)[] = [];
  const earlier: (number | null)[] = [];
  const unitsAt = looks.map(() => [] as AnalysisUnit[]);
  const histories: LifterHistory[] = [];
  const byId = new Map(enrolled.map((e) => [e.userId, e]));

  for (let i = 0; i < planningIds.length; i += BATCH) {
    const ids = planningIds.slice(i, i + BATCH);
    const loaded = await loadHistories(
      db,
      ids,
      addDays(startWeek, -7 * 2 * PRE_WEEKS),
      weeks ? lastWeek : addDays(startWeek, -7),
    );
    for (const id of ids) {
      const history = loaded.get(id);
      if (!history) continue;
      const e = byId.get(id);
      const from = e && e.enrolledWeek > startWeek ? e.enrolledWeek : startWeek;
      recent.push(value(lifterOutcome(history, preWindow({ from }))));
      earlier.push(value(lifterOutcome(history, preWindow({ from }, 2))));
      if (!e) continue;
      looks.forEach((week, l) => {
        if (week >= from) unitsAt[l]!.push(analysisUnit(history, e.arm, e.exposed, { from, to: week }));
      });
      if (history.modifiers.some((m) => m.weekStart >= startWeek && (m.propensity ?? 1) < 1)) {
        histories.push(history);
      }
    }
    opts.onProgress?.(Math.min(i + BATCH, planningIds.length), planningIds.length);
  }

  const finalUnits: AnalysisUnit[] = unitsAt.at(-1) ?? enrolled.map((e) => placeholderUnit(e));
  const tuning = experiment.planned_lifters_per_arm ? experiment.planned_lifters_per_arm * arms.length : undefined;
  const analysis = analyse({
    arms,
    units: finalUnits,
    primary: metric,
    guardrails,
    tuning,
    enrolledOnly: weeks === 0,
  });
  const planning = plan(metric, recent, earlier, { mde: opts.mde, power: opts.power });
  const perArm = Math.min(...analysis.arms.map((a) => a.analysed));
  return {
    experiment,
    asOf: opts.now,
    window: weeks ? { startWeek, lastWeek, weeks } : null,
    analysis,
    series: looks.map((week, l) => ({
      week,
      primary: metricResult(metric, arms, analysedUnits(unitsAt[l]!).units, { tuning }),
    })),
    planning: {
      ...planning,
      powerNow:
        perArm >= 2 && planning.variance > 0 && planning.mde > 0
          ? predictedPower(planning.mde, planning.varianceCuped ?? planning.variance, perArm)
          : null,
    },
    offPolicy: histories.length
      ? await offPolicyFromHistories(db, histories, { startWeek, lastWeek, arms: experiment.arms })
      : null,
  };
}

/** Before the first complete week a lifter still counts as assigned (and exposed), with no outcome yet. */
function placeholderUnit(e: Enrolled): AnalysisUnit {
  const none = {
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

async function experimentId(db: Db, key: string): Promise<string | undefined> {
  const [row] = await db.select({ id: experiments.id }).from(experiments).where(eq(experiments.key, key));
  return row?.id;
}
