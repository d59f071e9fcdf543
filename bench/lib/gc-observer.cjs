// Preloaded into the bench's `next start` processes (`node --require`): appends each garbage collection to
// the file named by BENCH_GC_LOG, one JSON line per GC — {"pid", "at" (wall-clock ms when it began), "ms"
// (the pause), "major" (a mark-compact, not a scavenge)} — so the bench can tell which responses were in
// flight during a mark-compact pause. Plain CommonJS: production `next start` has no TypeScript loader.
// Does nothing without BENCH_GC_LOG. GC entries reach an observer asynchronously, so a process that exits at
// once can lose its last few; the bench's servers live for the whole run.
'use strict';
const { appendFileSync } = require('node:fs');
const { PerformanceObserver, constants, performance } = require('node:perf_hooks');

const file = process.env.BENCH_GC_LOG;
if (file) {
  let pending = [];
  const flush = () => {
    if (pending.length === 0) return;
    // One append of whole lines: with O_APPEND, workers of one cluster do not interleave inside a line.
    appendFileSync(file, pending.join(''));
    pending = [];
  };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const major = entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR;
      pending.push(
        `${JSON.stringify({ pid: process.pid, at: performance.timeOrigin + entry.startTime, ms: entry.duration, major })}\n`,
      );
    }
  }).observe({ entryTypes: ['gc'] });
  // Written every 250 ms rather than per GC (a scavenge every ~50 ms under load); the bench waits longer than
  // that before reading. unref: the timer must not keep a stopping server alive.
  setInterval(flush, 250).unref();
  process.on('exit', flush);
}
