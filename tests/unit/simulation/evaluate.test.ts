import { describe, expect, it } from 'vitest';
import { policyNamed } from '@/server/modifiers/policies';
import { evaluatePolicies, evaluateShard, type TruthTable, tableOf } from '@/server/simulation/evaluate';

const POLICIES = ['rules', 'hold', 'step@+5', 'step@-2.5'].map(policyNamed);
const SEEDS = [1, 2, 3, 4, 5];

/** The truth table's acceptance, on the policies and seeds (a smaller population than the CLI's default). */
describe('the truth table of policies', () => {
  const shards = SEEDS.map((seed) =>
    evaluateShard({ policies: POLICIES, lifters: 200, weeks: 26, seed, from: 0, to: 200 }),
  );
  const tables = SEEDS.map((seed, i) => tableOf({ policies: POLICIES, lifters: 200, weeks: 26, seed }, [shards[i]!]));
  /** The five seeds' lifters as one population of 1,000 (each seed draws other people). */
  const pooled = tableOf({ policies: POLICIES, lifters: 1000, weeks: 26, seed: 0 }, shards);
  const row = (t: TruthTable, id: string) => t.policies.find((p) => p.policy === policyNamed(id).id)!;

  it('orders every pair the true gain while training separates the same way by estimated-strength gain', () => {
    for (const t of tables) expect(t.wrong_pairs_training.strength, `seed ${t.seed}`).toEqual([]);
  });

  it('and on the seeds pooled, at the horizon too; a check that can fail: the e1RM prescribed and the success rate do', () => {
    expect([pooled.wrong_pairs_training.strength, pooled.wrong_pairs.strength]).toEqual([[], []]);
    expect(pooled.wrong_pairs.e1rm_prescribed.length).toBeGreaterThan(0);
    expect(pooled.wrong_pairs_training.success_rate.length).toBeGreaterThan(0);
  });

  it('shows step@+5 losing more lifters than the rule', () => {
    expect(row(pooled, 'step@+5').dropout_pct).toBeGreaterThan(row(pooled, 'rules').dropout_pct + 2);
  });

  it('ranks the success rate by how light the prescription is, not by what the lifters gained', () => {
    for (const t of tables) expect(t.ranking.success_rate[0]).toBe(policyNamed('step@-2.5').id);
  });

  it('reads the estimator against the truth better than both naive readings', () => {
    for (const t of tables) {
      const { mae_pct, baselines } = t.estimator;
      expect(mae_pct.w26!).toBeLessThan(baselines.best_e1rm_4w.mae_pct!);
      expect(mae_pct.w26!).toBeLessThan(baselines.e1rm_prescribed.mae_pct!);
    }
  });

  it('computes the same table from shares of the population as from the whole', () => {
    const opts = { policies: POLICIES.slice(0, 2), lifters: 60, weeks: 8, seed: 9 };
    const whole = evaluatePolicies(opts);
    const shares = [evaluateShard({ ...opts, from: 0, to: 25 }), evaluateShard({ ...opts, from: 25, to: 60 })];
    expect(tableOf(opts, shares)).toEqual(whole);
  });
});
