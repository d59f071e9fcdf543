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
import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { parse as parseCsv } from 'csv-parse';
import { sql as dsql } from 'drizzle-orm';
import postgres from 'postgres';
import { type Db, openDatabase, rows } from '../db/client';
import { identities } from '../db/schema';
import { freePort } from '../scripts/lib/free-port';
import { startIdentityProvider } from '../scripts/lib/identity-provider';
import { nextBuild, startNext } from '../scripts/lib/next-server';
import { progressReporter } from '../scripts/lib/progress';
import { startPostgres } from '../scripts/lib/throwaway-postgres';
import { startRedis } from '../scripts/lib/throwaway-redis';
import { runAnalyticsJob } from '../server/analytics/job';
import { createApiToken } from '../server/auth/tokens';
import { databaseOptions } from '../server/db';
import { enrollAll, runningExperiment } from '../server/experiments/enrollment';
import { createExperiment, startExperiment } from '../server/experiments/experiments';
import { experimentReport } from '../server/experiments/report';
import { importExport } from '../server/imports/imports';
import { trainFromDatabase } from '../server/learning/train-from-db';
import { lastEndedWeek, runModifierWeek } from '../server/modifiers/job';
import { generateKey } from '../server/privacy/encryption';
import { addDays, calendarDate, isoWeekStart } from '../server/time/calendar';
import { wallClock } from '../server/time/clock';
import { startBaselineServer } from './baseline-server';
import { type CpuSnapshot, cpuSince, cpuSnapshot } from './lib/cpu';
import { generate } from './lib/generate';
import { writeStrongExport } from './lib/import-file';
import { combine, type LoadResult, load } from './lib/load';
import { postPathologicalImports } from './lib/pathological-imports';

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    users: { type: 'string' },
    weeks: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string' },
    rounds: { type: 'string' },
    'dist-dir': { type: 'string', default: '.next-bench' },
    'no-build': { type: 'boolean', default: false },
  },
});
const smoke = values.smoke!;
const cfg = {
  users: Number(values.users ?? (smoke ? 40 : 10_000)),
  smallUsers: smoke ? 10 : 1_000,
  weeks: Number(values.weeks ?? (smoke ? 3 : 8)),
  longUsers: smoke ? 1 : 5,
  importSets: smoke ? 500 : 50_000,
  longWeeks: smoke ? 10 : 156, // three years
  duration: Number(values.duration ?? (smoke ? 1 : 6)),
  rounds: Number(values.rounds ?? (smoke ? 1 : 3)),
  warmup: smoke ? 0 : 3,
  connections: Number(values.connections ?? (smoke ? 4 : 50)),
  batchConnections: smoke ? 2 : 16,
  analyticsConnections: smoke ? 2 : 8,
  writers: smoke ? 5 : 500,
  distDir: values['dist-dir']!,
};
if (!Number.isInteger(cfg.users) || cfg.users < cfg.smallUsers)
  throw new Error(`--users must be an integer ≥ ${cfg.smallUsers}`);

const log = (msg: string) => console.log(`[bench] ${msg}`);
const seconds = (ms: number) => ms / 1000;
const problems: string[] = [];

// ---------------------------------------------------------------------------------------------- jobs ----

interface JobTiming {
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
async function timeJobs(db: Db, users: number, week: string): Promise<JobTiming[]> {
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
      rowsWritten: ana.exerciseRows + ana.userRows,
      setsPerSecond: allSets / anaSeconds,
    },
  ];
}

// ---------------------------------------------------------------------------------------------- main ----

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
    return c;
  };

  log(`phase 1: ${cfg.smallUsers} users`);
  await gen(1, cfg.smallUsers, cfg.weeks, 'bench-');
  const jobs = await timeJobs(db, cfg.smallUsers, week);

  log(`phase 2: ${cfg.users} users, plus ${cfg.longUsers} with ${cfg.longWeeks} weeks of history`);
  await gen(cfg.smallUsers + 1, cfg.users - cfg.smallUsers, cfg.weeks, 'bench-');
  await gen(1, cfg.longUsers, cfg.longWeeks, 'long-');
  jobs.push(...(await timeJobs(db, cfg.users + cfg.longUsers, week)));

  // The learning loop at full size: the feature pipeline and training over every lifter, then the weekly job
  // with that model in shadow against the job without (the same week, from a clean slate each time).
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

  // ------------------------------------------------------------------------------------------ HTTP ----
  const ingestUser = 'bench-000001';
  const longUser = 'long-000001';
  const longToken = await createApiToken(db, longUser, 'bench');
  // The write scenarios spread over many lifters (each token, in turn): a service sees many users sending a
  // little each, not one user sending everything (which would only measure contention on that user's rows).
  const writers: { userId: string; token: string }[] = [];
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

  if (!values['no-build'] || !existsSync(cfg.distDir)) {
    log(`building the production app into ${cfg.distDir} …`);
    await nextBuild({ NEXT_DIST_DIR: cfg.distDir });
  }
  // The app's identity provider (a local JWKS): the JWT scenario signs one token per writer.
  const idp = await startIdentityProvider();
  stopAll.unshift(() => idp.close());
  const appEnv = {
    NEXT_DIST_DIR: cfg.distDir,
    DATABASE_URL: pg.url,
    DB_POOL_MAX: '10',
    BENCH_ROUTES: 'on',
    RATE_LIMIT_PER_MINUTE: '0', // one token is hammered on purpose
    DATA_ENCRYPTION_KEY: generateKey(),
    PSEUDONYM_KEY: generateKey(),
    ...idp.env,
  };
  const port = await freePort();
  const app = await startNext({ port, stdio: 'ignore', env: appEnv });
  stopAll.unshift(() => app.stop());
  // A second instance of the same build with shared limits on: every request counted in Redis (a limit no
  // writer reaches, so the cost of counting is measured, not refusals).
  const redisServer = await startRedis();
  stopAll.unshift(() => redisServer.stop());
  const appRedis = await startNext({
    port: await freePort(),
    stdio: 'ignore',
    env: { ...appEnv, REDIS_URL: redisServer.url, RATE_LIMIT_PER_MINUTE: '1000000' },
  });
  stopAll.unshift(() => appRedis.stop());
  // The writers' identities at the bench's provider, linked to their accounts as an admin would link them.
  await db
    .insert(identities)
    .values(writers.map((w) => ({ issuer: idp.issuer, subject: w.userId, userId: w.userId, linkedBy: 'bench' })));
  const jwtOf = new Map(
    await Promise.all(
      writers.map(
        async (w) =>
          [w.userId, await idp.token(w.userId, { exp: Math.floor(wallClock().getTime() / 1000) + 6 * 3600 })] as const,
      ),
    ),
  );
  const baseline = await startBaselineServer(
    pg.url,
    writers.map((w) => w.userId),
    10,
  );
  stopAll.unshift(() => baseline.close());
  log(`app on ${app.url}, bare baseline on ${baseline.url}`);

  const single = JSON.stringify({ type: 'session_finished', payload: { calories: 2600, sets: 15, day_type: 'Push' } });
  // No event_id: every request stores its 500 events (with ids, repeats would be counted as duplicates).
  const batch = JSON.stringify({
    events: Array.from({ length: 500 }, (_, i) => ({
      type: i % 2 ? 'session_finished' : 'session_submitted',
      payload: { n: i, calories: 2400 + i, sets: 15 },
      occurred_at: new Date(wallClock().getTime() - 60_000).toISOString(),
      sent_at: wallClock().toISOString(),
    })),
  });
  const yesterday = new Date(wallClock().getTime() - 86_400_000).toISOString();
  const sessionOf = (userId: string) =>
    JSON.stringify({
      user_id: userId,
      date: yesterday,
      day_type: 'Push',
      finished: true,
      calories: 2600,
      sets: Array.from({ length: 15 }, (_, i) => ({
        exercise: ['Bench Press', 'Overhead Press', 'Incline Dumbbell Press', 'Cable Fly', 'Triceps Pushdown'][
          Math.floor(i / 3)
        ],
        set_number: i + 1,
        rec_weight: 60,
        rec_reps: 8,
        actual_weight: 60,
        actual_reps: i % 3 === 2 ? 7 : 8,
        intensity: 8,
      })),
      rec_meta: { algorithm: 'po-rules' },
    });
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const asWriters = (body?: (userId: string) => string) =>
    writers.map((w) => ({ headers: auth(w.token), ...(body ? { body: body(w.userId) } : {}) }));

  const results: Record<string, LoadResult> = {};
  /** CPU milliseconds per request, by process group (Linux only; zeros elsewhere). */
  const cpuPerRequest: Record<string, CpuSnapshot> = {};
  type Spec = Parameters<typeof load>[0];
  /** Measures targets side by side: a warm-up each, then interleaved rounds (see `combine`). */
  /** The processes whose CPU a target is billed (default: the app); the Redis instance counts its Redis too. */
  const serverOf = new Map<string, () => number[]>();
  const compare = async (targets: [string, Spec][]) => {
    if (cfg.warmup > 0) for (const [, spec] of targets) await load({ ...spec, durationSeconds: cfg.warmup });
    const rounds = new Map<string, LoadResult[]>(targets.map(([name]) => [name, []]));
    const cpu = new Map<string, CpuSnapshot>(targets.map(([name]) => [name, { app: 0, bench: 0, postgres: 0 }]));
    // Autovacuum runs that finished during a target's rounds (the inserts of every target trigger them): the
    // CPU they spent while that target ran is in its PostgreSQL column, except a worker's last stretch (an
    // exited process cannot be read), so the log names them.
    const autovacuums = new Map<string, number>(targets.map(([name]) => [name, 0]));
    const autovacuumCount = async () =>
      (
        await raw<
          { n: number }[]
        >`select coalesce(sum(autovacuum_count + autoanalyze_count), 0)::int as n from pg_stat_user_tables`
      )[0]!.n;
    for (let i = 0; i < cfg.rounds; i++) {
      // Each round starts with the next target, so no target always runs right after the others' inserts.
      const order = targets.map((_, k) => targets[(k + i) % targets.length]!);
      for (const [name, spec] of order) {
        const pids = serverOf.get(name)?.() ?? [app.child.pid!];
        const vacuumsBefore = await autovacuumCount();
        const before = cpuSnapshot(pids);
        rounds.get(name)!.push(await load({ ...spec, durationSeconds: cfg.duration }));
        const used = cpuSince(before, pids);
        autovacuums.set(name, autovacuums.get(name)! + (await autovacuumCount()) - vacuumsBefore);
        const sum = cpu.get(name)!;
        cpu.set(name, {
          app: sum.app + used.app,
          bench: sum.bench + used.bench,
          postgres: sum.postgres + used.postgres,
        });
      }
    }
    for (const [name] of targets) {
      const r = combine(rounds.get(name)!);
      results[name] = r;
      const used = cpu.get(name)!;
      const perReq = (s: number) => (r.requests > 0 ? (s * 1000) / r.requests : 0);
      cpuPerRequest[name] = { app: perReq(used.app), bench: perReq(used.bench), postgres: perReq(used.postgres) };
      const perRound = rounds
        .get(name)!
        .map((x) => x.rps.toFixed(0))
        .join('/');
      log(
        `  ${name.padEnd(24)} ${r.rps.toFixed(0).padStart(7)} req/s (rounds ${perRound})  p50 ${r.p50} ms  p95 ${r.p95} ms  p99 ${r.p99} ms  first response max ${r.firstMax} ms  (${r.requests} requests, ${r.non2xx} non-2xx, ${r.errors} errors, ${autovacuums.get(name)} autovacuum/analyze runs)`,
      );
      if (r.non2xx > 0 || r.errors > 0 || r.requests === 0)
        problems.push(`${name}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.requests} requests`);
    }
  };
  const post = (url: string, body: string, connections: number, variants?: Spec['variants']): Spec => ({
    url,
    method: 'POST',
    body,
    connections,
    variants,
    durationSeconds: cfg.duration,
  });

  const c = cfg.connections;
  const b = cfg.batchConnections;
  serverOf.set('ceiling.single.redis', () => [appRedis.child.pid!, redisServer.pid!]);
  serverOf.set('app.instrument.single.redis', () => [appRedis.child.pid!, redisServer.pid!]);
  log(`single event, ${c} connections, ${cfg.rounds} × ${cfg.duration} s each`);
  await compare([
    ['ceiling.single', post(`${app.url}/api/bench/noop`, single, c)],
    ['baseline.single', post(`${baseline.url}/instrument`, single, c)],
    ['app.instrument.single', post(`${app.url}/api/instrument`, single, c, asWriters())],
    [
      'app.instrument.single.jwt',
      post(
        `${app.url}/api/instrument`,
        single,
        c,
        writers.map((w) => ({ headers: auth(jwtOf.get(w.userId)!) })),
      ),
    ],
    // Its own ceiling: a second instance is measured against the framework on that same instance.
    ['ceiling.single.redis', post(`${appRedis.url}/api/bench/noop`, single, c)],
    ['app.instrument.single.redis', post(`${appRedis.url}/api/instrument`, single, c, asWriters())],
  ]);
  log(`batches of 500 events, ${b} connections`);
  await compare([
    ['ceiling.batch', post(`${app.url}/api/bench/noop`, batch, b)],
    ['baseline.batch', post(`${baseline.url}/instrument`, batch, b)],
    ['app.instrument.batch', post(`${app.url}/api/instrument`, batch, b, asWriters())],
  ]);
  log(`session with 15 sets, ${c} connections`);
  await compare([
    ['ceiling.session', post(`${app.url}/api/bench/noop`, sessionOf(ingestUser), c)],
    ['app.session', post(`${app.url}/api/session`, sessionOf(ingestUser), c, asWriters(sessionOf))],
  ]);

  log(`modifier overlay, ${c} connections`);
  await compare([
    [
      'ceiling.empty',
      { url: `${app.url}/api/bench/noop`, method: 'POST', body: '{}', connections: c, durationSeconds: cfg.duration },
    ],
    [
      'app.modifiers',
      { url: `${app.url}/api/v1/modifiers`, connections: c, durationSeconds: cfg.duration, variants: asWriters() },
    ],
  ]);

  // Experiments: every lifter enrolled in a running experiment, three weeks of exposures; the overlay again
  // (each request now enrolls and exposes, in one statement), then the report over all of them.
  log('experiments: every lifter enrolled in a running experiment, three weeks exposed');
  const experimentStart = addDays(week, -14);
  await createExperiment(db, 'bench', {
    key: 'bench',
    hypothesis: 'The bench’s lifters, split in two.',
    arms: [
      { name: 'control', policy: 'rules', weight: 0.5, epsilon: 0 },
      { name: 'hold', policy: 'hold', weight: 0.5, epsilon: 0 },
    ],
    primary_metric: 'e1rm_progression',
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
  await db.execute(
    dsql`insert into experiment_exposures (user_id, experiment_id, week_start, arm)
         select a.user_id, a.experiment_id, w::date, a.arm from experiment_assignments a
         cross join generate_series(${experimentStart}::date, ${week}::date, interval '7 days') w
         on conflict do nothing`,
  );
  log(`modifier overlay with every lifter in the running experiment, ${c} connections`);
  await compare([
    [
      'ceiling.empty.experiment',
      { url: `${app.url}/api/bench/noop`, method: 'POST', body: '{}', connections: c, durationSeconds: cfg.duration },
    ],
    [
      'app.modifiers.experiment',
      { url: `${app.url}/api/v1/modifiers`, connections: c, durationSeconds: cfg.duration, variants: asWriters() },
    ],
  ]);
  t = performance.now();
  const benchReport = await experimentReport(db, 'bench', { now: wallClock() });
  const experiment = {
    lifters: benchReport.analysis.arms.reduce((n, a) => n + a.analysed, 0),
    weeks: benchReport.window?.weeks ?? 0,
    reportSeconds: seconds(performance.now() - t),
  };
  if (experiment.lifters === 0) problems.push('the experiment report analysed no lifter');
  log(
    `  report over ${experiment.lifters} lifters × ${experiment.weeks} weeks in ${experiment.reportSeconds.toFixed(2)} s (${benchReport.analysis.verdict.line})`,
  );

  log(`analytics, range=1y, ${cfg.longWeeks} weeks of history, ${cfg.users + cfg.longUsers} users in the database`);
  const analyticsUrl = `${app.url}/api/analytics?user_id=${longUser}&range=1y`;
  await compare([
    [
      'app.analytics.1y.c1',
      { url: analyticsUrl, headers: auth(longToken), connections: 1, durationSeconds: cfg.duration },
    ],
    [
      `app.analytics.1y.c${cfg.analyticsConnections}`,
      {
        url: analyticsUrl,
        headers: auth(longToken),
        connections: cfg.analyticsConnections,
        durationSeconds: cfg.duration,
      },
    ],
  ]);

  // Imports: a Strong export of 50,000 sets, read by csv-parse alone (the floor), imported in this process (peak
  // memory), and posted to the app as a lifter would (the target).
  log(`import: a ${cfg.importSets}-set Strong export`);
  const exported = writeStrongExport(cfg.importSets);
  stopAll.push(() => rmSync(exported.file, { force: true }));
  t = performance.now();
  let parsedRows = 0;
  for await (const _ of createReadStream(exported.file).pipe(parseCsv({ from_line: 2 }))) parsedRows++;
  const parseSeconds = seconds(performance.now() - t);
  await db.execute(
    dsql`insert into users (id, role) values ('import-bench-1', 'lifter'), ('import-bench-2', 'lifter')`,
  );
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 10);
  t = performance.now();
  const inProcess = await importExport(db, 'import-bench-1', () => createReadStream(exported.file), {
    now: wallClock(),
    unit: 'kg',
  });
  const inProcessSeconds = seconds(performance.now() - t);
  clearInterval(sampler);
  const importToken = await createApiToken(db, 'import-bench-2', 'bench');
  const body = readFileSync(exported.file);
  t = performance.now();
  const posted = await fetch(`${app.url}/api/v1/imports?unit=kg`, {
    method: 'POST',
    headers: { ...auth(importToken), 'content-type': 'text/csv' },
    body,
  });
  const postedReport = (await posted.json()) as { sets?: { new: number } };
  const httpSeconds = seconds(performance.now() - t);
  const imports = {
    sets: exported.sets,
    megabytes: body.length / 2 ** 20,
    parseSeconds,
    inProcessSeconds,
    httpSeconds,
    peakRssGrowthMb: (rssPeak - rssBefore) / 2 ** 20,
  };
  if (parsedRows !== exported.sets) problems.push(`csv-parse read ${parsedRows} rows of ${exported.sets}`);
  if (inProcess.sets.new !== exported.sets)
    problems.push(`the import created ${inProcess.sets.new} sets of ${exported.sets}`);
  if (posted.status !== 201 || postedReport.sets?.new !== exported.sets) {
    problems.push(`POST /imports answered ${posted.status} with ${JSON.stringify(postedReport).slice(0, 200)}`);
  }
  log(
    `  ${exported.sets} sets (${imports.megabytes.toFixed(1)} MB): csv-parse alone ${parseSeconds.toFixed(2)} s, ` +
      `import in process ${inProcessSeconds.toFixed(2)} s (peak RSS +${imports.peakRssGrowthMb.toFixed(0)} MB), over HTTP ${httpSeconds.toFixed(2)} s`,
  );
  log('import: the pathological files of issue 29, over HTTP');
  const pathological = await postPathologicalImports(app.url, importToken, app.child.pid!);
  for (const p of pathological) {
    if (p.status !== 422) problems.push(`the pathological import "${p.name}" answered ${p.status}, not 422`);
    log(`  ${p.name}: ${p.status} in ${p.seconds.toFixed(2)} s, server RSS +${p.peakRssGrowthMb.toFixed(0)} MB`);
  }

  // ------------------------------------------------------------------------------------------ report ----
  const r = results;
  const ratio = (a: number, b2: number) => (b2 > 0 ? a / b2 : Number.NaN);
  const analyticsLight = r['app.analytics.1y.c1']!;
  const mod10k = jobs.find((j) => j.job === 'modifiers' && j.partitions === 1 && j.users > cfg.smallUsers)!;
  const mod1k = jobs.find((j) => j.job === 'modifiers' && j.partitions === 1 && j.users === cfg.smallUsers)!;
  const targets = [
    ['single ingest ≥ 0.85× framework ceiling', ratio(r['app.instrument.single']!.rps, r['ceiling.single']!.rps), 0.85],
    ['single ingest p99 < 100 ms', r['app.instrument.single']!.p99, 100, 'below'],
    [
      'single ingest, limits in Redis ≥ 0.8× framework ceiling',
      ratio(r['app.instrument.single.redis']!.rps, r['ceiling.single.redis']!.rps),
      0.8,
    ],
    ['batch ingest ≥ 50,000 events/s', r['app.instrument.batch']!.rps * 500, 50_000],
    [
      'batch ingest ≥ 1.0× bare baseline (both commit durably)',
      ratio(r['app.instrument.batch']!.rps, r['baseline.batch']!.rps),
      1.0,
    ],
    ['analytics 1y p95 < 50 ms', analyticsLight.p95, 50, 'below'],
    ['modifier job, all users < 60 s', mod10k.seconds, 60, 'below'],
    ['features + training, all lifters < 60 s', learning.trainSeconds, 60, 'below'],
    [
      'modifier job with a shadow model ≤ 1.25× without',
      ratio(learning.shadowSeconds, learning.plainSeconds),
      1.25,
      'below',
    ],
    ['experiment report, all lifters < 5 s', experiment.reportSeconds, 5, 'below'],
    [`import of a ${imports.sets}-set export over HTTP < 10 s`, imports.httpSeconds, 10, 'below'],
    ...pathological.flatMap((p) => [
      [`pathological import (${p.name}) answered < 5 s`, p.seconds, 5, 'below'] as const,
      [`pathological import (${p.name}) server RSS growth < 50 MB`, p.peakRssGrowthMb, 50, 'below'] as const,
    ]),
    [
      'GET /modifiers p95 in an experiment ≤ 1.1× without',
      ratio(r['app.modifiers.experiment']!.p95, r['app.modifiers']!.p95),
      1.1,
      'below',
    ],
  ] as const;

  const lines: string[] = [];
  // Latency percentiles are steady state: each connection's first response (connection set-up at the start of a
  // run, see `LoadResult.firstTimes`) is left out of them and shown as its own column.
  lines.push(
    `| Scenario | req/s | events/s | p50 ms | p95 ms | p99 ms | first response max ms | × ceiling | × bare baseline |`,
  );
  lines.push(`| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
  const row = (label: string, key: string, perReq: number, ceiling?: string, base?: string) => {
    const x = r[key]!;
    lines.push(
      `| ${label} | ${x.rps.toFixed(0)} | ${perReq ? (x.rps * perReq).toFixed(0) : ''} | ${x.p50} | ${x.p95} | ${x.p99} | ${x.firstMax} | ${ceiling ? ratio(x.rps, r[ceiling]!.rps).toFixed(2) : ''} | ${base ? ratio(x.rps, r[base]!.rps).toFixed(2) : ''} |`,
    );
  };
  row('framework ceiling, single event body', 'ceiling.single', 0);
  row('bare baseline, single event', 'baseline.single', 1);
  row(
    `1. POST /api/instrument, single event, ${c} conn.`,
    'app.instrument.single',
    1,
    'ceiling.single',
    'baseline.single',
  );
  row(
    `1b. the same with an identity-provider JWT (RS256, verified per request)`,
    'app.instrument.single.jwt',
    1,
    'ceiling.single',
    'baseline.single',
  );
  row('framework ceiling, single event body, on the instance with Redis', 'ceiling.single.redis', 0);
  row(
    `1c. the same on an instance counting limits in Redis`,
    'app.instrument.single.redis',
    1,
    'ceiling.single.redis',
    'baseline.single',
  );
  row('framework ceiling, 500-event body', 'ceiling.batch', 0);
  row('bare baseline, 500 events', 'baseline.batch', 500);
  row(
    `2. POST /api/instrument, 500 events, ${b} conn.`,
    'app.instrument.batch',
    500,
    'ceiling.batch',
    'baseline.batch',
  );
  row('framework ceiling, session body', 'ceiling.session', 0);
  row(`3. POST /api/session, 15 sets, ${c} conn.`, 'app.session', 0, 'ceiling.session');
  row('framework ceiling, empty body', 'ceiling.empty', 0);
  row(`GET /api/v1/modifiers, ${c} conn.`, 'app.modifiers', 0, 'ceiling.empty');
  row('framework ceiling, empty body (experiment round)', 'ceiling.empty.experiment', 0);
  row(
    `9. GET /api/v1/modifiers, every lifter in an experiment (enrolled, exposed), ${c} conn.`,
    'app.modifiers.experiment',
    0,
    'ceiling.empty.experiment',
  );
  row('4. GET /api/analytics?range=1y, 1 conn.', 'app.analytics.1y.c1', 0);
  row(
    `4. GET /api/analytics?range=1y, ${cfg.analyticsConnections} conn.`,
    `app.analytics.1y.c${cfg.analyticsConnections}`,
    0,
  );
  lines.push('');
  lines.push(`| CPU ms per request | Next.js process | load generator + bare baseline | PostgreSQL |`);
  lines.push(`| --- | ---: | ---: | ---: |`);
  for (const [name, c2] of Object.entries(cpuPerRequest)) {
    lines.push(`| ${name} | ${c2.app.toFixed(2)} | ${c2.bench.toFixed(2)} | ${c2.postgres.toFixed(2)} |`);
  }
  lines.push('');
  lines.push(`| Job | users | seconds | sets read | rows written | sets/s | s per 1,000 users |`);
  lines.push(`| --- | ---: | ---: | ---: | ---: | ---: | ---: |`);
  for (const j of jobs) {
    lines.push(
      `| ${j.job === 'modifiers' ? `5. modifier job, one week${j.partitions > 1 ? `, ${j.partitions} partitions side by side` : ''}` : '6. analytics job, full rebuild'} | ${j.users} | ${j.seconds.toFixed(2)} | ${j.setsRead} | ${j.rowsWritten} | ${Math.round(j.setsPerSecond)} | ${((j.seconds / j.users) * 1000).toFixed(2)} |`,
    );
  }
  lines.push('');
  lines.push(`| Learning | decision rows | seconds | rows/s | log loss | ECE |`);
  lines.push(`| --- | ---: | ---: | ---: | ---: | ---: |`);
  lines.push(
    `| 7. features + training, all lifters | ${learning.decisionRows} | ${learning.trainSeconds.toFixed(1)} | ${Math.round(learning.decisionRows / learning.trainSeconds)} | ${learning.logLoss.toFixed(3)} | ${learning.ece.toFixed(3)} |`,
  );
  lines.push(
    `| 8. modifier job, one week: alone / with the model in shadow | | ${learning.plainSeconds.toFixed(1)} / ${learning.shadowSeconds.toFixed(1)} | | | |`,
  );
  lines.push('');
  lines.push(`| Experiments | lifters | weeks | seconds |`);
  lines.push(`| --- | ---: | ---: | ---: |`);
  lines.push(
    `| 10. experiment report (SRM, CUPED, guardrails, weekly looks, planning) | ${experiment.lifters} | ${experiment.weeks} | ${experiment.reportSeconds.toFixed(2)} |`,
  );
  lines.push('');
  lines.push(`| Import (Strong, 12 columns) | sets | MB | seconds | sets/s | × csv-parse alone | peak RSS growth |`);
  lines.push(`| --- | ---: | ---: | ---: | ---: | ---: | ---: |`);
  for (const [label, secs, memory] of [
    ['11. csv-parse alone (the floor)', imports.parseSeconds, ''],
    ['12. import in process', imports.inProcessSeconds, `${imports.peakRssGrowthMb.toFixed(0)} MB`],
    ['13. POST /api/v1/imports', imports.httpSeconds, ''],
  ] as const) {
    lines.push(
      `| ${label} | ${imports.sets} | ${imports.megabytes.toFixed(1)} | ${secs.toFixed(2)} | ${Math.round(imports.sets / secs)} | ${(secs / imports.parseSeconds).toFixed(1)} | ${memory} |`,
    );
  }
  lines.push('');
  lines.push(`| Pathological import (issue 29) over HTTP | MB | answer | seconds | server peak RSS growth |`);
  lines.push(`| --- | ---: | ---: | ---: | ---: |`);
  for (const [i, p] of pathological.entries()) {
    lines.push(
      `| ${14 + i}. ${p.name} | ${p.megabytes.toFixed(1)} | ${p.status} | ${p.seconds.toFixed(2)} | ${p.peakRssGrowthMb.toFixed(0)} MB |`,
    );
  }
  lines.push('');
  lines.push(`| Target | measured | goal | |`);
  lines.push(`| --- | ---: | ---: | --- |`);
  for (const [label, value, goal, dir] of targets) {
    const met = dir === 'below' ? value < goal : value >= goal;
    lines.push(
      `| ${label} | ${Number.isFinite(value) ? (value < 10 ? value.toFixed(2) : value.toFixed(0)) : 'n/a'} | ${goal} | ${met ? 'met' : 'MISSED'} |`,
    );
  }
  lines.push(
    `\nModifier job growth: ${(mod10k.seconds / mod1k.seconds).toFixed(1)}× the time for ${(mod10k.users / mod1k.users).toFixed(1)}× the users ` +
      `(${(mod10k.setsRead / mod1k.setsRead).toFixed(1)}× the sets).`,
  );
  const split10k = jobs.find((j) => j.job === 'modifiers' && j.partitions === 2 && j.users === mod10k.users)!;
  lines.push(
    `Modifier job at ${mod10k.users} users in two partitions side by side: ${split10k.seconds.toFixed(1)} s, ` +
      `${(mod10k.seconds / split10k.seconds).toFixed(2)}× the speed of one call (${mod10k.seconds.toFixed(1)} s).`,
  );
  const table = lines.join('\n');
  console.log(`\n${table}\n`);
  log(`total ${seconds(performance.now() - started).toFixed(0)} s`);

  mkdirSync('bench/results', { recursive: true });
  const stamp = wallClock().toISOString().replace(/[:.]/g, '-');
  const file = `bench/results/${smoke ? 'smoke' : 'bench'}-${stamp}`;
  const summary = Object.fromEntries(Object.entries(results).map(([k, { times: _times, ...rest }]) => [k, rest]));
  writeFileSync(
    `${file}.json`,
    JSON.stringify(
      { cfg, machine, results: summary, cpuPerRequest, jobs, learning, experiment, imports, pathological },
      null,
      2,
    ),
  );
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
