import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  durationSeconds: number;
  /**
   * Requests take these headers/bodies in turn (round robin over all connections), e.g. one per user: many
   * lifters each sending a little is what the service sees, not one lifter sending everything at once.
   */
  variants?: { headers?: Record<string, string>; body?: string }[];
}

export interface LoadResult {
  /** Every steady-state response time, ms: all but each connection's first (for pooling rounds). */
  times: number[];
  /**
   * Each connection's first response time, ms, kept apart: autocannon opens all its connections at once, and
   * a Node.js server accepts one new connection per turn of its event loop (libuv ≥ 1.45, "unix: don't
   * accept() connections in a loop", libuv/libuv#3696), so against a saturated
   * server the k-th connection's first answer waits k turns (reproduced with a bare node:http server that
   * spends 1 ms per request: up to 0.8 s). That is connection set-up at the start of a run, not the latency
   * of requests at N connections — yet it is ~1 % of a 6 s run, enough to be its p99.
   */
  firstTimes: number[];
  /** All responses, first ones included. */
  requests: number;
  /** Completed 2xx responses per second. */
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** The slowest first response of a connection (see `firstTimes`). */
  firstMax: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

const round1 = (ms: number) => Math.round(ms * 10) / 10;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/**
 * One autocannon run, bounded by time, against 127.0.0.1. Every response time is kept, so p95 is exact
 * (autocannon's own summary stops at p90 and p97.5).
 */
export function load(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const times: number[] = [];
    const firstTimes: number[] = [];
    const answered = new WeakSet<object>();
    let non2xx = 0;
    let next = 0;
    const instance = autocannon(
      {
        url: spec.url,
        method: spec.method ?? 'GET',
        headers: { 'content-type': 'application/json', ...spec.headers },
        body: spec.body,
        connections: spec.connections,
        duration: spec.durationSeconds,
        timeout: 10,
        ...(spec.variants?.length
          ? {
              requests: [
                {
                  setupRequest: (req: autocannon.Request) => {
                    const v = spec.variants![next++ % spec.variants!.length]!;
                    return {
                      ...req,
                      headers: { ...req.headers, ...v.headers },
                      ...(v.body !== undefined ? { body: v.body } : {}),
                    };
                  },
                },
              ],
            }
          : {}),
      },
      (err, result) => {
        if (err) return reject(err);
        const sorted = times.sort((a, b) => a - b);
        const requests = sorted.length + firstTimes.length;
        resolve({
          times: sorted,
          firstTimes,
          requests,
          rps: (requests - non2xx) / (result.duration || spec.durationSeconds),
          p50: round1(percentile(sorted, 50)),
          p95: round1(percentile(sorted, 95)),
          p99: round1(percentile(sorted, 99)),
          firstMax: round1(Math.max(0, ...firstTimes)),
          non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
        });
      },
    );
    instance.on('response', (client: object, statusCode: number, _bytes: number, responseTime: number) => {
      if (answered.has(client)) times.push(responseTime);
      else {
        answered.add(client);
        firstTimes.push(responseTime);
      }
      if (statusCode < 200 || statusCode >= 300) non2xx += 1;
    });
  });
}

/**
 * Several rounds of the same runs, interleaved (A, B, C, A, B, C, …), so a slow moment of a shared machine
 * hits every target alike. Throughput is the median round; latency percentiles are over all responses.
 */
export function combine(rounds: LoadResult[]): LoadResult {
  const times = rounds.flatMap((r) => r.times).sort((a, b) => a - b);
  const firstTimes = rounds.flatMap((r) => r.firstTimes);
  const rps = rounds.map((r) => r.rps).sort((a, b) => a - b);
  return {
    times,
    firstTimes,
    requests: rounds.reduce((a, r) => a + r.requests, 0),
    rps: rps[Math.floor(rps.length / 2)]!,
    p50: round1(percentile(times, 50)),
    p95: round1(percentile(times, 95)),
    p99: round1(percentile(times, 99)),
    firstMax: round1(Math.max(0, ...firstTimes)),
    non2xx: rounds.reduce((a, r) => a + r.non2xx, 0),
    errors: rounds.reduce((a, r) => a + r.errors, 0),
    timeouts: rounds.reduce((a, r) => a + r.timeouts, 0),
  };
}
