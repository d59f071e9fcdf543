/**
 * `npm run export:training -- --out training.csv`: the offline-training data set — recommended vs actual per
 * set, opted-in users only, pseudonymised (see server/privacy/training-export.ts).
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify';
import { openDatabaseFromEnv } from '@/server/db';
import { exportTrainingData, TRAINING_COLUMNS } from '@/server/privacy/training-export';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'training.csv' } } });
const database = await openDatabaseFromEnv();
const file = createWriteStream(values.out!);
const csv = stringify({ header: true, columns: [...TRAINING_COLUMNS] });
csv.pipe(file);
try {
  const started = Date.now();
  const result = await exportTrainingData(
    database.db,
    async (rows) => {
      for (const row of rows) if (!csv.write(row)) await once(csv, 'drain');
    },
    (users) => {
      if (users % 100 === 0) console.log(`  ${users} users …`);
    },
  );
  csv.end();
  await once(file, 'finish');
  console.log(
    `Wrote ${result.rows} sets of ${result.users} opted-in users to ${values.out} in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
} finally {
  await database.close();
}
