/** `npm run model:show -- V`: one model: its window, metrics against the baselines, calibration and weights. */
import { openDatabaseFromEnv } from '@/server/db';
import { FEATURE_SCHEMA_HASH } from '@/server/learning/model-features';
import { getModel, UnknownModelError } from '@/server/learning/models';
import { shadowWeeks } from '@/server/learning/shadow-report';
import { metricsReport } from './lib/model-report';

const arg = process.argv.slice(2).find((a) => a !== '--');
if (!arg || !/^\d+$/.test(arg)) {
  console.error('Usage: npm run model:show -- VERSION');
  process.exit(1);
}
const database = await openDatabaseFromEnv();
try {
  const m = await getModel(database.db, Number(arg));
  console.log(
    `Model v${m.version}, ${m.library}, trained ${m.createdAt.toISOString()} (seed ${m.seed}, target ${m.target})`,
  );
  console.log(
    `Weeks ${m.trainedFrom} … ${m.trainedTo}; validation from ${m.validationFrom}; rows ${m.trainRows} + ${m.validationRows}`,
  );
  console.log(
    `Feature schema ${m.schemaHash}${m.schemaHash === FEATURE_SCHEMA_HASH ? '' : ` — STALE (the pipeline's is ${FEATURE_SCHEMA_HASH}): cannot serve`}\n`,
  );
  console.log(metricsReport(m.metrics));
  console.log('\n  P(success) weights (standardized features):');
  for (const [i, w] of m.parameters.success.weights.entries()) {
    console.log(`    ${m.parameters.features[i]!.padEnd(22)} ${w.toFixed(3)}`);
  }
  console.log(`    ${'(bias)'.padEnd(22)} ${m.parameters.success.bias.toFixed(3)}`);
  console.log(
    `  strength gain: a network of ${m.parameters.gain.hidden.outputs} tanh units, fitted on ${m.parameters.gain.fittedOn} decisions`,
  );
  const shadow = await shadowWeeks(database.db, `model@${m.version}`);
  console.log(
    shadow.length
      ? '\n  in shadow, by week: proposals, differing, mean |gap|, agreed & observed, predicted → observed'
      : '\n  not in shadow yet',
  );
  for (const w of shadow) {
    const f = (x: number | null) => (x === null ? '—' : x.toFixed(3));
    console.log(
      `    ${w.week}  ${String(w.proposals).padStart(6)}  ${String(w.disagreements).padStart(6)}  ${f(w.meanGap)}  ` +
        `${String(w.observedCount).padStart(6)}  ${f(w.predicted)} → ${f(w.observed)}`,
    );
  }
} catch (err) {
  if (!(err instanceof UnknownModelError)) throw err;
  console.error(err.message);
  process.exitCode = 1;
} finally {
  await database.close();
}
