import { describe, expect, it } from 'vitest';
import { auc, brier, calibration, logLoss } from '@/server/learning/metrics';

describe('forecast metrics, against worked examples', () => {
  it('log loss: −mean(y·ln p + (1−y)·ln(1−p))', () => {
    expect(logLoss([0.5, 0.5], [1, 0])).toBeCloseTo(Math.LN2, 12);
    expect(logLoss([0.9, 0.2], [1, 0])).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 12);
    expect(Number.isFinite(logLoss([0, 1], [1, 0]))).toBe(true); // clipped, never infinite
  });

  it('Brier score: mean squared error of the probability', () => {
    expect(brier([1, 0], [1, 0])).toBe(0);
    expect(brier([0.7, 0.4], [1, 0])).toBeCloseTo((0.09 + 0.16) / 2, 12);
  });

  it.each([
    [[0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1], 0.75], // the classic scikit-learn example
    [[0.2, 0.8], [0, 1], 1],
    [[0.8, 0.2], [0, 1], 0],
    [[0.5, 0.5, 0.5], [0, 1, 1], 0.5], // all tied: chance
    [[0.3, 0.6], [1, 1], null], // one class only
  ])('AUC of %j against %j is %s', (p, y, expected) => {
    const got = auc(p, y);
    if (expected === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(expected, 12);
  });

  it('calibration: ten bins of predictions, observed rates, and the expected calibration error', () => {
    const p = [0.05, 0.05, 0.95, 0.95, 0.55, 0.55, 0.55, 0.55];
    const y = [0, 0, 1, 1, 1, 0, 1, 1];
    const { bins, ece } = calibration(p, y);
    expect(bins).toHaveLength(10);
    expect(bins[0]).toMatchObject({ count: 2, observed: 0 });
    expect(bins[5]).toMatchObject({ count: 4, observed: 0.75 });
    expect(bins[9]).toMatchObject({ count: 2, observed: 1 });
    expect(bins[3]).toMatchObject({ count: 0, predicted: null, observed: null });
    // |0.05−0|·2/8 + |0.55−0.75|·4/8 + |0.95−1|·2/8
    expect(ece).toBeCloseTo(0.0125 + 0.1 + 0.0125, 12);
  });
});
