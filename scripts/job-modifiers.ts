/**
 * `npm run job:modifiers -- --week 2025-11-17`: decide next week's modifiers from the week starting that Monday.
 * `npm run job:modifiers -- --backfill`: every past week, oldest first. Without options: the week just ended.
 * `--partition k/n`: only the lifters of partition k of n (several workers side by side, each resumable).
 */
import { parseArgs } from 'node:util';
import { openDatabaseFromEnv } from '@/server/db';
import { ModelUnavailableError } from '@/server/learning/model';
import { backfillWeeks, lastEndedWeek, runModifierWeek } from '@/server/modifiers/job';
import { isoWeekStart } from '@/server/time/calendar';
import { wallClock } from '@/server/time/clock';
import { partitionArg } from './lib/partition-arg';
import { progressReporter } from './lib/progress';

const { values } = parseArgs({
  options: {
    week: { type: 'string' },
    backfill: { type: 'boolean', default: false },
    'batch-size': { type: 'string' },
    partition: { type: 'string' },
  },
});
const partition = partitionArg(values.partition);
if (values.week && !/^\d{4}-\d{2}-\d{2}$/.test(values.week)) {
  console.error('--week takes a date, YYYY-MM-DD (any day of the week; its Monday is used)');
  process.exit(2);
}
const database = await openDatabaseFromEnv();
try {
  const weeks = values.backfill
    ? await backfillWeeks(database.db, wallClock())
    : [values.week ? isoWeekStart(values.week) : lastEndedWeek(wallClock())];
  console.log(
    `Modifier job for ${weeks.length} week${weeks.length === 1 ? '' : 's'}${weeks.length ? ` (${weeks[0]} … ${weeks.at(-1)})` : ''}`,
  );
  for (const [i, week] of weeks.entries()) {
    const progress = progressReporter(
      `week ${week} (${i + 1}/${weeks.length})${values.partition ? ` partition ${values.partition}` : ''} users`,
    );
    const r = await runModifierWeek(database.db, week, {
      batchSize: values['batch-size'] ? Number(values['batch-size']) : undefined,
      onProgress: progress.update,
      partition,
    });
    progress.stop();
    if (r.alreadyDone) console.log(`week ${week}: already done, nothing written`);
    else
      console.log(
        `week ${week}: ${r.rows} rows for week of ${week} + 7 days — ` +
          Object.entries(r.actions)
            .map(([a, n]) => `${n} ${a}`)
            .join(', '),
      );
  }
} catch (err) {
  if (!(err instanceof ModelUnavailableError)) throw err;
  console.error(`Nothing decided: ${err.message}.`);
  process.exitCode = 1;
} finally {
  await database.close();
}
