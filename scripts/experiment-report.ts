/**
 * `npm run experiment:report -- --key K [--mde X] [--power P] [--winsor Q] [--json]`: the report the page and REST
 * show.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { experimentKey, reportQuery } from '@/server/contracts/experiments';

const usage = 'Usage: npm run experiment:report -- --key KEY [--mde EFFECT] [--power 0.8] [--winsor 0.01] [--json]';
let args: { key?: string; mde?: string; power?: string; winsor?: string; json?: boolean };
try {
  args = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: {
      key: { type: 'string' },
      mde: { type: 'string' },
      power: { type: 'string' },
      winsor: { type: 'string' },
      json: { type: 'boolean' },
    },
  }).values;
} catch (err) {
  console.error(`${(err as Error).message}\n${usage}`);
  process.exit(1);
}
const parsed = z
  .object({ key: experimentKey, ...reportQuery.shape })
  .safeParse({ key: args.key, mde: args.mde, power: args.power, winsor: args.winsor });
if (!parsed.success) {
  for (const issue of parsed.error.issues) console.error(`--${issue.path.join('.')}: ${issue.message}`);
  console.error(usage);
  process.exit(1);
}

// The flags are checked before the database and the report's modules load: a bad flag answers at once.
const { openDatabaseFromEnv } = await import('@/server/db');
const { DomainError } = await import('@/server/errors');
const { experimentReport } = await import('@/server/experiments/report');
const { reportToWire } = await import('@/server/http/wire');
const { wallClock } = await import('@/server/time/clock');
const { reportText } = await import('./lib/experiment-report');
const { progressReporter } = await import('./lib/progress');
const database = await openDatabaseFromEnv();
const progress = args.json ? undefined : progressReporter('loading lifters');
try {
  const report = await experimentReport(database.db, parsed.data.key, {
    now: wallClock(),
    mde: parsed.data.mde,
    power: parsed.data.power,
    winsor: parsed.data.winsor,
    onProgress: progress ? (done, total) => progress.update(done, total) : undefined,
  });
  progress?.stop();
  const wire = reportToWire(report);
  console.log(args.json ? JSON.stringify(wire, null, 2) : reportText(wire));
} catch (err) {
  progress?.stop();
  if (!(err instanceof DomainError)) throw err;
  console.error(err.message);
  process.exitCode = 1;
} finally {
  await database.close();
}
