import { describe, expect, it } from 'vitest';
import { SUCCESS_RATE } from '@/server/learning/model';
import { rulesPolicy } from '@/server/modifiers/policies';
import { HALF_INTENSITY, pSet } from '@/server/simulation/lifter-model';
import { drawPopulation } from '@/server/simulation/population';
import { simulate } from '@/server/simulation/simulate';
import { pAtLeast, prescription, pWeekSuccess } from '@/server/simulation/truth';

/** Every outcome of the trials, enumerated: the definition pAtLeast must agree with. */
function bruteForce(ps: readonly number[], k: number): number {
  let total = 0;
  for (let mask = 0; mask < 2 ** ps.length; mask++) {
    let p = 1;
    let made = 0;
    ps.forEach((pi, i) => {
      const hit = (mask >> i) & 1;
      made += hit;
      p *= hit ? pi : 1 - pi;
    });
    if (made >= k) total += p;
  }
  return total;
}

const choose = (n: number, k: number): number => (k === 0 ? 1 : (choose(n - 1, k - 1) * n) / k);

describe('pAtLeast: the Poisson binomial tail', () => {
  it.each([
    [[0.9, 0.8, 0.7, 0.95, 0.5, 0.99], 5],
    [[0.1, 0.2, 0.3], 2],
    [[0.5, 0.5, 0.5, 0.5], 4],
    [[0.33, 0.66, 0.99, 0.01, 0.5], 1],
  ])('equals the enumeration of every outcome for %j, at least %i', (ps, k) => {
    expect(pAtLeast(ps, k)).toBeCloseTo(bruteForce(ps, k), 12);
  });

  it('equals the binomial tail when every trial is alike: 6 trials at 0.9, at least 5', () => {
    const binomial = choose(6, 5) * 0.9 ** 5 * 0.1 + 0.9 ** 6; // 0.885735
    expect(pAtLeast(Array(6).fill(0.9), 5)).toBeCloseTo(binomial, 12);
    expect(binomial).toBeCloseTo(0.885735, 6);
  });

  it.each([
    [0, 1],
    [-1, 1],
    [4, 0],
  ])('at least %i of 3 trials: %f', (k, expected) => {
    expect(pAtLeast([0.3, 0.6, 0.9], k)).toBeCloseTo(expected, 12);
  });
});

describe('pWeekSuccess: the true chance a week goes as planned', () => {
  it('is near 1 far below capacity, near 0 above it, and falls as the load rises', () => {
    expect(pWeekSuccess(60, 5, 150)).toBeGreaterThan(0.999);
    expect(pWeekSuccess(140, 5, 150)).toBeLessThan(0.001);
    const loads = [100, 105, 110, 115, 120, 125];
    const ps = loads.map((w) => pWeekSuccess(w, 5, 150));
    for (let i = 1; i < ps.length; i++) expect(ps[i]!).toBeLessThan(ps[i - 1]!);
  });

  it('asks every set at least the first set’s intensity: no better than one set at it, to the power needed', () => {
    // At the half-way intensity a single set is a coin toss; the week needs 5 of 6, each a little harder.
    const weight = (HALF_INTENSITY * 150) / (1 + 5 / 30);
    expect(pSet(HALF_INTENSITY)).toBeCloseTo(0.5, 12);
    expect(pWeekSuccess(weight, 5, 150)).toBeLessThan(pAtLeast(Array(6).fill(0.5), 5));
  });

  it('predicts what the simulator draws: over 9,000 simulated weeks, expected and observed successes agree', () => {
    const lifters = drawPopulation(300, 21);
    const world = simulate({ lifters, startWeek: '2025-01-06', weeks: 10, seed: 21, policy: rulesPolicy });
    const observed = new Map(
      [...world.histories.values()].flatMap((h) =>
        h.exerciseWeeks.map((w) => [`${h.userId}/${w.exercise}/${w.weekStart}`, w.successes / w.sample] as const),
      ),
    );
    // Bins of predicted probability: within each, the share of weeks that went as planned matches.
    const bins = Array.from({ length: 5 }, () => ({ expected: 0, observed: 0, n: 0 }));
    for (const t of world.truth) {
      const { weight, reps } = prescription(t.base, t.served);
      const p = pWeekSuccess(weight, reps, t.capacity);
      const bin = bins[Math.min(4, Math.floor(p * 5))]!;
      bin.expected += p;
      bin.observed += observed.get(`${t.userId}/${t.exercise}/${t.week}`)! >= SUCCESS_RATE ? 1 : 0;
      bin.n += 1;
    }
    expect(bins.reduce((a, b) => a + b.n, 0)).toBe(9000);
    for (const b of bins.filter((x) => x.n >= 200)) {
      const se = Math.sqrt(((b.expected / b.n) * (1 - b.expected / b.n)) / b.n);
      expect(Math.abs(b.observed - b.expected) / b.n).toBeLessThan(4 * se + 0.005);
    }
  });
});
