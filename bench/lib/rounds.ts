import type { Sql } from 'postgres';
import { type BenchConfig, log } from './config';
import { type CpuSnapshot, cpuSince, cpuSnapshot } from './cpu';
import { combine, type LoadResult, load } from './load';

export type Spec = Parameters<typeof load>[0];

/**
 * Measures targets side by side: a warm-up each, then interleaved rounds (see `combine`), each target's rounds
 * billed the CPU of its processes (the app's by default; `serverOf` names others, e.g. an instance and its Redis).
 * Results and CPU per request collect in `results` and `cpuPerRequest`; failures in `problems`.
 */
export function rounds(cfg: BenchConfig, raw: Sql, appPid: number, problems: string[]) {
  const results: Record<string, LoadResult> = {};
  /** CPU milliseconds per request, by process group (Linux only; zeros elsewhere). */
  const cpuPerRequest: Record<string, CpuSnapshot> = {};
  const serverOf = new Map<string, () => number[]>();
  // Autovacuum runs that finished during a target's rounds (the inserts of every target trigger them): the CPU
  // they spent while that target ran is in its PostgreSQL column, except a worker's last stretch (an exited
  // process cannot be read), so the log names them.
  const autovacuumCount = async () =>
    (
      await raw<
        { n: number }[]
      >`select coalesce(sum(autovacuum_count + autoanalyze_count), 0)::int as n from pg_stat_user_tables`
    )[0]!.n;

  const compare = async (targets: [string, Spec][]) => {
    if (cfg.warmup > 0) for (const [, spec] of targets) await load({ ...spec, durationSeconds: cfg.warmup });
    const measured = new Map<string, LoadResult[]>(targets.map(([name]) => [name, []]));
    const cpu = new Map<string, CpuSnapshot>(targets.map(([name]) => [name, { app: 0, bench: 0, postgres: 0 }]));
    const autovacuums = new Map<string, number>(targets.map(([name]) => [name, 0]));
    for (let i = 0; i < cfg.rounds; i++) {
      // Each round starts with the next target, so no target always runs right after the others' inserts.
      const order = targets.map((_, k) => targets[(k + i) % targets.length]!);
      for (const [name, spec] of order) {
        const pids = serverOf.get(name)?.() ?? [appPid];
        const vacuumsBefore = await autovacuumCount();
        const before = cpuSnapshot(pids);
        measured.get(name)!.push(await load({ ...spec, durationSeconds: cfg.duration }));
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
      const r = combine(measured.get(name)!);
      results[name] = r;
      const used = cpu.get(name)!;
      const perReq = (s: number) => (r.requests > 0 ? (s * 1000) / r.requests : 0);
      cpuPerRequest[name] = { app: perReq(used.app), bench: perReq(used.bench), postgres: perReq(used.postgres) };
      const perRound = measured
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
  return { compare, serverOf, results, cpuPerRequest };
}
