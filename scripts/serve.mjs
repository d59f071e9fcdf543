/**
 * `npm start`: the production server, as `WEB_CONCURRENCY` `next start` processes sharing one port
 * (node:cluster hands each new connection to the next worker).
 *
 * Why: `next start` runs every request on one JavaScript thread, so on a machine with more cores one of them
 * does the work while the others idle (BENCHMARKS.md, "What limits single-event p99"). What is per process:
 * the rate limiter (a token can get up to WEB_CONCURRENCY × RATE_LIMIT_PER_MINUTE across parallel
 * connections), the API-token cache and the instrument group writer — as with several instances.
 *
 * A worker that exits on its own is replaced, unless it died right after starting or five were replaced within
 * the last minute: then the server stops with a failure, for its supervisor to see (restart-policy.mjs).
 *
 * Each serving process also sets how far V8's old generation grows between full collections
 * (`HEAP_GROWING_PERCENT`, scripts/lib/heap-growth.mjs): on Node.js 20, further, for fewer of the pauses that
 * make the slowest responses.
 *
 * Plain JavaScript on purpose: production starts without a TypeScript loader. Arguments go to `next start`.
 */
import cluster from 'node:cluster';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { heapGrowthFlag } from './lib/heap-growth.mjs';
import { afterWorkerExit, restartLimits } from './lib/restart-policy.mjs';
import { workerCount } from './lib/worker-count.mjs';

const require = createRequire(import.meta.url);
// OVERLOAD_NEXT_BIN: only for the tests of this script, which stand a tiny server in for Next.
const nextBin =
  process.env.OVERLOAD_NEXT_BIN ??
  path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'next', 'dist', 'bin', 'next');

// Read (and a bad value refused) at start, in the primary before it forks. Why: scripts/lib/heap-growth.mjs.
const heapGrowth = heapGrowthFlag(process.env);

/** Runs `next start <args>` in this process. */
function runNext() {
  // Before Next.js loads, in every process that serves (V8 flags are per process). Node's docs warn that
  // flags changed after start may misbehave; this one is a number V8 reads at each full collection, and a test
  // checks it takes effect when set this way (tests/unit/serve.test.ts).
  v8.setFlagsFromString(heapGrowth);
  console.log(`[serve] ${heapGrowth} in pid ${process.pid}`);
  process.argv = [process.argv[0], nextBin, 'start', ...process.argv.slice(2)];
  require(nextBin);
}

if (!cluster.isPrimary) {
  runNext();
} else {
  const { workers, reason } = workerCount(process.env, os.availableParallelism());
  if (workers === 1) {
    if (reason) console.log(`[serve] one process: ${reason}`);
    runNext();
  } else {
    console.log(`[serve] ${workers} next start workers on one port (WEB_CONCURRENCY)`);
    let stopping = false;
    const limits = restartLimits(process.env);
    const started = new Map(); // worker id → when it was forked, for every worker still running
    let restarts = []; // when replacements were forked, within the restart window
    const fork = () => started.set(cluster.fork().id, Date.now());
    const stopWorkers = () => {
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
    };
    for (let i = 0; i < workers; i++) fork();
    cluster.on('exit', (worker, code, signal) => {
      const now = Date.now();
      const lived = now - (started.get(worker.id) ?? 0);
      started.delete(worker.id);
      if (stopping) {
        if (started.size === 0) process.exit(); // with process.exitCode
        return;
      }
      // Replace it, or stop rather than fork in a loop (scripts/lib/restart-policy.mjs).
      const decision = afterWorkerExit({ lived, now, restarts }, limits);
      restarts = decision.recent;
      if (decision.action === 'stop') {
        console.error(`[serve] worker ${worker.process.pid} exited (${signal ?? code}) ${decision.reason}; stopping`);
        stopWorkers();
        process.exitCode = 1;
        if (started.size === 0) process.exit();
        return;
      }
      console.error(`[serve] worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
      restarts.push(now);
      fork();
    });
    for (const signal of ['SIGTERM', 'SIGINT']) {
      process.on(signal, () => {
        stopWorkers();
        setTimeout(() => process.exit(), 10_000).unref();
      });
    }
  }
}
