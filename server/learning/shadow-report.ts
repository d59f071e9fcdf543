import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { adaptiveModifiers, policyProposals, sessions, sets, users } from '@/db/schema';
import { workingSet } from '@/server/analytics/working-sets';
import { plannedWeeksSql } from '@/server/deloads/deloads';
import { MIN_SAMPLE } from '@/server/modifiers/rules';
import type { ForecastMetrics } from './metrics';
import { SUCCESS_RATE } from './model';
import { listModels } from './models';
import type { GainMetrics } from './train';

/**
 * What a researcher sees of each model (`/models`, `npm run model:show`): its offline metrics, and how it does in
 * shadow — how often and how far its proposals differ from what was served, and, on the decisions where served
 * and proposed agree, its predicted success against the observed one, week by week (calibration on live data).
 * Aggregates over lifters who opted in to analytics only.
 */
export interface ShadowWeek {
  week: string;
  proposals: number;
  /** Proposals that differ from the served row (multiplier, rep delta, or a deload week or not). */
  disagreements: number;
  /** Mean |proposed − served| multiplier over all proposals. */
  meanGap: number | null;
  /** Agreeing decisions whose week was trained with recommendations (≥ 3 sets): the calibration sample. */
  observedCount: number;
  predicted: number | null;
  observed: number | null;
}

export interface ModelReport {
  version: number;
  createdAt: string;
  library: string;
  target: number;
  window: { from: string; to: string; validationFrom: string };
  rows: { train: number; validation: number };
  /** Success head and its baselines; the gain head (absent for models stored before it existed). */
  offline: { model: ForecastMetrics; baseRate: ForecastMetrics; lastWeek: ForecastMetrics; gain?: GainMetrics };
  shadow: ShadowWeek[];
}

/** The shadow record of one policy (`model@3`), by week. */
export async function shadowWeeks(db: Db, policy: string): Promise<ShadowWeek[]> {
  // Aliases unique in the outer query: drizzle names a subquery's computed fields by alias alone.
  const week = sql<string>`date_trunc('week', ${sessions.date})::date`.as('outcome_week');
  const recommended = sql`${sets.recWeight} is not null and ${sets.recReps} is not null`;
  const outcomes = db
    .select({
      userId: sets.userId,
      exercise: sets.exercise,
      weekStart: week,
      sample: sql<number>`count(*) filter (where ${recommended})`.as('outcome_sample'),
      successes: sql<number>`count(*) filter (where ${recommended} and ${sets.actualReps} >= ${sets.recReps}
                                              and ${sets.actualWeight} >= ${sets.recWeight})`.as('outcome_successes'),
    })
    .from(sessions)
    .innerJoin(sets, and(eq(sets.userId, sessions.userId), eq(sets.sessionId, sessions.id)))
    .innerJoin(users, and(eq(users.id, sessions.userId), eq(users.analyticsOptIn, true)))
    .where(workingSet)
    .groupBy(sets.userId, sets.exercise, week)
    .as('o');
  const p = policyProposals;
  const s = adaptiveModifiers;
  // A deload proposal agrees with a served week that was a planned deload of the exercise, and only with one.
  const served = sql`exists (select 1 from (${plannedWeeksSql(sql`select ${p.userId}`, sql`${p.weekStart}`, sql`${p.weekStart}`)}) d
    where d.week_start = ${p.weekStart} and (d.exercise is null or d.exercise = ${p.exercise}))`;
  const agree = sql`${s.multiplier} = ${p.multiplier} and ${s.repDelta} = ${p.repDelta} and ${p.deload} = ${served}`;
  const observedAgree = sql`${agree} and ${outcomes.sample} >= ${MIN_SAMPLE}`;
  const rows = await db
    .select({
      week: p.weekStart,
      proposals: sql<number>`count(*)::int`,
      disagreements: sql<number>`count(*) filter (where not (${agree}))::int`,
      meanGap: sql<number | null>`avg(abs(${p.multiplier} - ${s.multiplier}))::float8`,
      observedCount: sql<number>`count(*) filter (where ${observedAgree})::int`,
      predicted: sql<number | null>`avg(${p.pSuccess}) filter (where ${observedAgree})::float8`,
      observed: sql<number | null>`avg(case when ${outcomes.successes}::float8 / ${outcomes.sample} >= ${SUCCESS_RATE}
                                            then 1 else 0 end) filter (where ${observedAgree})::float8`,
    })
    .from(p)
    .innerJoin(users, and(eq(users.id, p.userId), eq(users.analyticsOptIn, true)))
    .innerJoin(
      s,
      and(eq(s.userId, p.userId), eq(s.exercise, p.exercise), eq(s.weekStart, p.weekStart), eq(s.source, 'auto')),
    )
    .leftJoin(
      outcomes,
      and(eq(outcomes.userId, p.userId), eq(outcomes.exercise, p.exercise), eq(outcomes.weekStart, p.weekStart)),
    )
    .where(eq(p.policy, policy))
    .groupBy(p.weekStart)
    .orderBy(asc(p.weekStart));
  return rows;
}

export async function modelReports(db: Db): Promise<ModelReport[]> {
  const all = await listModels(db);
  return Promise.all(
    all.map(async (m) => ({
      version: m.version,
      createdAt: m.createdAt.toISOString(),
      library: m.library,
      target: m.target,
      window: { from: m.trainedFrom, to: m.trainedTo, validationFrom: m.validationFrom },
      rows: { train: m.trainRows, validation: m.validationRows },
      offline: m.metrics as unknown as ModelReport['offline'],
      shadow: await shadowWeeks(db, `model@${m.version}`),
    })),
  );
}
