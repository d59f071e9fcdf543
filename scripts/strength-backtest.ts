/**
 * `npm run strength:backtest -- --user ID [--json]`: replays one lifter's stored history (imported exports
 * included) and scores the estimated strength's one-step-ahead forecast of each session's best e1RM per exercise
 * against two naive forecasts (server/strength/backtest.ts, docs/strength.md). Exit 1 for an unknown lifter.
 */
import { parseArgs } from 'node:util';
import { userIdField } from '@/server/contracts/common';

const usage = 'Usage: npm run strength:backtest -- --user USER_ID [--json]';
let values: { user?: string; json?: boolean };
try {
  ({ values } = parseArgs({ options: { user: { type: 'string' }, json: { type: 'boolean', default: false } } }));
} catch (err) {
  console.error(`${(err as Error).message}\n${usage}`);
  process.exit(1);
}
const user = userIdField.safeParse(values.user);
if (!user.success) {
  console.error(`--user ${values.user === undefined ? 'is required' : user.error.issues[0]?.message}\n${usage}`);
  process.exit(1);
}

// Loaded once the arguments are known to be good: a refusal answers without loading the server.
const { eq } = await import('drizzle-orm');
const { users } = await import('@/db/schema');
const { openDatabaseFromEnv } = await import('@/server/db');
const { backtest } = await import('@/server/strength/backtest');
const { allSetsOf } = await import('@/server/strength/materialize');

const database = await openDatabaseFromEnv();
try {
  const [found] = await database.db.select({ id: users.id }).from(users).where(eq(users.id, user.data));
  if (!found) {
    console.error(`No user ${user.data}.`);
    process.exitCode = 1;
  } else {
    const result = backtest(user.data, await allSetsOf(database.db, user.data));
    if (values.json) console.log(JSON.stringify(result));
    else {
      console.log(`${result.user}: ${result.sessions_scored} sessions scored over ${result.exercises} exercises`);
      console.log(
        `  estimated strength   MAE ${result.estimator.mae_pct} %, 80 % interval covers ${Math.round(result.estimator.coverage_80 * 100)} %`,
      );
      console.log(`  previous session     MAE ${result.baselines.previous_session.mae_pct} %`);
      console.log(`  best of last 4 weeks MAE ${result.baselines.best_4w.mae_pct} %`);
    }
  }
} finally {
  await database.close();
}
