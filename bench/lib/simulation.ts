import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../db/client';
import { policyNamed } from '../../server/modifiers/policies';
import { writeLifters } from '../../server/simulation/bulk-write';
import { drawLifters } from '../../server/simulation/lifters';
import { writeThroughServices } from '../../server/simulation/services-write';
import { simulateLifter } from '../../server/simulation/world';
import { recordOf } from '../../server/simulation/write';
import type { BenchConfig } from './config';
import { log, seconds } from './config';

/**
 * The simulator's two commands as a user runs them (`npm run simulate` into a fresh embedded database,
 * `npm run simulate:evaluate` in memory), and the bulk writer against the ingest services on the same lifters in
 * the same run (the reference).
 */
export type SimulationTiming = Awaited<ReturnType<typeof timeSimulation>>;

export async function timeSimulation(cfg: BenchConfig, problems: string[]) {
  const simulate = { lifters: cfg.smoke ? 5 : 2_000, weeks: cfg.smoke ? 4 : 26, seconds: 0 };
  const evaluate = { lifters: cfg.smoke ? 100 : 10_000, weeks: cfg.smoke ? 8 : 52, policies: 3, seconds: 0 };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'overload-bench-simulate-'));
  try {
    log(`simulate: ${simulate.lifters} lifters × ${simulate.weeks} weeks into a fresh embedded database`);
    simulate.seconds = timed(
      ['scripts/simulate.ts', '--lifters', `${simulate.lifters}`, '--weeks', `${simulate.weeks}`],
      dir,
      problems,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  log(`simulate:evaluate: ${evaluate.lifters} lifters × ${evaluate.weeks} weeks × ${evaluate.policies} policies`);
  evaluate.seconds = timed(
    [
      'scripts/simulate-evaluate.ts',
      '--policies',
      'rules,hold,step@+5',
      '--lifters',
      `${evaluate.lifters}`,
      '--weeks',
      `${evaluate.weeks}`,
      '--json',
    ],
    dir,
    problems,
  );
  return { simulate, evaluate, writers: await compareWriters(cfg.smoke ? 5 : 100) };
}

/** Wall time of one CLI run on a fresh embedded database in `dir`; a failure is a problem. */
function timed(args: string[], dir: string, problems: string[]): number {
  const t = performance.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', ...args], {
    env: { ...process.env, DATABASE_URL: '', PGLITE_DATA_DIR: path.join(dir, 'pglite') },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const took = seconds(performance.now() - t);
  if (run.status !== 0) problems.push(`${args[0]} exited with ${run.status}: ${run.stderr.slice(-500)}`);
  log(`  ${took.toFixed(1)} s`);
  return took;
}

/** The same simulated lifters written through the ingest services and in bulk, each into its own in-memory PGlite. */
async function compareWriters(lifters: number) {
  const records = drawLifters(lifters, 3, 'w').map((l) =>
    recordOf(simulateLifter(l, { startWeek: '2025-01-06', weeks: 26, seed: 3, policy: policyNamed('rules') })),
  );
  const sets = records.reduce((n, r) => n + r.sessions.reduce((m, s) => m + s.sets.length, 0), 0);
  const time = async (write: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<void>) => {
    const database = await openDatabase({ migrate: true, pgliteDataDir: 'memory://' });
    try {
      const t = performance.now();
      await write(database.db);
      return seconds(performance.now() - t);
    } finally {
      await database.close();
    }
  };
  const services = await time(async (db) => {
    for (const r of records) await writeThroughServices(db, r);
  });
  const bulk = await time(async (db) => {
    await writeLifters(db, records);
  });
  log(`  writing ${lifters} lifters (${sets} sets): services ${services.toFixed(1)} s, bulk ${bulk.toFixed(1)} s`);
  return { lifters, sets, servicesSeconds: services, bulkSeconds: bulk };
}
