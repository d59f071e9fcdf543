import type { ForecastMetrics } from '@/server/learning/metrics';
import { type GainMetrics, MIN_EXPLORED } from '@/server/learning/train';

const f = (x: number | null | undefined, digits = 4) => (x === null || x === undefined ? '—' : x.toFixed(digits));

type StoredMetrics = Record<string, ForecastMetrics> & { gain?: GainMetrics };

/** The model's two heads against their baselines, and its calibration table, as the CLI prints them. */
export function metricsReport(stored: Record<string, unknown>): string {
  const metrics = stored as StoredMetrics;
  const lines = ['  P(success next week)  log loss    Brier      AUC      ECE'];
  for (const name of ['model', 'baseRate', 'lastWeek']) {
    const m = metrics[name];
    if (!m) continue;
    lines.push(
      `  ${name.padEnd(21)} ${f(m.logLoss).padStart(9)} ${f(m.brier).padStart(8)} ${f(m.auc, 3).padStart(8)} ${f(m.ece).padStart(8)}`,
    );
  }
  const g = metrics.gain;
  if (g) {
    lines.push(
      '',
      `  strength gain over 4 weeks (×100 log), fitted on ${g.trainRows} ${g.fittedOn === 'explored' ? 'explored decisions weighted by 1/propensity' : `served decisions (fewer than ${MIN_EXPLORED} explored: the step is confounded with the context)`}:`,
      `    RMSE ${f(g.rmse, 3)} against ${f(g.meanRmse, 3)} for the training mean, on ${g.count} validation decisions`,
    );
  }
  const model = metrics.model;
  if (model) {
    lines.push('', '  calibration (validation weeks): predicted → observed, rows');
    for (const b of model.calibration) {
      lines.push(`    ${b.from.toFixed(1)}–${b.to.toFixed(1)}  ${f(b.predicted, 3)} → ${f(b.observed, 3)}  ${b.count}`);
    }
  }
  return lines.join('\n');
}
