import { describe, expect, it } from 'vitest';
import { decodeContext, encodeContext } from '@/server/learning/stored-context';
import type { PolicyContext } from '@/server/modifiers/policies';
import { DEFAULT_BOUNDS } from '@/server/modifiers/rules';

const context = {
  userId: 'u1',
  exercise: 'Back Squat',
  week: '2025-03-03',
  outcomes: [{ sample: 4, successes: 4 }],
  current: { multiplier: 1.025, repDelta: 0 },
  strengthKg: 120.5,
  level: 'intermediate',
  bounds: DEFAULT_BOUNDS,
} as unknown as PolicyContext;

describe('a decision context stored beside its decision', () => {
  it('reads back as it was stored', () => {
    expect(decodeContext(encodeContext(context))).toEqual(context);
  });

  it('reads as missing (to be rebuilt) when absent, of another version, or not JSON', () => {
    expect(decodeContext(null)).toBeNull();
    expect(decodeContext(JSON.stringify({ v: 0, context }))).toBeNull();
    expect(decodeContext(JSON.stringify({ v: 1 }))).toBeNull();
    expect(decodeContext('{"v": 1, "context"')).toBeNull();
  });
});
