/**
 * `npm run simulate -- --lifters 2000 --weeks 26 --seed 7 [--policy rules|rules+deload|hold|step@±p|model@V] [--epsilon 0.3]`:
 * fills the database
 * with a population of the realistic simulator (docs/simulation.md) — sessions, sets, recommendations, feedback,
 * profile snapshots and the weekly modifier decisions — written in bulk, row for row what the ingest services
 * store. The lifters' ids start with `sim-<seed>-`. `--epsilon`: the policy explores as an experiment's arm does
 * (propensities and contexts logged), so `model:train` has explored decisions to learn the steps' effects from.
 */
import { parseArgs } from 'node:util';
import { progressReporter } from './lib/progress';

const usage =
  'Usage: npm run simulate -- --lifters 2000 --weeks 26 --seed 7 [--policy rules|rules+deload|hold|step@±p|model@V] [--epsilon 0–0.5]';
let values: { lifters?: string; weeks?: string; seed?: string; policy?: string; epsilon?: string };
try {
  ({ values } = parseArgs({
    options: {
      lifters: { type: 'string', default: '200' },
      weeks: { type: 'string', default: '26' },
      seed: { type: 'string', default: '7' },
      policy: { type: 'string', default: 'rules' },
      epsilon: { type: 'string', default: '0' },
    },
  }));
} catch (err) {
  console.error(`${(err as Error).message}\n${usage}`);
  process.exit(1);
}
const lifters = Number(values.lifters);
const weeks = Number(values.weeks);
const seed = Number(values.seed);
if (![lifters, weeks, seed].every((n) => Number.isInteger(n) && n > 0) || lifters > 100_000 || weeks > 520) {
  console.error('--lifters (1–100000), --weeks (1–520) and --seed take positive whole numbers');
  process.exit(1);
}
const epsilon = Number(values.epsilon);
if (!(epsilon >= 0 && epsilon <= 0.5)) {
  console.error(`--epsilon takes a share of decisions from 0 to 0.5\n${usage}`);
  process.exit(1);
}
// The flags are checked before the database and the simulator load: a bad flag answers at once.
const { openDatabaseFromEnv } = await import('@/server/db');
const { exploringPolicy } = await import('@/server/experiments/exploration');
const { ModelUnavailableError } = await import('@/server/learning/model');
const { UnknownPolicyError, policyNamed } = await import('@/server/modifiers/policies');
const { resolvePolicy } = await import('@/server/modifiers/serving');
const { drawLifters } = await import('@/server/simulation/lifters');
const { simulateLifter } = await import('@/server/simulation/world');
const { recordOf, writeRecords } = await import('@/server/simulation/write');
const { addDays, calendarDate, isoWeekStart } = await import('@/server/time/calendar');
const { wallClock } = await import('@/server/time/clock');
// A policy known by name is checked before the database opens; only a model needs it.
if (!values.policy!.startsWith('model@')) {
  try {
    policyNamed(values.policy!);
  } catch (err) {
    if (!(err instanceof UnknownPolicyError)) throw err;
    console.error(`Nothing simulated: ${err.message}.`);
    process.exit(1);
  }
}
const database = await openDatabaseFromEnv();
try {
  const policy = exploringPolicy(await resolvePolicy(database.db, values.policy!), epsilon, `simulate-${seed}`);
  // The simulated weeks end with the week just ended, so the data is recent.
  const startWeek = addDays(isoWeekStart(calendarDate(wallClock())), -7 * weeks);
  const population = drawLifters(lifters, seed, `sim-${seed}`);
  console.log(
    `Simulating ${lifters} lifters × ${weeks} weeks from ${startWeek} under ${policy.id}${epsilon ? ` exploring at ε ${epsilon}` : ''} (seed ${seed}) …`,
  );
  const records = population.map((l) => recordOf(simulateLifter(l, { startWeek, weeks, seed, policy })));
  const writing = progressReporter('writing lifters');
  const analytics = progressReporter('materializing analytics (lifter-weeks)');
  const counts = await writeRecords(database.db, records, {
    lifters: (done, total) => {
      writing.update(done, total);
      if (done === total) writing.stop();
    },
    analytics: analytics.update,
  });
  analytics.stop();
  console.log(
    `Wrote ${counts.lifters} lifters, ${counts.sessions} sessions, ${counts.sets} sets, ${counts.modifiers} modifier rows.`,
  );
} catch (err) {
  if (!(err instanceof ModelUnavailableError || err instanceof UnknownPolicyError)) throw err;
  console.error(`Nothing simulated: ${err.message}.`);
  process.exitCode = 1;
} finally {
  await database.close();
}
