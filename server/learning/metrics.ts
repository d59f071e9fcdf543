/**
 * How good a probability forecast is, against what happened (1 or 0): the measures a model is judged by, beside its
 * baselines. Plain arithmetic over arrays; tested against worked examples.
 */
export interface CalibrationBin {
  /** The bin's range of predicted probability, [from, to). */
  from: number;
  to: number;
  count: number;
  /** Mean prediction and observed rate in the bin; null when empty. */
  predicted: number | null;
  observed: number | null;
}

export interface ForecastMetrics {
  count: number;
  logLoss: number;
  brier: number;
  auc: number | null;
  ece: number;
  calibration: CalibrationBin[];
}

const EPS = 1e-7;
const clip = (p: number) => Math.min(1 - EPS, Math.max(EPS, p));

export function logLoss(p: readonly number[], y: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum -= y[i]! ? Math.log(clip(p[i]!)) : Math.log(1 - clip(p[i]!));
  return sum / p.length;
}

export function brier(p: readonly number[], y: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += (p[i]! - y[i]!) ** 2;
  return sum / p.length;
}

/** Area under the ROC curve: the chance a random positive scores above a random negative (ties count half). */
export function auc(p: readonly number[], y: readonly number[]): number | null {
  const order = p.map((v, i) => [v, y[i]!] as const).sort((a, b) => a[0] - b[0]);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j]![0] === order[i]![0]) j++;
    const rank = (i + 1 + j) / 2; // average rank of the tie group, 1-based
    for (let k = i; k < j; k++)
      if (order[k]![1]) {
        positives++;
        rankSum += rank;
      }
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Ten equal-width bins of predicted probability, and the expected calibration error over them. */
export function calibration(
  p: readonly number[],
  y: readonly number[],
  bins = 10,
): { bins: CalibrationBin[]; ece: number } {
  const sums = Array.from({ length: bins }, () => ({ count: 0, p: 0, y: 0 }));
  for (let i = 0; i < p.length; i++) {
    const b = sums[Math.min(bins - 1, Math.floor(p[i]! * bins))]!;
    b.count++;
    b.p += p[i]!;
    b.y += y[i]!;
  }
  let ece = 0;
  const out = sums.map((b, i) => {
    if (b.count > 0) ece += (b.count / p.length) * Math.abs(b.p / b.count - b.y / b.count);
    return {
      from: i / bins,
      to: (i + 1) / bins,
      count: b.count,
      predicted: b.count ? b.p / b.count : null,
      observed: b.count ? b.y / b.count : null,
    };
  });
  return { bins: out, ece };
}

export function forecastMetrics(p: readonly number[], y: readonly number[]): ForecastMetrics {
  const { bins, ece } = calibration(p, y);
  return { count: p.length, logLoss: logLoss(p, y), brier: brier(p, y), auc: auc(p, y), ece, calibration: bins };
}
