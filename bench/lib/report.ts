import type { BenchConfig } from './config';
import type { CpuSnapshot } from './cpu';
import type { ExperimentTiming } from './experiment';
import type { JobTiming, LearningTiming } from './jobs';
import type { LoadResult } from './load';
import type { PathologicalImport } from './pathological-imports';
import type { SimulationTiming } from './simulation';
import type { ImportTiming } from './time-imports';

export interface BenchFigures {
  cfg: BenchConfig;
  results: Record<string, LoadResult>;
  cpuPerRequest: Record<string, CpuSnapshot>;
  jobs: JobTiming[];
  learning: LearningTiming;
  experiment: ExperimentTiming;
  imports: ImportTiming;
  pathological: PathologicalImport[];
  simulation: SimulationTiming;
}

/** The run's figures as Markdown tables, the targets last (met or MISSED). */
export function renderReport(f: BenchFigures): string {
  return [...httpTable(f), '', ...cpuTable(f), '', ...batchTables(f), '', ...targetsTable(f)].join('\n');
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);

function modifierJobs({ cfg, jobs }: BenchFigures) {
  const mod10k = jobs.find((j) => j.job === 'modifiers' && j.partitions === 1 && j.users > cfg.smallUsers)!;
  const mod1k = jobs.find((j) => j.job === 'modifiers' && j.partitions === 1 && j.users === cfg.smallUsers)!;
  const split10k = jobs.find((j) => j.job === 'modifiers' && j.partitions === 2 && j.users === mod10k.users)!;
  return { mod10k, mod1k, split10k };
}

function targetsOf(f: BenchFigures) {
  const { cfg, results: r, cpuPerRequest, learning, experiment, imports, pathological, simulation } = f;
  const analyticsLight = r['app.analytics.1y.c1']!;
  const analyticsBusy = `app.analytics.1y.c${cfg.analyticsConnections}`;
  const { mod10k } = modifierJobs(f);
  return [
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
    // Issue 30's read path: prepared statements, no per-row churn.
    ['analytics 1y ≤ 8 ms of Next.js CPU per request', cpuPerRequest[analyticsBusy]!.app, 8, 'at most'],
    [`analytics 1y ≥ 120 req/s at ${cfg.analyticsConnections} connections`, r[analyticsBusy]!.rps, 120],
    [
      `volume per muscle group 1y p95 < 50 ms at ${cfg.analyticsConnections} connections`,
      r[`app.volume.1y.c${cfg.analyticsConnections}`]!.p95,
      50,
      'below',
    ],
    ['GET /modifiers ≥ 0.6× framework ceiling', ratio(r['app.modifiers']!.rps, r['ceiling.empty']!.rps), 0.6],
    ['session ingest (15 sets) ≥ 0.5× framework ceiling', ratio(r['app.session']!.rps, r['ceiling.session']!.rps), 0.5],
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
    [
      `simulate ${simulation.simulate.lifters} × ${simulation.simulate.weeks} into PGlite < 60 s`,
      simulation.simulate.seconds,
      60,
      'below',
    ],
    [
      `simulate:evaluate ${simulation.evaluate.lifters} × ${simulation.evaluate.weeks} × ${simulation.evaluate.policies} policies < 60 s`,
      simulation.evaluate.seconds,
      60,
      'below',
    ],
  ] as const;
}

/** Latency and throughput of every HTTP target, with its ratio to its ceiling and to the bare baseline. */
function httpTable({ cfg, results: r }: BenchFigures): string[] {
  const c = cfg.connections;
  const b = cfg.batchConnections;
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
  row('4b. GET /api/v1/analytics/volume?range=1y, 1 conn.', 'app.volume.1y.c1', 0);
  row(
    `4b. GET /api/v1/analytics/volume?range=1y, ${cfg.analyticsConnections} conn.`,
    `app.volume.1y.c${cfg.analyticsConnections}`,
    0,
  );
  return lines;
}

function cpuTable({ cpuPerRequest }: BenchFigures): string[] {
  const lines: string[] = [];
  lines.push(`| CPU ms per request | Next.js process | load generator + bare baseline | PostgreSQL |`);
  lines.push(`| --- | ---: | ---: | ---: |`);
  for (const [name, c2] of Object.entries(cpuPerRequest)) {
    lines.push(`| ${name} | ${c2.app.toFixed(2)} | ${c2.bench.toFixed(2)} | ${c2.postgres.toFixed(2)} |`);
  }
  return lines;
}

/** The jobs, learning, the experiment report and the imports. */
function batchTables(f: BenchFigures): string[] {
  const { jobs, learning, experiment, imports, pathological } = f;
  const lines: string[] = [];
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
  const { simulate, evaluate, writers } = f.simulation;
  lines.push(`| Simulation | lifters | weeks | seconds | |`);
  lines.push(`| --- | ---: | ---: | ---: | --- |`);
  lines.push(
    `| 20. npm run simulate, into a fresh PGlite (analytics job included) | ${simulate.lifters} | ${simulate.weeks} | ${simulate.seconds.toFixed(1)} | |`,
  );
  lines.push(
    `| 21. npm run simulate:evaluate, ${evaluate.policies} policies | ${evaluate.lifters} | ${evaluate.weeks} | ${evaluate.seconds.toFixed(1)} | ${Math.round((evaluate.lifters * evaluate.policies) / evaluate.seconds)} lifter-runs/s |`,
  );
  lines.push(
    `| 22. writing ${writers.sets} sets: bulk against the ingest services (PGlite) | ${writers.lifters} | 26 | ${writers.bulkSeconds.toFixed(2)} / ${writers.servicesSeconds.toFixed(2)} | ${(writers.servicesSeconds / writers.bulkSeconds).toFixed(1)}× faster |`,
  );
  lines.push('');
  lines.push(`| Pathological import (issue 29) over HTTP | MB | answer | seconds | server peak RSS growth |`);
  lines.push(`| --- | ---: | ---: | ---: | ---: |`);
  for (const [i, p] of pathological.entries()) {
    lines.push(
      `| ${14 + i}. ${p.name} | ${p.megabytes.toFixed(1)} | ${p.status} | ${p.seconds.toFixed(2)} | ${p.peakRssGrowthMb.toFixed(0)} MB |`,
    );
  }
  return lines;
}

function targetsTable(f: BenchFigures): string[] {
  const { mod10k, mod1k, split10k } = modifierJobs(f);
  const lines: string[] = [];
  lines.push(`| Target | measured | goal | |`);
  lines.push(`| --- | ---: | ---: | --- |`);
  for (const [label, value, goal, dir] of targetsOf(f)) {
    const met = dir === 'below' ? value < goal : dir === 'at most' ? value <= goal : value >= goal;
    lines.push(
      `| ${label} | ${Number.isFinite(value) ? (value < 10 ? value.toFixed(2) : value.toFixed(0)) : 'n/a'} | ${goal} | ${met ? 'met' : 'MISSED'} |`,
    );
  }
  lines.push(
    `\nModifier job growth: ${(mod10k.seconds / mod1k.seconds).toFixed(1)}× the time for ${(mod10k.users / mod1k.users).toFixed(1)}× the users ` +
      `(${(mod10k.setsRead / mod1k.setsRead).toFixed(1)}× the sets).`,
  );
  lines.push(
    `Modifier job at ${mod10k.users} users in two partitions side by side: ${split10k.seconds.toFixed(1)} s, ` +
      `${(mod10k.seconds / split10k.seconds).toFixed(2)}× the speed of one call (${mod10k.seconds.toFixed(1)} s).`,
  );
  return lines;
}
