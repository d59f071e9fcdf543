/** `npm run model:list`: every stored model version, newest first, with its window and validation metrics. */
import { openDatabaseFromEnv } from '@/server/db';
import type { ForecastMetrics } from '@/server/learning/metrics';
import { listModels } from '@/server/learning/models';

const database = await openDatabaseFromEnv();
try {
  const all = await listModels(database.db);
  if (all.length === 0) console.log('No models yet: npm run model:train');
  for (const m of all) {
    const model = (m.metrics as { model?: ForecastMetrics }).model;
    console.log(
      `v${m.version}  ${m.createdAt.toISOString().slice(0, 10)}  weeks ${m.trainedFrom} … ${m.trainedTo}  ` +
        `rows ${m.trainRows}+${m.validationRows}  log loss ${model?.logLoss.toFixed(4)}  ECE ${model?.ece.toFixed(4)}  ` +
        `target ${m.target}  ${m.library}`,
    );
  }
} finally {
  await database.close();
}
