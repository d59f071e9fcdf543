import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { policyNamed } from '@/server/modifiers/policies';
import { evaluatePolicies } from '@/server/simulation/evaluate';

/** `npm run simulate:evaluate`: its flags, its JSON, its worker threads. */
describe('npm run simulate:evaluate', () => {
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/simulate-evaluate.ts', ...args], {
      env: { ...process.env, DATABASE_URL: '' },
      encoding: 'utf8',
    });

  it('refuses bad flags: a message naming the flag, exit code 1', () => {
    for (const [args, message] of [
      [['--policies', 'rules,nonsense'], /--policies: unknown modifier policy "nonsense"/],
      [['--policies', 'rules,rules'], /--policies names a policy twice/],
      [['--lifters', '0'], /--lifters must be at least 1/],
      [['--weeks=-3'], /--weeks must be at least 1/],
      [['--weeks', '2.5'], /--weeks must be a whole number/],
      [['--colour', 'red'], /Unknown option '--colour'/],
    ] as const) {
      const r = run([...args]);
      expect([r.status, r.stderr], args.join(' ')).toEqual([1, expect.stringMatching(message)]);
    }
  });

  it('prints one JSON object with the issue’s fields; the same in worker threads as in one process', () => {
    const r = run(['--policies', 'rules,hold,step@+5', '--lifters', '300', '--weeks', '6', '--seed', '4', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const table = JSON.parse(r.stdout);
    expect(table.policies.map((p: { policy: string }) => p.policy)).toEqual(['rules@po-overlay-2', 'hold', 'step@+5']);
    for (const p of table.policies) {
      expect(p).toMatchObject({
        true_gain_pct: { mean: expect.any(Number), low: expect.any(Number), high: expect.any(Number) },
        dropout_pct: expect.any(Number),
        measured: {
          strength_gain_pct: expect.any(Number),
          e1rm_prescribed_gain_pct: expect.any(Number),
          success_rate: expect.any(Number),
        },
      });
    }
    expect(Object.keys(table.ranking)).toEqual(
      expect.arrayContaining(['truth', 'strength', 'e1rm_prescribed', 'success_rate']),
    );
    expect(table.estimator).toMatchObject({
      mae_pct: { w4: expect.any(Number), w8: null, w26: expect.any(Number) },
      coverage_90: expect.any(Number),
      baselines: { best_e1rm_4w: { mae_pct: expect.any(Number) }, e1rm_prescribed: { mae_pct: expect.any(Number) } },
    });
    expect(r.stderr).toMatch(/simulating lifter-runs: 900\/900/);
    const inProcess = evaluatePolicies({
      policies: ['rules', 'hold', 'step@+5'].map(policyNamed),
      lifters: 300,
      weeks: 6,
      seed: 4,
    });
    expect(table).toEqual(JSON.parse(JSON.stringify(inProcess)));
  });
});
