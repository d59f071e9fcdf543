/**
 * `npm run model:train -- [--from W --to W] [--target 0.8] [--seed 1] [--epochs 10]`: fits a model of P(success
 * next week | context, multiplier) on the opted-in lifters' decision rows and stores it as a new version.
 */
import { parseArgs } from 'node:util';

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
// Flags are checked before the database and the trainer load: a bad flag answers at once.
if (values.from && values.to && values.from > values.to) {
  console.error(`Nothing trained: --from ${values.from} is after --to ${values.to}.`);
  process.exit(1);
}
const { openDatabaseFromEnv } = await import('@/server/db');
const { TrainingError } = await import('@/server/learning/train');
const { trainFromDatabase } = await import('@/server/learning/train-from-db');
const { wallClock } = await import('@/server/time/clock');
const { metricsReport } = await import('./lib/model-report');
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
  console.log(metricsReport(result.metrics as unknown as Record<string, unknown>));
} catch (err) {
  if (!(err instanceof TrainingError)) throw err;
  console.error(`Nothing trained: ${err.message}.`);
  process.exitCode = 1;
} finally {
  await database.close();
}
