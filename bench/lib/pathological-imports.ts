import { readFileSync } from 'node:fs';
import { processTree } from './cpu';

/**
 * Issue 29's pathological exports, posted to the running app as a lifter would: 5.24 million rows of `,,,` under a
 * Strong header with `skip_invalid=true` (94.5 s and +253 MB before the limits), and a single 20 MB line (+487 MB).
 * Each must be answered within 5 s with the server's RSS growing by less than 50 MB (target); measured here as the
 * time to the answer and the server process tree's peak RSS over its RSS before, sampled every 10 ms.
 */
export interface PathologicalImport {
  name: string;
  megabytes: number;
  status: number;
  seconds: number;
  peakRssGrowthMb: number;
}

const STRONG_HEADER =
  'Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE';

function rssOf(pids: number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
      kb += Number(line?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return kb * 1024;
}

export async function postPathologicalImports(
  appUrl: string,
  token: string,
  appPid: number,
): Promise<PathologicalImport[]> {
  const files = [
    {
      name: "5.24 M rows of ',,,', skip_invalid",
      query: '?unit=kg&skip_invalid=true',
      body: `${STRONG_HEADER}\n${',,,\n'.repeat(5_240_000)}`,
    },
    { name: 'one 20 MB line', query: '?unit=kg', body: `${STRONG_HEADER}\n${'x'.repeat(20 * 1024 * 1024 - 200)}` },
  ];
  const out: PathologicalImport[] = [];
  for (const f of files) {
    const pids = processTree(appPid);
    const before = rssOf(pids);
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssOf(pids));
    }, 10);
    const started = performance.now();
    const res = await fetch(`${appUrl}/api/v1/imports${f.query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: f.body,
    });
    await res.arrayBuffer();
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, rssOf(pids));
    out.push({
      name: f.name,
      megabytes: Buffer.byteLength(f.body) / 2 ** 20,
      status: res.status,
      seconds,
      peakRssGrowthMb: (peak - before) / 2 ** 20,
    });
  }
  return out;
}
