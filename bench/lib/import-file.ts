import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REAL = 'tests/fixtures/imports/strong/comma-12-columns-kg.csv';

/**
 * A Strong export of about `sets` sets for the import bench: the real 12-column export's rows, copied with each copy
 * moved `k` weeks earlier (distinct workout starts, the same layout, quoting and values). Returns its path.
 */
export function writeStrongExport(sets: number): { file: string; sets: number } {
  const [header, ...rows] = readFileSync(REAL, 'utf8').trimEnd().split('\n');
  const out: string[] = [header!];
  for (let k = 0; out.length - 1 < sets; k++) {
    for (const row of rows) {
      if (out.length - 1 >= sets) break;
      const start = row.slice(0, 19);
      const moved = new Date(Date.parse(`${start.replace(' ', 'T')}Z`) - k * 7 * 86_400_000);
      out.push(`${moved.toISOString().slice(0, 19).replace('T', ' ')}${row.slice(19)}`);
    }
  }
  const file = path.join(os.tmpdir(), `overload-import-bench-${process.pid}.csv`);
  writeFileSync(file, `${out.join('\n')}\n`);
  return { file, sets: out.length - 1 };
}
