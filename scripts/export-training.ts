/**
 * `npm run export:training -- [--format csv|parquet] [--out FILE]`: the training data set — a decision row per
 * lifter × exercise × week (features, the action served, outcomes), opted-in lifters only, pseudonymised
 * (docs/training-data.md). Streamed: lifters are read and written in batches, with progress.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify';
import { fileWriter, ParquetWriter, schemaFromColumnData } from 'hyparquet-writer';
import { openDatabaseFromEnv } from '@/server/db';
import { DECISION_COLUMNS, type FlatDecisionRow } from '@/server/learning/decision-rows';
import { exportDecisionRows } from '@/server/learning/training-export';
import { calendarDate, isoWeekStart } from '@/server/time/calendar';
import { wallClock } from '@/server/time/clock';

const { values } = parseArgs({
  options: { format: { type: 'string', default: 'csv' }, out: { type: 'string' } },
});
if (values.format !== 'csv' && values.format !== 'parquet') {
  console.error('--format takes csv or parquet');
  process.exit(2);
}
const format = values.format;
const out = values.out ?? `training.${format}`;
const names = DECISION_COLUMNS.map(([name]) => name);

/** Writes rows as they come: CSV through a stream, Parquet a row group per batch of lifters. */
function sink(): { write(rows: FlatDecisionRow[]): Promise<void>; end(): Promise<void> } {
  if (format === 'csv') {
    const file = createWriteStream(out);
    const csv = stringify({ header: true, columns: names, cast: { boolean: (v) => (v ? 'true' : 'false') } });
    csv.pipe(file);
    return {
      async write(rows) {
        for (const row of rows) if (!csv.write(row)) await once(csv, 'drain');
      },
      async end() {
        csv.end();
        await once(file, 'finish');
      },
    };
  }
  const columns = (rows: FlatDecisionRow[]) =>
    DECISION_COLUMNS.map(([name, type]) => ({ name, type, data: rows.map((r) => r[name]) }));
  const writer = new ParquetWriter({
    writer: fileWriter(out),
    schema: schemaFromColumnData({ columnData: columns([]) }),
  });
  let pending: FlatDecisionRow[] = [];
  const flush = () => {
    if (pending.length > 0) writer.write({ columnData: columns(pending), rowGroupSize: pending.length });
    pending = [];
  };
  return {
    async write(rows) {
      pending.push(...rows);
      if (pending.length >= 50_000) flush();
    },
    async end() {
      flush();
      writer.finish();
    },
  };
}

const database = await openDatabaseFromEnv();
try {
  const started = performance.now();
  const target = sink();
  const result = await exportDecisionRows(database.db, (rows) => target.write(rows), {
    throughWeek: isoWeekStart(calendarDate(wallClock())),
    onProgress: ({ users, rows }) => console.log(`  ${users} lifters, ${rows} decision rows …`),
  });
  await target.end();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `Wrote ${result.rows} decision rows of ${result.users} opted-in lifters to ${out} (${format}) in ${seconds} s.`,
  );
} finally {
  await database.close();
}
