// Preloaded into the bench's `next start` processes (`node --require`): appends each garbage collection to
// the file named by BENCH_GC_LOG, one JSON line per GC — {"pid", "at" (wall-clock ms when it began), "ms"
// (the pause), "major" (a mark-compact, not a scavenge)} — so the bench can tell which responses were in
// flight during a mark-compact pause. Plain CommonJS: production `next start` has no TypeScript loader.
// Does nothing without BENCH_GC_LOG. GC entries reach an observer asynchronously, so a process that exits at
// once can lose its last few; the bench's servers live for the whole run.
// Besides, for each mark-compact, the old generation's size before and after it ({"pid", "heap": true, "at"
// (when written), "oldBefore", "oldAfter"} in bytes, from v8.GCProfiler): the next one's oldBefore over this
// one's oldAfter is the growth factor V8 chose, which tells a run where full collections pile up (BENCHMARKS.md,
// change 22) from one whose live data grew.
'use strict';
const { appendFileSync } = require('node:fs');
const { PerformanceObserver, constants, performance } = require('node:perf_hooks');
const v8 = require('node:v8');

/** Bytes in use outside the young generation (new space, new large objects). */
const oldGeneration = (heap) =>
  heap.heapSpaceStatistics.filter((s) => !s.spaceName.startsWith('new_')).reduce((sum, s) => sum + s.spaceUsedSize, 0);

const file = process.env.BENCH_GC_LOG;
if (file) {
  let pending = [];
  const profiler = typeof v8.GCProfiler === 'function' ? new v8.GCProfiler() : null;
  profiler?.start();
  const flush = () => {
    if (profiler) {
      // The profiler hands its collections over on stop: take them and start again.
      const report = profiler.stop();
      profiler.start();
      for (const gc of report?.statistics ?? []) {
        if (gc.gcType !== 'MarkSweepCompact') continue;
        const line = { pid: process.pid, heap: true, at: Date.now(), oldBefore: oldGeneration(gc.beforeGC), oldAfter: oldGeneration(gc.afterGC) };
        pending.push(`${JSON.stringify(line)}\n`);
      }
    }
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
