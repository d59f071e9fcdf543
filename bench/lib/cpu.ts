import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time used by the processes of a run, from /proc (Linux): the server under test, this process (the load
 * generator and the bare baseline) and every PostgreSQL process. Per request, it says where the machine's
 * cores went — which is what limits throughput on a small machine.
 */
export interface CpuSnapshot {
  app: number;
  bench: number;
  postgres: number;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** The fields of /proc/<pid>/stat after the command name (state, ppid, …); throws if the process is gone. */
function statFields(pid: number | string): string[] {
  return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
}

function ticksOf(pid: number): number {
  try {
    const fields = statFields(pid);
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return 0;
  }
}

/** A process and all its descendants (`next start` may fork a worker for its server). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  try {
    for (const p of readdirSync('/proc')) {
      if (!/^\d+$/.test(p)) continue;
      try {
        const ppid = Number(statFields(p)[1]);
        children.set(ppid, [...(children.get(ppid) ?? []), Number(p)]);
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    return [root];
  }
  const all = [root];
  for (let i = 0; i < all.length; i++) all.push(...(children.get(all[i]!) ?? []));
  return all;
}

function postgresPids(): number[] {
  try {
    return readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return readFileSync(`/proc/${p}/comm`, 'utf8').startsWith('postgres');
        } catch {
          return false;
        }
      })
      .map(Number);
  } catch {
    return [];
  }
}

export interface CpuReading {
  app: number;
  bench: number;
  /** Per PostgreSQL process: they come and go (autovacuum workers, connections). */
  postgres: Map<number, number>;
}

/** `app`: the server under test — its process trees (and any store of its own, e.g. its Redis). */
export function cpuSnapshot(appPid: number | readonly number[] | undefined): CpuReading {
  const roots = appPid === undefined ? [] : typeof appPid === 'number' ? [appPid] : appPid;
  return {
    app: roots.flatMap(processTree).reduce((sum, pid) => sum + ticksOf(pid), 0) / CLOCK_TICKS,
    bench: ticksOf(process.pid) / CLOCK_TICKS,
    postgres: new Map(postgresPids().map((pid) => [pid, ticksOf(pid) / CLOCK_TICKS])),
  };
}

/** CPU seconds since `before`. A PostgreSQL process that ended meanwhile is lost (its time cannot be read). */
export function cpuSince(before: CpuReading, appPid: number | readonly number[] | undefined): CpuSnapshot {
  const now = cpuSnapshot(appPid);
  let postgres = 0;
  for (const [pid, seconds] of now.postgres) postgres += seconds - (before.postgres.get(pid) ?? 0);
  return { app: now.app - before.app, bench: now.bench - before.bench, postgres };
}
