import { beforeAll, describe, expect, it } from 'vitest';
import { type AnalysisUnit, analyse, type MetricComparison, metricResult } from '@/server/experiments/analysis';
import { armIndex, bucketOf } from '@/server/experiments/assignment';
import type { LifterOutcome } from '@/server/experiments/outcomes';
import { analysisUnit } from '@/server/experiments/units';
import { type ModifierPolicy, rulesPolicy } from '@/server/modifiers/policies';
import { simulateExperiment } from '@/server/simulation/experiment';
import { drawPopulation } from '@/server/simulation/population';
import { addDays } from '@/server/time/calendar';

/**
 * The statistical properties of the experiments' analysis, proven on the simulator with known truth, in memory
 * (no database: hundreds of experiments in seconds). The analysis is the one the report runs.
 */

const FIRST = '2025-01-06';
const PRE_WEEKS = 12;
const WEEKS = 6;
const START = addDays(FIRST, 7 * PRE_WEEKS);
const LOOKS = Array.from({ length: WEEKS }, (_, i) => addDays(START, 7 * i));
const POOL = 1200;
const ARMS = [
  { name: 'control', policy: 'rules', weight: 0.5 },
  { name: 'treatment', policy: 'rules', weight: 0.5 },
];

/** Every lifter of a population served one policy from START, with their outcomes at each weekly look. */
function pool(policy: ModifierPolicy, seed: number) {
  const lifters = drawPopulation(POOL, seed, 'pool');
  const sim = simulateExperiment({
    lifters,
    firstWeek: FIRST,
    preWeeks: PRE_WEEKS,
    weeks: WEEKS,
    seed,
    salt: 'pool',
    arms: [{ name: 'all', policy, weight: 1 }],
    assign: () => 0,
  });
  return lifters.map((l) =>
    LOOKS.map((to) => analysisUnit(sim.world.histories.get(l.userId)!, 0, true, { from: START, to })),
  );
}

const excludesZero = (c: MetricComparison | undefined, which: 'interval' | 'alwaysValid' = 'interval') =>
  !!c?.result && (c.result[which][0] > 0 || c.result[which][1] < 0);

describe('experiments on the simulator', () => {
  let rules: AnalysisUnit[][];
  beforeAll(() => {
    rules = pool(rulesPolicy, 7);
  }, 120_000);

  describe('A/A: 400 experiments with two identical arms (the rule against itself), each split by its own salt', () => {
    const REPLICATES = 400;
    let fixed = 0;
    let fixedCuped = 0;
    let sequential = 0;
    const cupedDifferences: number[] = [];
    const widthRatios: number[] = [];
    beforeAll(() => {
      for (let r = 1; r <= REPLICATES; r++) {
        const armOf = rules.map((_, i) => armIndex(bucketOf(`aa-${r}`, `pool-${i}`), [0.5, 0.5]));
        const at = (look: number) => rules.map((weeks, i) => ({ ...weeks[look]!, arm: armOf[i]! }));
        let flagged = false;
        for (let look = 0; look < WEEKS; look++) {
          const c = metricResult('e1rm_progression', ARMS, at(look)).comparisons[0];
          if (excludesZero(c, 'alwaysValid')) flagged = true;
          if (look === WEEKS - 1) {
            if (excludesZero(c)) fixedCuped += 1;
            if (c?.unadjusted && (c.unadjusted.interval[0] > 0 || c.unadjusted.interval[1] < 0)) fixed += 1;
            cupedDifferences.push(c!.result!.difference);
            const width = (x: [number, number]) => x[1] - x[0];
            widthRatios.push(width(c!.result!.interval) / width(c!.unadjusted!.interval));
          }
        }
        if (flagged) sequential += 1;
      }
    }, 120_000);

    it('the fixed-horizon 95 % interval excludes zero in 2–8 % of them (unadjusted and with CUPED)', () => {
      expect(fixed / REPLICATES).toBeGreaterThanOrEqual(0.02);
      expect(fixed / REPLICATES).toBeLessThanOrEqual(0.08);
      expect(fixedCuped / REPLICATES).toBeGreaterThanOrEqual(0.02);
      expect(fixedCuped / REPLICATES).toBeLessThanOrEqual(0.08);
    });

    it('the always-valid interval, looked at every week, excludes zero in at most 5 % of them', () => {
      expect(sequential / REPLICATES).toBeLessThanOrEqual(0.05);
    });

    it('CUPED narrows the interval on the same data and leaves the estimate unbiased', () => {
      const narrower = widthRatios.filter((w) => w < 1).length;
      expect(narrower / REPLICATES).toBeGreaterThanOrEqual(0.95);
      expect(widthRatios.reduce((a, b) => a + b, 0) / REPLICATES).toBeLessThan(0.99);
      const mean = cupedDifferences.reduce((a, b) => a + b, 0) / REPLICATES;
      const sd = Math.sqrt(cupedDifferences.reduce((a, b) => a + (b - mean) ** 2, 0) / (REPLICATES - 1));
      expect(Math.abs(mean)).toBeLessThan((3 * sd) / Math.sqrt(REPLICATES));
    });
  });
});

describe('sample-ratio mismatch', () => {
  const lifters = drawPopulation(10_000, 3, 'srm').map((l) => l.userId);
  const none: LifterOutcome = {
    strengthProgression: null,
    strengthMeasured: false,
    progression: null,
    sample: 0,
    successes: 0,
    sessions: 0,
    weeks: 1,
    answers: 0,
    notHelpful: 0,
    dropout: 0,
    overrides: 0,
  };
  const run = (salt: string, dropShare: number) => {
    const units = lifters.map((id) => {
      const arm = armIndex(bucketOf(salt, id), [0.5, 0.5]);
      // The treatment's app failing to report a share of its lifters' exposures.
      const lost = arm === 1 && bucketOf(`${salt}:lost`, id) < dropShare;
      return { arm, exposed: !lost, post: none, pre: none };
    });
    return analyse({ arms: ARMS, units, primary: 'e1rm_progression', guardrails: [] });
  };

  it('dropping 10 % of one arm’s lifters from exposure is flagged, in every one of 20 experiments', () => {
    for (let s = 1; s <= 20; s++) {
      const a = run(`srm-${s}`, 0.1);
      expect(a.srm.mismatch).toBe(true);
      expect(a.verdict.code).toBe('invalid: SRM');
      expect(a.verdict.line).toMatch(/SRM/);
    }
  });

  it('a sound split is not flagged (at most one false alarm in 20)', () => {
    let alarms = 0;
    for (let s = 1; s <= 20; s++) if (run(`srm-${s}`, 0).srm.mismatch) alarms += 1;
    expect(alarms).toBeLessThanOrEqual(1);
  });
});
