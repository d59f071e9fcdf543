import { describe, expect, it } from 'vitest';
import { type AnalysisUnit, analyse, metricResult } from '@/server/experiments/analysis';
import type { LifterOutcome } from '@/server/experiments/outcomes';

const ARMS = [
  { name: 'control', policy: 'rules', weight: 0.5 },
  { name: 'treatment', policy: 'hold', weight: 0.5 },
];

const outcome = (progression: number | null, dropout: 0 | 1 = 0): LifterOutcome => ({
  strengthProgression: progression,
  strengthMeasured: progression !== null,
  progression,
  sample: 10,
  successes: 8,
  sessions: 6,
  weeks: 3,
  answers: 0,
  notHelpful: 0,
  dropout,
  overrides: 0,
});
const unit = (arm: number, progression: number, dropout: 0 | 1 = 0): AnalysisUnit => ({
  arm,
  exposed: true,
  post: outcome(progression, dropout),
  pre: outcome(null),
});

/** 1 … 100 %/week alternating between the arms, and one lifter whose log reads 10,000 %/week, in the treatment. */
const units = [...Array.from({ length: 100 }, (_, i) => unit(i % 2, i + 1)), unit(1, 10_000)];

describe('winsorised outcomes', () => {
  it('caps a continuous outcome at the pooled 1st/99th percentiles: the 10,000 reads as the 99th percentile, 100', () => {
    // 101 values; the inclusive 99th percentile sits at rank 0.99 × 100 + 1 = 100: the value 100.
    const capped = metricResult('e1rm_progression', ARMS, units, { winsor: 0.01, cuped: false });
    const treatment = units.filter((u) => u.arm === 1).map((u) => Math.min(100, Math.max(2, u.post.progression!)));
    const control = units.filter((u) => u.arm === 0).map((u) => Math.min(100, Math.max(2, u.post.progression!)));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // ... and the 1st percentile, at rank 2, is 2.
    expect(capped.arms[1]!.mean).toBeCloseTo(mean(treatment), 12);
    expect(capped.arms[0]!.mean).toBeCloseTo(mean(control), 12);
  });

  it('without the cap one lifter decides the comparison: a difference of ~196 %/week against ~1', () => {
    const raw = metricResult('e1rm_progression', ARMS, units, { winsor: 0, cuped: false });
    const capped = metricResult('e1rm_progression', ARMS, units, { winsor: 0.01, cuped: false });
    expect(raw.comparisons[0]!.result!.difference).toBeGreaterThan(150);
    expect(Math.abs(capped.comparisons[0]!.result!.difference)).toBeLessThan(3);
  });

  it('leaves a 0/1 metric alone (a 1 % dropout would otherwise be capped to nobody)', () => {
    const rare = [...Array.from({ length: 199 }, (_, i) => unit(i % 2, 1)), unit(1, 1, 1)];
    const dropout = metricResult('dropout', ARMS, rare, { winsor: 0.01 });
    expect(dropout.arms[1]!.mean).toBeCloseTo(1 / 100, 12);
  });

  it('reports the cap it used; 1 % by default', () => {
    expect(analyse({ arms: ARMS, units, primary: 'e1rm_progression', guardrails: [] }).winsor).toBe(0.01);
    expect(analyse({ arms: ARMS, units, primary: 'e1rm_progression', guardrails: [], winsor: 0 }).winsor).toBe(0);
  });
});
