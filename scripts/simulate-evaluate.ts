/**
 * `npm run simulate:evaluate -- --policies rules,hold,step@+5 --lifters 2000 --weeks 26 --seed 3 [--json]`: the
 * truth table of policies (server/simulation/evaluate.ts, docs/simulation.md) — each run through the realistic
 * simulator on the same lifters and seeds, in memory, judged by true strength gain and dropout beside what the
 * server can measure. Policies by name run in worker threads, one share of the lifters each; `model@V` reads the
 * stored model and runs in this process. Bad flags → a message and exit 1.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import type { ModifierPolicy } from '@/server/modifiers/policies';
import type { EvaluationOptions, Shard, TruthTable } from '@/server/simulation/evaluate';
import type { ShardRequest } from './lib/evaluate-worker';
import { failFlags, parseFlags, wholeFlag } from './lib/flags';
import { progressReporter } from './lib/progress';

const usage =
  'Usage: npm run simulate:evaluate -- --policies rules,hold,step@+5 --lifters 2000 --weeks 26 --seed 3 [--json]';
const flags = z.object({
  policies: z
    .string()
    .transform((s) => s.split(',').map((p) => p.trim()))
    .refine((ps) => ps.every((p) => p.length > 0), '--policies lists policy names separated by commas')
    .refine((ps) => new Set(ps).size === ps.length, '--policies names a policy twice'),
  lifters: wholeFlag('lifters', 1, 100_000),
  weeks: wholeFlag('weeks', 1, 520),
  seed: wholeFlag('seed', 0),
  json: z.boolean(),
});

/** Policies by name resolve here; `model@V` needs the database. */
async function resolvePolicies(names: readonly string[]): Promise<ModifierPolicy[]> {
  const { policyNamed } = await import('@/server/modifiers/policies');
  if (!names.some((n) => n.startsWith('model@'))) return names.map(policyNamed);
  const { openDatabaseFromEnv } = await import('@/server/db');
  const { resolvePolicy } = await import('@/server/modifiers/serving');
  const database = await openDatabaseFromEnv();
  try {
    return await Promise.all(names.map((n) => resolvePolicy(database.db, n)));
  } finally {
    await database.close();
  }
}

/** Shares of the population in worker threads, one per core. */
async function inWorkers(request: Omit<ShardRequest, 'from' | 'to'>, onProgress: (n: number) => void) {
  const workers = Math.max(1, Math.min(availableParallelism(), Math.ceil(request.lifters / 250)));
  const size = Math.ceil(request.lifters / workers);
  return Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const shard: ShardRequest = { ...request, from: w * size, to: Math.min(request.lifters, (w + 1) * size) };
      return new Promise<Shard>((resolve, reject) => {
        const worker = new Worker(new URL('./lib/evaluate-worker.ts', import.meta.url), { workerData: shard });
        worker.on('message', (m: { progress: number; shard?: Shard }) => {
          if (m.progress > 0) onProgress(m.progress);
          if (m.shard) resolve(m.shard);
        });
        worker.on('error', reject);
        worker.on('exit', (code) => code !== 0 && reject(new Error(`a simulation worker exited with ${code}`)));
      });
    }),
  );
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)} %`;
const interval = (i: { mean: number; low: number; high: number }) => `${pct(i.mean)} [${pct(i.low)}, ${pct(i.high)}]`;
const figure = (x: number | null, digits = 1) => (x === null ? '—' : `${x.toFixed(digits)} %`);

function print(t: TruthTable): void {
  console.log(`${t.lifters} lifters × ${t.weeks} weeks, seed ${t.seed}\n`);
  for (const p of t.policies) {
    console.log(p.policy);
    console.log(
      `  true strength gain   ${interval(p.true_gain_pct)}  (12 weeks: ${p.true_gain_12w_pct ? interval(p.true_gain_12w_pct) : '—'})`,
    );
    console.log(`  while training       ${interval(p.true_gain_training_pct)}  (to the horizon or the day they quit)`);
    console.log(
      `  dropout              ${p.dropout_pct.toFixed(1)} %   failed weeks ${p.failed_weeks_pct.toFixed(1)} %   sessions/week ${p.sessions_per_week.toFixed(2)}`,
    );
    console.log(
      `  measured: estimated strength ${pct(p.measured.strength_gain_pct)}, e1RM of prescribed sets ${pct(p.measured.e1rm_prescribed_gain_pct)}, success rate ${(p.measured.success_rate * 100).toFixed(1)} %`,
    );
  }
  console.log('\nRanked');
  for (const [by, order] of Object.entries(t.ranking)) console.log(`  by ${by.padEnd(16)} ${order.join(' > ')}`);
  for (const [title, wrong] of [
    ['the true gain at the horizon', t.wrong_pairs],
    ['the true gain while training', t.wrong_pairs_training],
  ] as const) {
    console.log(`\nPairs ${title} separates that a measure orders the other way`);
    for (const [by, pairs] of Object.entries(wrong))
      console.log(`  ${by.padEnd(16)} ${pairs.length ? pairs.map(([a, b]) => `${a} > ${b}`).join(', ') : 'none'}`);
  }
  const e = t.estimator;
  console.log('\nEstimated strength against the truth (median absolute error, % of 1RM)');
  console.log(
    `  after 4 weeks ${figure(e.mae_pct.w4)}, 8 weeks ${figure(e.mae_pct.w8)}, 26 weeks ${figure(e.mae_pct.w26)}; 90 % interval covers ${figure(e.coverage_90 === null ? null : e.coverage_90 * 100, 0)}`,
  );
  console.log(
    `  baselines: best e1RM of the last 4 weeks ${figure(e.baselines.best_e1rm_4w.mae_pct)}, e1RM of the prescribed sets ${figure(e.baselines.e1rm_prescribed.mae_pct)}`,
  );
}

// The flags are checked before the simulator and the database load: a bad flag answers at once.
const args = parseFlags(
  {
    policies: { type: 'string', default: 'rules,hold,step@+5' },
    lifters: { type: 'string', default: '2000' },
    weeks: { type: 'string', default: '26' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
  flags,
  usage,
);
const { UnknownPolicyError } = await import('@/server/modifiers/policies');
const { ModelUnavailableError } = await import('@/server/learning/model');
const { evaluateShard, tableOf } = await import('@/server/simulation/evaluate');
let policies: ModifierPolicy[];
try {
  policies = await resolvePolicies(args.policies);
} catch (err) {
  if (!(err instanceof UnknownPolicyError || err instanceof ModelUnavailableError)) throw err;
  failFlags(`--policies: ${err.message}`, usage);
}
const options: EvaluationOptions = { policies, lifters: args.lifters, weeks: args.weeks, seed: args.seed };
const progress = progressReporter('simulating lifter-runs', args.json ? process.stderr : process.stdout);
const total = args.lifters * policies.length;
let done = 0;
const byName = !args.policies.some((n) => n.startsWith('model@'));
const shards = byName
  ? await inWorkers({ policies: args.policies, lifters: args.lifters, weeks: args.weeks, seed: args.seed }, (n) => {
      done += n;
      progress.update(done, total);
    })
  : [evaluateShard({ ...options, from: 0, to: args.lifters, onProgress: (n) => progress.update(n, total) })];
progress.stop();
const table = tableOf(options, shards);
if (args.json) console.log(JSON.stringify(table));
else print(table);
