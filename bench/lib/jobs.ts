import { sql as dsql } from 'drizzle-orm';
import { type Db, rows } from '../../db/client';
import { progressReporter } from '../../scripts/lib/progress';
import { runAnalyticsJob } from '../../server/analytics/job';
import { trainFromDatabase } from '../../server/learning/train-from-db';
import { runModifierWeek } from '../../server/modifiers/job';
import { addDays } from '../../server/time/calendar';
import { wallClock } from '../../server/time/clock';
import { log, seconds } from './config';

/** The weekly jobs and the learning loop at the bench's sizes, timed. */

export interface JobTiming {
  users: number;
  job: 'modifiers' | 'analytics';
  /** Partitions run side by side (`--partition k/n` workers); 1: one call over everyone. */
  partitions: number;
  seconds: number;
  setsRead: number;
  rowsWritten: number;
  setsPerSecond: number;
}

async function count(db: Db, query: ReturnType<typeof dsql>): Promise<number> {
  const [r] = await rows<{ n: number }>(db, query);
  return Number(r?.n ?? 0);
}

/** Both weekly jobs over everything in the database now, from a clean slate, timed. */
export async function timeJobs(db: Db, users: number, week: string, problems: string[]): Promise<JobTiming[]> {
  const next = addDays(week, 7);
  await db.execute(dsql`delete from job_runs where job in ('modifiers', 'analytics')`);
  await db.execute(dsql`delete from adaptive_modifiers where week_start = ${next}::date and source = 'auto'`);

  const twoWeeksOfSets = await count(
    db,
    dsql`select count(*)::int as n from sets st join sessions se on se.user_id = st.user_id and se.id = st.session_id
         where se.date >= ${addDays(week, -7)}::date and se.date < ${next}::date`,
  );
  let t = performance.now();
  const progress = progressReporter(`  modifier job, ${users} users`);
  const mod = await runModifierWeek(db, week, { batchSize: 500, onProgress: progress.update });
  progress.stop();
  const modSeconds = seconds(performance.now() - t);
  if (mod.status !== 'done' || mod.rows === 0)
    problems.push(`modifier job at ${users} users: ${mod.status}, ${mod.rows} rows`);

  // The same week again, as two workers on two partitions of the lifters, side by side (each its own connection).
  await db.execute(dsql`delete from job_runs where job = 'modifiers'`);
  await db.execute(dsql`delete from adaptive_modifiers where week_start = ${next}::date and source = 'auto'`);
  t = performance.now();
  const halves = await Promise.all(
    [0, 1].map((index) => runModifierWeek(db, week, { batchSize: 500, partition: { index, count: 2 } })),
  );
  const splitSeconds = seconds(performance.now() - t);
  const splitRows = halves.reduce((n, h) => n + h.rows, 0);
  if (splitRows !== mod.rows) problems.push(`two partitions wrote ${splitRows} rows, one run ${mod.rows}`);
  log(`  modifier job: ${modSeconds.toFixed(1)} s in one call, ${splitSeconds.toFixed(1)} s in two partitions`);

  const allSets = await count(db, dsql`select count(*)::int as n from sets`);
  t = performance.now();
  const aprogress = progressReporter(`  analytics job, ${users} users`);
  const ana = await runAnalyticsJob(db, { full: true, batchSize: 500, onProgress: aprogress.update });
  aprogress.stop();
  const anaSeconds = seconds(performance.now() - t);
  if (ana.remaining !== 0 || ana.weeks === 0)
    problems.push(`analytics job at ${users} users: ${ana.remaining} weeks left`);

  return [
    {
      users,
      job: 'modifiers',
      partitions: 1,
      seconds: modSeconds,
      setsRead: twoWeeksOfSets,
      rowsWritten: mod.rows,
      setsPerSecond: twoWeeksOfSets / modSeconds,
    },
    {
      users,
      job: 'modifiers',
      partitions: 2,
      seconds: splitSeconds,
      setsRead: twoWeeksOfSets,
      rowsWritten: splitRows,
      setsPerSecond: twoWeeksOfSets / splitSeconds,
    },
    {
      users,
      job: 'analytics',
      partitions: 1,
      seconds: anaSeconds,
      setsRead: allSets,
      rowsWritten: ana.exerciseRows + ana.userRows + ana.strengthRows,
      setsPerSecond: allSets / anaSeconds,
    },
  ];
}

export type LearningTiming = Awaited<ReturnType<typeof timeLearning>>;

/**
 * The learning loop at full size: the feature pipeline and training over every lifter, then the weekly job with
 * that model in shadow against the job without (the same week, from a clean slate each time).
 */
export async function timeLearning(db: Db, week: string, problems: string[]) {
  log('learning: features + training over all lifters, then the modifier job with one shadow model');
  let t = performance.now();
  const trained = await trainFromDatabase(db, { now: wallClock(), seed: 1, target: 0.8, epochs: 10 });
  const learning = {
    trainSeconds: seconds(performance.now() - t),
    decisionRows: trained.result.rows.train + trained.result.rows.validation,
    logLoss: trained.result.metrics.model.logLoss,
    ece: trained.result.metrics.model.ece,
    shadowSeconds: 0,
    plainSeconds: 0,
  };
  const fresh = async () => {
    await db.execute(dsql`delete from job_runs where job = 'modifiers'`);
    await db.execute(
      dsql`delete from adaptive_modifiers where week_start = ${addDays(week, 7)}::date and source = 'auto'`,
    );
    await db.execute(dsql`delete from policy_proposals`);
  };
  await fresh();
  t = performance.now();
  await runModifierWeek(db, week, { batchSize: 500, shadows: [] });
  learning.plainSeconds = seconds(performance.now() - t);
  await fresh();
  t = performance.now();
  const shadowRun = await runModifierWeek(db, week, { batchSize: 500, shadows: [`model@${trained.version}`] });
  learning.shadowSeconds = seconds(performance.now() - t);
  if (shadowRun.proposals === 0) problems.push('the shadow run stored no proposals');
  log(
    `  trained on ${learning.decisionRows} decision rows in ${learning.trainSeconds.toFixed(1)} s ` +
      `(${Math.round(learning.decisionRows / learning.trainSeconds)} rows/s; log loss ${learning.logLoss.toFixed(3)}, ECE ${learning.ece.toFixed(3)}); ` +
      `modifier job ${learning.plainSeconds.toFixed(1)} s, with the model in shadow ${learning.shadowSeconds.toFixed(1)} s`,
  );
  return learning;
}
