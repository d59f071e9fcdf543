import { parseArgs } from 'node:util';

/** The bench's command line: sizes and durations; `--smoke` for the test suite's tiny run. */
export function benchConfig() {
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
    smoke,
    build: !values['no-build'],
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
  return cfg;
}

export type BenchConfig = ReturnType<typeof benchConfig>;

export const log = (msg: string) => console.log(`[bench] ${msg}`);
export const seconds = (ms: number) => ms / 1000;
