import { readFileSync } from 'node:fs';

/**
 * A process's peak resident memory so far (VmHWM in /proc/<pid>/status, Linux), in MB; undefined where it
 * cannot be read. The bench prints it for the app's processes: its garbage collector settings trade memory
 * for fewer full collections (HEAP_GROWING_PERCENT), so the cost is reported beside the latencies.
 */
export function peakRssMb(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}
