import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { combine, load } from '../../bench/lib/load';

// A server whose first answer on every connection is late, as a busy server's is (it accepts one new
// connection per turn of its event loop): the bench keeps those first answers out of the steady-state
// percentiles and reports them on their own.
const FIRST_DELAY_MS = 800;
let server: http.Server;
let url: string;
beforeAll(async () => {
  const seen = new WeakSet<object>();
  server = http.createServer((req, res) => {
    req.resume();
    const first = !seen.has(req.socket);
    seen.add(req.socket);
    setTimeout(() => res.end('{}'), first ? FIRST_DELAY_MS : 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it('keeps each connection’s first response out of the latency percentiles, and reports it apart', async () => {
  const started = Date.now();
  const r = await load({ url, connections: 3, durationSeconds: 2 });
  const ended = Date.now();
  expect(r.firstTimes).toHaveLength(3);
  // The same steady-state responses, in completion order with their wall-clock end (to line up with GC).
  expect(r.completions.map((c) => c.ms).sort((a, b) => a - b)).toEqual(r.times);
  for (const c of r.completions) expect(c.at).toBeGreaterThanOrEqual(started + FIRST_DELAY_MS - 5);
  for (const c of r.completions) expect(c.at).toBeLessThanOrEqual(ended + 5);
  expect(r.completions.map((c) => c.at)).toEqual([...r.completions.map((c) => c.at)].sort((a, b) => a - b));
  expect(Math.min(...r.firstTimes)).toBeGreaterThanOrEqual(FIRST_DELAY_MS - 5);
  expect(r.firstMax).toBeGreaterThanOrEqual(FIRST_DELAY_MS - 5);
  expect(r.times.length).toBeGreaterThan(10);
  expect(Math.max(...r.times)).toBeLessThan(FIRST_DELAY_MS - 5);
  expect(r.p99).toBeLessThan(FIRST_DELAY_MS - 5);
  expect(r.requests).toBe(r.times.length + 3); // counted in throughput all the same

  const pooled = combine([r, r]);
  expect(pooled.requests).toBe(2 * r.requests);
  expect(pooled.firstTimes).toHaveLength(6);
  expect(pooled.completions).toHaveLength(2 * r.completions.length);
  expect(pooled.p99).toBeLessThan(FIRST_DELAY_MS - 5);
});
