import jStat from 'jstat';
import { describe, expect, it } from 'vitest';
import { armIndex, bucketOf, bucketRanges } from '@/server/experiments/assignment';

describe('bucketOf: GrowthBook’s hash, version 2 (fixed vectors from its SDK test cases)', () => {
  it.each([
    ['seed', 'a', 0.0505],
    ['seed', 'b', 0.2696],
    ['foo', 'ab', 0.2575],
    ['foo', 'def', 0.2019],
    ['89123klj', '8952klfjas09ujkasdf', 0.124],
    ['90850943850283058242805', '123', 0.7516],
    ['()**(%$##$%#$#', '___)((*":&', 0.0128],
  ])('hash(%j, %j) = %f', (salt, id, expected) => {
    expect(bucketOf(salt, id)).toBeCloseTo(expected, 10);
  });
});

describe('bucketRanges and armIndex (GrowthBook’s getBucketRange and chooseVariation cases)', () => {
  it.each([
    [
      [0.5, 0.5],
      [
        [0, 0.5],
        [0.5, 1],
      ],
    ],
    [
      [0.25, 0.25, 0.25, 0.25],
      [
        [0, 0.25],
        [0.25, 0.5],
        [0.5, 0.75],
        [0.75, 1],
      ],
    ],
    [
      [0.4, 0.6],
      [
        [0, 0.4],
        [0.4, 1],
      ],
    ],
    [
      [0.2, 0.3, 0.5],
      [
        [0, 0.2],
        [0.2, 0.5],
        [0.5, 1],
      ],
    ],
  ])('weights %j → ranges %j', (weights, ranges) => {
    const got = bucketRanges(weights);
    got.forEach(([start, end], i) => {
      expect(start).toBeCloseTo(ranges[i]![0]!, 12);
      expect(end).toBeCloseTo(ranges[i]![1]!, 12);
    });
  });

  it.each([
    [0.2, 0],
    [0.4, 0],
    [0.6, 1],
    [0.8, 1],
    [0, 0],
    [0.5, 1],
    [0.9999, 1],
  ])('bucket %f of a 50/50 split → arm %i', (bucket, arm) => {
    expect(armIndex(bucket, [0.5, 0.5])).toBe(arm);
  });
});

describe('the split over many lifters', () => {
  it.each([[[0.5, 0.5]], [[0.2, 0.3, 0.5]], [[0.9, 0.1]]])(
    '100,000 ids split by %j within sampling error (chi-square, p > 0.001)',
    (weights) => {
      const counts = weights.map(() => 0);
      for (let i = 0; i < 100_000; i++) counts[armIndex(bucketOf('exp-salt-1', `user-${i}`), weights)]! += 1;
      const chiSquare = counts.reduce((s, c, i) => s + (c - 100_000 * weights[i]!) ** 2 / (100_000 * weights[i]!), 0);
      expect(1 - jStat.chisquare.cdf(chiSquare, weights.length - 1)).toBeGreaterThan(0.001);
    },
  );

  it('another salt reshuffles: the arms of two experiments are independent', () => {
    let same = 0;
    for (let i = 0; i < 20_000; i++) {
      const id = `user-${i}`;
      if (armIndex(bucketOf('salt-a', id), [0.5, 0.5]) === armIndex(bucketOf('salt-b', id), [0.5, 0.5])) same++;
    }
    expect(same / 20_000).toBeGreaterThan(0.48);
    expect(same / 20_000).toBeLessThan(0.52);
  });
});
