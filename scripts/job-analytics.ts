/**
 * `npm run job:analytics [-- --full] [--partition k/n]`: materializes the weeks touched since the last run, with
 * progress; with a partition, only those lifters' weeks.
 */
import { parseArgs } from 'node:util';
import { runAnalyticsJob } from '@/server/analytics/job';
import { openDatabaseFromEnv } from '@/server/db';
import { partitionArg } from './lib/partition-arg';
import { progressReporter } from './lib/progress';

const { values } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    'batch-size': { type: 'string' },
    partition: { type: 'string' },
  },
});
const partition = partitionArg(values.partition);
const database = await openDatabaseFromEnv();
const progress = progressReporter('analytics weeks');
try {
  const result = await runAnalyticsJob(database.db, {
    full: values.full,
    batchSize: values['batch-size'] ? Number(values['batch-size']) : undefined,
    onProgress: progress.update,
    partition,
  });
  progress.stop();
  console.log(
    `Materialized ${result.weeks} user-weeks: ${result.exerciseRows} exercise rows, ${result.userRows} user rows` +
      (result.remaining ? `; ${result.remaining} left for the next run` : '.'),
  );
} finally {
  progress.stop();
  await database.close();
}
