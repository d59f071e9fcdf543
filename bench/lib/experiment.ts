import { sql as dsql } from 'drizzle-orm';
import { type Db, rows } from '../../db/client';
import { enrollAll, exposeEnrolled, runningExperiment } from '../../server/experiments/enrollment';
import { createExperiment, startExperiment } from '../../server/experiments/experiments';
import { experimentReport } from '../../server/experiments/report';
import { addDays } from '../../server/time/calendar';
import { wallClock } from '../../server/time/clock';
import { log, seconds } from './config';

/** Every lifter enrolled in a running experiment two weeks before `week`, and exposed every week since. */
export async function enrollEveryone(db: Db, week: string): Promise<void> {
  log('experiments: every lifter enrolled in a running experiment, three weeks exposed');
  const experimentStart = addDays(week, -14);
  await createExperiment(db, 'bench', {
    key: 'bench',
    hypothesis: 'The bench’s lifters, split in two.',
    arms: [
      { name: 'control', policy: 'rules', weight: 0.5, epsilon: 0 },
      { name: 'hold', policy: 'hold', weight: 0.5, epsilon: 0 },
    ],
    primary_metric: 'strength_progression',
    guardrails: ['success_rate', 'sessions_per_week', 'not_helpful_share', 'dropout', 'coach_overrides'],
  });
  await startExperiment(db, 'bench', new Date(`${addDays(experimentStart, -3)}T12:00:00Z`));
  const running = (await runningExperiment(db))!;
  const lifterIds = (await rows<{ id: string }>(db, dsql`select id from users where role = 'lifter' order by id`)).map(
    (u) => u.id,
  );
  for (let i = 0; i < lifterIds.length; i += 5000) {
    await enrollAll(db, running, lifterIds.slice(i, i + 5000), experimentStart);
  }
  await exposeEnrolled(db, running, experimentStart, week);
}

export type ExperimentTiming = Awaited<ReturnType<typeof timeExperimentReport>>;

/**
 * The experiment report over every enrolled lifter, timed — after a vacuum of the experiment's tables, which the
 * overlay rounds just wrote to: a researcher's report reads a settled database, not one autovacuum is visiting.
 */
export async function timeExperimentReport(db: Db, problems: string[]) {
  await db.execute(dsql`vacuum (analyze) experiment_assignments, experiment_exposures`);
  const t = performance.now();
  const report = await experimentReport(db, 'bench', { now: wallClock() });
  const experiment = {
    lifters: report.analysis.arms.reduce((n, a) => n + a.analysed, 0),
    weeks: report.window?.weeks ?? 0,
    reportSeconds: seconds(performance.now() - t),
  };
  if (experiment.lifters === 0) problems.push('the experiment report analysed no lifter');
  log(
    `  report over ${experiment.lifters} lifters × ${experiment.weeks} weeks in ${experiment.reportSeconds.toFixed(2)} s (${report.analysis.verdict.line})`,
  );
  return experiment;
}
