/**
 * `npm run bench`: how fast Overload is, measured against two references in the same run.
 *
 *   1. a throwaway PostgreSQL 15 (the tests' helper, durable settings) migrated and filled by the generator;
 *   2. the weekly jobs timed at 1,000 and at 10,000 users (how their cost grows);
 *   3. the production build (`next start`) with the bench-only route on, and a bare node:http server;
 *   4. autocannon against each, same settings: the framework ceiling (Next route that only parses the body),
 *      the bare baseline (node:http + zod + the same insert), and Overload's endpoints.
 *
 * Options: --users 10000 --weeks 8 --duration 10 --connections 50 --dist-dir .next-bench --no-build,
 * --smoke (tiny N, one-second runs: the test suite runs this so the script cannot rot; it fails on any error).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import postgres from 'postgres';
import { openDatabase } from '../db/client';
import { progressReporter } from '../scripts/lib/progress';
import { startPostgres } from '../scripts/lib/throwaway-postgres';
import { createApiToken } from '../server/auth/tokens';
import { databaseOptions } from '../server/db';
import { lastEndedWeek } from '../server/modifiers/job';
import { calendarDate, isoWeekStart } from '../server/time/calendar';
import { wallClock } from '../server/time/clock';
import { benchConfig, log, seconds } from './lib/config';
import { generate } from './lib/generate';
import { measureHttp } from './lib/http-scenarios';
import { timeJobs, timeLearning } from './lib/jobs';
import { renderReport } from './lib/report';
import { startServers, type Writer } from './lib/servers';
import { timeSimulation } from './lib/simulation';
import { timeImports } from './lib/time-imports';

const cfg = benchConfig();
const problems: string[] = [];

// The app runs on this process's Node.js (startNext spawns process.execPath).
const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version };
const machineLine = `${machine.cpus} × ${machine.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${machine.node}`;
log(`machine: ${machineLine}`);
log(`config: ${JSON.stringify(cfg)}`);
const started = performance.now();
const pg = await startPostgres({ extraConfig: { shared_buffers: '512MB', max_wal_size: '4GB' } });
const stopAll: (() => Promise<void> | void)[] = [() => pg.stop()];
process.on('SIGINT', () => {
  pg.stop();
  process.exit(130);
});
try {
  const database = await openDatabase(databaseOptions({ databaseUrl: pg.url, migrate: true, poolMax: 4 }));
  stopAll.unshift(() => database.close());
  const db = database.db;
  const raw = postgres(pg.url, { max: 2, onnotice: () => {} });
  stopAll.unshift(() => raw.end({ timeout: 5 }));

  const thisMonday = isoWeekStart(calendarDate(wallClock()));
  const week = lastEndedWeek(wallClock());
  const gen = async (firstUser: number, users: number, weeks: number, prefix: string) => {
    const t = performance.now();
    const progress = progressReporter(`  generating ${users} users × ${weeks} weeks`);
    const c = await generate(raw, { firstUser, users, weeks, prefix, thisMonday, onProgress: progress.update });
    progress.stop();
    const s = seconds(performance.now() - t);
    const total = c.sessions + c.sets + c.profileVersions + c.instrumentEvents + 2 * c.users;
    log(
      `  ${c.users} users, ${c.sessions} sessions, ${c.sets} sets, ${c.profileVersions} profile versions, ${c.instrumentEvents} events in ${s.toFixed(1)} s (${Math.round(total / s)} rows/s)`,
    );
  };

  // 1–2. Data, and the jobs at two sizes (how their cost grows); the learning loop at full size.
  log(`phase 1: ${cfg.smallUsers} users`);
  await gen(1, cfg.smallUsers, cfg.weeks, 'bench-');
  const jobs = await timeJobs(db, cfg.smallUsers, week, problems);
  log(`phase 2: ${cfg.users} users, plus ${cfg.longUsers} with ${cfg.longWeeks} weeks of history`);
  await gen(cfg.smallUsers + 1, cfg.users - cfg.smallUsers, cfg.weeks, 'bench-');
  await gen(1, cfg.longUsers, cfg.longWeeks, 'long-');
  jobs.push(...(await timeJobs(db, cfg.users + cfg.longUsers, week, problems)));
  const learning = await timeLearning(db, week, problems);

  // 3–4. The servers and the HTTP rounds. The write scenarios spread over many lifters (each token, in turn): a
  // service sees many users sending a little each, not one user sending everything (which would only measure
  // contention on that user's rows).
  const longUser = 'long-000001';
  const longToken = await createApiToken(db, longUser, 'bench');
  const writers: Writer[] = [];
  for (let i = 1; i <= cfg.writers; i++) {
    const userId = `bench-${String(i).padStart(6, '0')}`;
    writers.push({ userId, token: await createApiToken(db, userId, 'bench') });
  }
  // Steady state before measuring, as pgbench does: the bulk load and the jobs leave tables that autovacuum
  // would otherwise visit, and dirty pages a checkpoint would flush, during the HTTP rounds — billed to
  // whichever target happened to be running.
  const vacuumStarted = performance.now();
  log('vacuum (analyze) and checkpoint before the HTTP rounds …');
  await raw`vacuum (analyze)`;
  await raw`checkpoint`;
  log(`  done in ${seconds(performance.now() - vacuumStarted).toFixed(1)} s`);
  const servers = await startServers(db, pg.url, cfg, writers, stopAll);
  const http = await measureHttp(
    db,
    raw,
    cfg,
    servers,
    { writers, ingestUser: 'bench-000001', longUser, longToken, week },
    problems,
  );
  const { imports, pathological } = await timeImports(
    db,
    { url: servers.app.url, pid: servers.app.child.pid! },
    cfg.importSets,
    stopAll,
    problems,
  );

  const simulation = await timeSimulation(cfg, problems);

  const { results, cpuPerRequest, experiment } = http;
  const figures = { cfg, results, cpuPerRequest, jobs, learning, experiment, imports, pathological, simulation };
  const table = renderReport(figures);
  console.log(`\n${table}\n`);
  log(`total ${seconds(performance.now() - started).toFixed(0)} s`);

  mkdirSync('bench/results', { recursive: true });
  const stamp = wallClock().toISOString().replace(/[:.]/g, '-');
  const file = `bench/results/${cfg.smoke ? 'smoke' : 'bench'}-${stamp}`;
  const summary = Object.fromEntries(Object.entries(results).map(([k, { times: _times, ...rest }]) => [k, rest]));
  writeFileSync(`${file}.json`, JSON.stringify({ ...figures, machine, results: summary }, null, 2));
  writeFileSync(`${file}.md`, `Machine: ${machineLine}\n\n${table}\n`);
  log(`written to ${file}.{json,md}`);
} finally {
  for (const stop of stopAll) {
    try {
      await stop();
    } catch {
      // best effort: the temporary cluster is removed regardless
    }
  }
}

if (problems.length > 0) {
  console.error(`[bench] FAILED:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
