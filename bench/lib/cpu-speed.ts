import os from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * How fast each vCPU runs right now: one worker thread per vCPU counts in a plain loop for `ms` and reports
 * millions of iterations a second. On a shared VM the figure moves (here between ~1,500 and ~2,500 per vCPU,
 * switching every 20–60 s), and every single-threaded figure moves with it, so the bench prints it per round.
 * The workers spin at once, so with nothing else running they land on different vCPUs.
 */
export async function probeCpuSpeed(ms = 300, threads = os.availableParallelism()): Promise<number[]> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    // In a function, so the counter is a local the optimiser keeps in a register.
    function count(ms) {
      let n = 0;
      const start = Date.now();
      while (Date.now() < start + ms) for (let i = 0; i < 1000; i++) n++;
      return n / (Date.now() - start) / 1000;
    }
    parentPort.postMessage(count(workerData));
  `;
  const speeds = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(code, { eval: true, workerData: ms });
          worker.once('message', (perMs: number) => resolve(perMs));
          worker.once('error', reject);
        }),
    ),
  );
  return speeds.map((s) => Math.round(s)).sort((a, b) => a - b);
}

// `npx tsx bench/lib/cpu-speed.ts [seconds]`: watch the vCPUs' speed for a while (every 5 s, in M iterations/s).
if (import.meta.url === `file://${process.argv[1]}`) {
  const seconds = Number(process.argv[2] ?? 60);
  for (let t = 5; t <= seconds; t += 5) console.log(`${String(t).padStart(4)} s  ${(await probeCpuSpeed(5000)).join(' / ')} M iterations/s`);
}
