/**
 * `npm run model:train -- [--from W --to W] [--target 0.8] [--seed 1] [--epochs 10]`: fits a model of P(success
 * next week | context, multiplier) on the opted-in lifters' decision rows and stores it as a new version.
 */
import { parseArgs } from 'node:util';
import { openDatabaseFromEnv } from '@/server/db';
import { TrainingError } from '@/server/learning/train';
import { trainFromDatabase } from '@/server/learning/train-from-db';
import { wallClock } from '@/server/time/clock';
import { metricsReport } from './lib/model-report';

const { values } = parseArgs({
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    target: { type: 'string', default: '0.8' },
    seed: { type: 'string', default: '1' },
    epochs: { type: 'string', default: '10' },
  },
});
const week = /^\d{4}-\d{2}-\d{2}$/;
for (const name of ['from', 'to'] as const) {
  if (values[name] && !week.test(values[name])) {
    console.error(`--${name} takes a date, YYYY-MM-DD`);
    process.exit(1);
  }
}
const database = await openDatabaseFromEnv();
try {
  const started = performance.now();
  const { version, result } = await trainFromDatabase(database.db, {
    now: wallClock(),
    from: values.from,
    to: values.to,
    target: Number(values.target),
    seed: Number(values.seed),
    epochs: Number(values.epochs),
    onProgress: ({ users, rows }) => console.log(`  read ${users} lifters, ${rows} decision rows …`),
  });
  console.log(
    `Model v${version} (${result.library}): trained on ${result.rows.train} rows of ${result.window.from} … ` +
      `${result.window.validationFrom} (exclusive), validated on ${result.rows.validation} rows up to ${result.window.to}, ` +
      `in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`,
  );
  console.log(metricsReport(result.metrics));
} catch (err) {
  if (!(err instanceof TrainingError)) throw err;
  console.error(`Nothing trained: ${err.message}.`);
  process.exitCode = 1;
} finally {
  await database.close();
}
