import { and, asc, eq, gt, min, ne, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { rowsSelect } from '@/db/rows-select';
import { adaptiveModifiers, deloadPlans, jobRuns, policyProposals, sessions, users } from '@/db/schema';
import { policyDeloadRow } from '@/server/deloads/deloads';
import { isPlannedDeload } from '@/server/deloads/plans';
import { enrollAll, type RunningArm, type RunningExperiment, runningExperiment } from '@/server/experiments/enrollment';
import { exploringPolicy } from '@/server/experiments/exploration';
import { openRun, updateRun } from '@/server/jobs/job-runs';
import { inPartition, type Partition, partitionLabel, WHOLE } from '@/server/jobs/partition';
import {
  type DecisionContext,
  decisionContext,
  indexHistory,
  LOOKBACK_WEEKS,
  trainedBefore,
} from '@/server/learning/features';
import { loadHistories } from '@/server/learning/history';
import { encodeContext } from '@/server/learning/stored-context';
import { addDays, isoWeekStart } from '@/server/time/calendar';
import { modifierBounds } from './bounds';
import { decideWithPlans, type ModifierPolicy } from './policies';
import { type Action, type Bounds, type Decision, RULE_VERSION } from './rules';
import { resolvePolicy, servingPolicyName, servingPolicyNames, shadowPolicyNames } from './serving';

/**
 * The weekly modifier job for one ended ISO week W: for each user × exercise trained in W, decide from the
 * success rates of W and W − 1 and append an `auto` row for W + 1. Users are processed in id order, a batch
 * per transaction that also advances the run's cursor in `job_runs`, so a run cut short (time budget, crash)
 * resumes where it stopped, and — rows being unique per (user, exercise, week, auto) and inserted with
 * ON CONFLICT DO NOTHING — re-running a week never writes a second row.
 */
const MODIFIER_JOB = 'modifiers';
/** Rows per INSERT: one JSON parameter of about a megabyte (db/rows-select.ts). */
const INSERT_CHUNK = 5000;

export interface ModifierJobOptions {
  batchSize?: number;
  /** Stop after the batch that crosses this budget (at least one batch always runs). */
  timeBudgetMs?: number;
  bounds?: Bounds;
  onProgress?: (done: number, total: number) => void;
  onDecision?: OnDecision;
  /** Shadow policies for this run (default: SHADOW_POLICIES). */
  shadows?: readonly string[];
  /** Only these lifters (server/jobs/partition.ts); each partition keeps its own cursor. Default: all. */
  partition?: Partition;
}

export interface ModifierWeekResult {
  week: string;
  status: 'done' | 'running';
  /** True when the week had already been completed: nothing was read or written. */
  alreadyDone: boolean;
  users: number;
  rows: number;
  /** Shadow proposals stored. */
  proposals: number;
  actions: Record<Action, number>;
}

const noActions = (): Record<Action, number> => ({
  increase: 0,
  decrease: 0,
  reduce_reps: 0,
  restore_reps: 0,
  hold: 0,
});

/** Called with every decision the job makes (tests compare the contexts with the training export's). */
type OnDecision = (context: DecisionContext, decision: Decision, policy: string) => void;

/**
 * The policies a batch decides and proposes with: each lifter's — their arm's when enrolled in an experiment,
 * exploring as the arm says — and the shadows.
 */
interface RunPolicies {
  serving: (userId: string) => ModifierPolicy;
  shadows: ModifierPolicy[];
}

async function runPolicies(
  db: Db,
  userIds: readonly string[],
  shadowNames: readonly string[],
  arms: ReadonlyMap<string, RunningArm>,
  salt: string,
): Promise<RunPolicies> {
  const byName = new Map<string, ModifierPolicy>();
  const names = [...userIds.map((id) => arms.get(id)?.policy ?? servingPolicyName(id)), ...shadowNames];
  for (const name of new Set(names)) byName.set(name, await resolvePolicy(db, name));
  return {
    serving: (userId) => {
      const arm = arms.get(userId);
      if (!arm) return byName.get(servingPolicyName(userId))!;
      return exploringPolicy(byName.get(arm.policy)!, arm.epsilon, salt);
    },
    shadows: shadowNames.map((name) => byName.get(name)!),
  };
}

/** Inserts in chunks of INSERT_CHUNK rows; the count written. */
async function insertChunked<T>(values: T[], insert: (chunk: T[]) => Promise<{ length: number }>): Promise<number> {
  let written = 0;
  for (let i = 0; i < values.length; i += INSERT_CHUNK)
    written += (await insert(values.slice(i, i + INSERT_CHUNK))).length;
  return written;
}

/**
 * Decides the week after `week` for these users: each exercise trained in `week` gets its context from the
 * feature pipeline (the history before the decided week), the serving policy's decision, and each shadow
 * policy's proposal (stored, not served).
 */
async function processBatch(
  db: Db,
  userIds: string[],
  week: string,
  bounds: Bounds,
  shadowNames: readonly string[],
  experiment: RunningExperiment | null,
  onDecision?: OnDecision,
) {
  const next = addDays(week, 7);
  // A running experiment's arms decide from its start week: the job enrolls the opted-in lifters it reaches.
  const arms = experiment && next >= experiment.startWeek ? await enrollAll(db, experiment, userIds, next) : new Map();
  const [histories, policies] = await Promise.all([
    loadHistories(db, userIds, addDays(next, -7 * LOOKBACK_WEEKS), week, { strength: 'latest' }),
    runPolicies(db, userIds, shadowNames, arms, experiment?.salt ?? ''),
  ]);
  const actions = noActions();
  const values: (typeof adaptiveModifiers.$inferInsert)[] = [];
  const proposals: (typeof policyProposals.$inferInsert)[] = [];
  const deloads: (typeof deloadPlans.$inferInsert)[] = [];
  for (const history of histories.values()) {
    const index = indexHistory(history);
    const serving = policies.serving(history.userId);
    for (const exercise of trainedBefore(index, next)) {
      const context = { ...decisionContext(index, exercise, next), bounds };
      const d = decideWithPlans(serving, context);
      // A deload the policy proposes is planned like a coach's, unless one is planned for that week already.
      if (d.deload && !isPlannedDeload(history.plannedDeloads, exercise, next))
        deloads.push(policyDeloadRow(history.userId, exercise, next, d.deload, serving.id));
      onDecision?.(context, d, serving.id);
      actions[d.action] += 1;
      values.push({
        userId: history.userId,
        exercise,
        weekStart: next,
        multiplier: d.multiplier,
        repDelta: d.repDelta,
        previousMultiplier: context.current.multiplier,
        previousRepDelta: context.current.repDelta,
        successRate: d.successRate,
        sampleSize: d.sample,
        reason: d.reason,
        ruleVersion: RULE_VERSION,
        policy: serving.id,
        propensity: d.propensity ?? 1,
        source: 'auto',
        context: (d.propensity ?? 1) < 1 ? encodeContext(context) : null,
      });
      for (const shadow of policies.shadows) {
        const p = decideWithPlans(shadow, context);
        proposals.push({
          userId: history.userId,
          exercise,
          weekStart: next,
          policy: shadow.id,
          multiplier: p.multiplier,
          repDelta: p.repDelta,
          pSuccess: p.pSuccess ?? null,
          deload: Boolean(p.deload),
        });
      }
    }
  }
  const written = await insertChunked(values, (chunk) =>
    db
      .insert(adaptiveModifiers)
      .select(rowsSelect(adaptiveModifiers, chunk))
      .onConflictDoNothing({
        target: [adaptiveModifiers.userId, adaptiveModifiers.exercise, adaptiveModifiers.weekStart],
        // The partial unique index's predicate, as the index states it.
        where: sql`${sql.identifier(adaptiveModifiers.source.name)} = 'auto'`,
      })
      .returning({ id: adaptiveModifiers.id }),
  );
  await insertChunked(deloads, (chunk) => db.insert(deloadPlans).values(chunk).returning({ id: deloadPlans.id }));
  const proposed = await insertChunked(proposals, (chunk) =>
    db
      .insert(policyProposals)
      .select(rowsSelect(policyProposals, chunk))
      .onConflictDoNothing()
      .returning({ policy: policyProposals.policy }),
  );
  return { rows: written, proposals: proposed, actions };
}

export async function runModifierWeek(
  db: Db,
  weekInput: string,
  opts: ModifierJobOptions = {},
): Promise<ModifierWeekResult> {
  const week = isoWeekStart(weekInput);
  const started = performance.now();
  const bounds = opts.bounds ?? modifierBounds();
  const batchSize = opts.batchSize ?? 500;
  const shadows = opts.shadows ?? shadowPolicyNames();
  // A model that cannot serve (unknown, stale) stops the run before it opens, with the reason.
  const experiment = await runningExperiment(db);
  const armPolicies = experiment?.arms.map((a) => a.policy) ?? [];
  for (const name of new Set([...servingPolicyNames(), ...armPolicies, ...shadows])) await resolvePolicy(db, name);
  const partition = opts.partition ?? WHOLE;
  const run = await openRun(db, MODIFIER_JOB, week, partition);
  const stats = (run.stats ?? {}) as Partial<Pick<ModifierWeekResult, 'users' | 'rows' | 'proposals' | 'actions'>>;
  const totals = {
    users: stats.users ?? 0,
    rows: stats.rows ?? 0,
    proposals: stats.proposals ?? 0,
    actions: { ...noActions(), ...stats.actions },
  };
  if (run.status === 'done') {
    return { week, status: 'done', alreadyDone: true, ...totals, rows: 0, users: 0, proposals: 0 };
  }

  const totalUsers = await db.$count(users, inPartition(users.id, partition));
  let cursor = run.cursor;
  opts.onProgress?.(totals.users, totalUsers);
  try {
    for (;;) {
      const batch = (
        await db
          .select({ id: users.id })
          .from(users)
          .where(and(cursor ? gt(users.id, cursor) : undefined, inPartition(users.id, partition)))
          .orderBy(asc(users.id))
          .limit(batchSize)
      ).map((u) => u.id);
      if (batch.length === 0) {
        await updateRun(db, run.id, { status: 'done', stats: totals });
        return { week, status: 'done', alreadyDone: false, ...totals };
      }
      const last = batch.at(-1)!;
      await db.transaction(async (tx) => {
        const r = await processBatch(tx, batch, week, bounds, shadows, experiment, opts.onDecision);
        totals.users += batch.length;
        totals.rows += r.rows;
        totals.proposals += r.proposals;
        for (const a of Object.keys(r.actions) as Action[]) totals.actions[a] += r.actions[a];
        await updateRun(tx, run.id, { cursor: last, stats: totals });
      });
      cursor = last;
      opts.onProgress?.(Math.min(totals.users, totalUsers), totalUsers);
      if (opts.timeBudgetMs !== undefined && performance.now() - started >= opts.timeBudgetMs) {
        return { week, status: 'running', alreadyDone: false, ...totals };
      }
    }
  } catch (err) {
    await updateRun(db, run.id, { error: (err as Error).message });
    throw err;
  }
}

/** The ISO week that ended most recently before `now` (UTC). */
export function lastEndedWeek(now: Date): string {
  return addDays(isoWeekStart(now.toISOString().slice(0, 10)), -7);
}

/** Every week from the first session's week to the last ended one, in order. */
export async function backfillWeeks(db: Db, now: Date): Promise<string[]> {
  const [first] = await db.select({ d: min(sessions.date) }).from(sessions);
  if (!first?.d) return [];
  const out: string[] = [];
  for (let w = isoWeekStart(first.d); w <= lastEndedWeek(now); w = addDays(w, 7)) out.push(w);
  return out;
}

/**
 * What the cron route does: finish any week a previous call left unfinished (oldest first), then the week
 * that just ended, within the time budget — for its partition of the lifters.
 */
export async function runDueModifierWeeks(
  db: Db,
  now: Date,
  opts: ModifierJobOptions = {},
): Promise<ModifierWeekResult[]> {
  const started = performance.now();
  const unfinished = await db
    .select({ period: jobRuns.period })
    .from(jobRuns)
    .where(
      and(
        eq(jobRuns.job, MODIFIER_JOB),
        eq(jobRuns.partition, partitionLabel(opts.partition ?? WHOLE)),
        ne(jobRuns.status, 'done'),
      ),
    )
    .orderBy(asc(jobRuns.period));
  const weeks = [...new Set([...unfinished.map((u) => u.period), lastEndedWeek(now)])].sort();
  const results: ModifierWeekResult[] = [];
  for (const week of weeks) {
    const budget =
      opts.timeBudgetMs === undefined ? undefined : Math.max(0, opts.timeBudgetMs - (performance.now() - started));
    const r = await runModifierWeek(db, week, { ...opts, timeBudgetMs: budget });
    results.push(r);
    if (r.status !== 'done') break;
  }
  return results;
}
