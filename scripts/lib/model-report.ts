import type { ForecastMetrics } from '@/server/learning/metrics';

const f = (x: number | null | undefined, digits = 4) => (x === null || x === undefined ? '—' : x.toFixed(digits));

/** The model against its baselines, and its calibration table, as the CLI prints them. */
export function metricsReport(metrics: Record<string, ForecastMetrics>): string {
  const lines = ['                 log loss    Brier      AUC      ECE'];
  for (const [name, m] of Object.entries(metrics)) {
    lines.push(
      `  ${name.padEnd(12)} ${f(m.logLoss).padStart(9)} ${f(m.brier).padStart(8)} ${f(m.auc, 3).padStart(8)} ${f(m.ece).padStart(8)}`,
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
