import { and, asc, eq, gt, min, ne, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { adaptiveModifiers, jobRuns, sessions, users } from '@/db/schema';
import { openRun, updateRun } from '@/server/jobs/job-runs';
import {
  type DecisionContext,
  decisionContext,
  indexHistory,
  LOOKBACK_WEEKS,
  trainedBefore,
} from '@/server/learning/features';
import { loadHistories } from '@/server/learning/history';
import { addDays, isoWeekStart } from '@/server/time/calendar';
import { modifierBounds } from './bounds';
import { type Action, type Bounds, type Decision, RULE_VERSION } from './rules';
import { servingPolicy } from './serving';

/**
 * The weekly modifier job for one ended ISO week W: for each user × exercise trained in W, decide from the
 * success rates of W and W − 1 and append an `auto` row for W + 1. Users are processed in id order, a batch
 * per transaction that also advances the run's cursor in `job_runs`, so a run cut short (time budget, crash)
 * resumes where it stopped, and — rows being unique per (user, exercise, week, auto) and inserted with
 * ON CONFLICT DO NOTHING — re-running a week never writes a second row.
 */
export const MODIFIER_JOB = 'modifiers';
/** Rows per INSERT (12 parameters each), well under PostgreSQL's 65,535-parameter limit. */
const INSERT_CHUNK = 2000;

export interface ModifierJobOptions {
  batchSize?: number;
  /** Stop after the batch that crosses this budget (at least one batch always runs). */
  timeBudgetMs?: number;
  bounds?: Bounds;
  onProgress?: (done: number, total: number) => void;
  onDecision?: OnDecision;
}

export interface ModifierWeekResult {
  week: string;
  status: 'done' | 'running';
  /** True when the week had already been completed: nothing was read or written. */
  alreadyDone: boolean;
  users: number;
  rows: number;
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
export type OnDecision = (context: DecisionContext, decision: Decision, policy: string) => void;

/**
 * Decides the week after `week` for these users: each exercise trained in `week` gets its context from the
 * feature pipeline (the history before the decided week) and the serving policy's decision.
 */
async function processBatch(db: Db, userIds: string[], week: string, bounds: Bounds, onDecision?: OnDecision) {
  const next = addDays(week, 7);
  const histories = await loadHistories(db, userIds, addDays(next, -7 * LOOKBACK_WEEKS), week);
  const actions = noActions();
  const values = [...histories.values()].flatMap((history) => {
    const index = indexHistory(history);
    const serving = servingPolicy(history.userId);
    return trainedBefore(index, next).map((exercise) => {
      const context = decisionContext(index, exercise, next);
      const d = serving.decide({ ...context, bounds });
      onDecision?.(context, d, serving.id);
      actions[d.action] += 1;
      return {
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
        source: 'auto' as const,
      };
    });
  });
  let written = 0;
  // PostgreSQL takes at most 65,535 parameters per statement: a batch of users can decide far more rows.
  for (let i = 0; i < values.length; i += INSERT_CHUNK) {
    const inserted = await db
      .insert(adaptiveModifiers)
      .values(values.slice(i, i + INSERT_CHUNK))
      .onConflictDoNothing({
        target: [adaptiveModifiers.userId, adaptiveModifiers.exercise, adaptiveModifiers.weekStart],
        // The partial unique index's predicate, as the index states it.
        where: sql`${sql.identifier(adaptiveModifiers.source.name)} = 'auto'`,
      })
      .returning({ id: adaptiveModifiers.id });
    written += inserted.length;
  }
  return { rows: written, actions };
}

export async function runModifierWeek(
  db: Db,
  weekInput: string,
  opts: ModifierJobOptions = {},
): Promise<ModifierWeekResult> {
  const week = isoWeekStart(weekInput);
  const started = Date.now();
  const bounds = opts.bounds ?? modifierBounds();
  const batchSize = opts.batchSize ?? 500;
  const run = await openRun(db, MODIFIER_JOB, week);
  const stats = (run.stats ?? {}) as { users?: number; rows?: number; actions?: Record<Action, number> };
  const totals = {
    users: stats.users ?? 0,
    rows: stats.rows ?? 0,
    actions: { ...noActions(), ...stats.actions },
  };
  if (run.status === 'done') return { week, status: 'done', alreadyDone: true, ...totals, rows: 0, users: 0 };

  const totalUsers = await db.$count(users);
  let cursor = run.cursor;
  opts.onProgress?.(totals.users, totalUsers);
  try {
    for (;;) {
      const batch = (
        await db
          .select({ id: users.id })
          .from(users)
          .where(cursor ? gt(users.id, cursor) : undefined)
          .orderBy(asc(users.id))
          .limit(batchSize)
      ).map((u) => u.id);
      if (batch.length === 0) {
        await updateRun(db, run.id, { status: 'done', stats: totals });
        return { week, status: 'done', alreadyDone: false, ...totals };
      }
      const last = batch.at(-1)!;
      await db.transaction(async (tx) => {
        const r = await processBatch(tx, batch, week, bounds, opts.onDecision);
        totals.users += batch.length;
        totals.rows += r.rows;
        for (const a of Object.keys(r.actions) as Action[]) totals.actions[a] += r.actions[a];
        await updateRun(tx, run.id, { cursor: last, stats: totals });
      });
      cursor = last;
      opts.onProgress?.(Math.min(totals.users, totalUsers), totalUsers);
      if (opts.timeBudgetMs !== undefined && Date.now() - started >= opts.timeBudgetMs) {
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
 * that just ended, within the time budget.
 */
export async function runDueModifierWeeks(
  db: Db,
  now: Date,
  opts: ModifierJobOptions = {},
): Promise<ModifierWeekResult[]> {
  const started = Date.now();
  const unfinished = await db
    .select({ period: jobRuns.period })
    .from(jobRuns)
    .where(and(eq(jobRuns.job, MODIFIER_JOB), ne(jobRuns.status, 'done')))
    .orderBy(asc(jobRuns.period));
  const weeks = [...new Set([...unfinished.map((u) => u.period), lastEndedWeek(now)])].sort();
  const results: ModifierWeekResult[] = [];
  for (const week of weeks) {
    const budget =
      opts.timeBudgetMs === undefined ? undefined : Math.max(0, opts.timeBudgetMs - (Date.now() - started));
    const r = await runModifierWeek(db, week, { ...opts, timeBudgetMs: budget });
    results.push(r);
    if (r.status !== 'done') break;
  }
  return results;
}
