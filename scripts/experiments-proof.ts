/**
 * `npm run experiments:proof -- [--seed 1] [--json]`: the experiments' design proven on the realistic simulator
 * (server/simulation/experiment-proof.ts, docs/experiments.md): A/A experiments at 200 and 2,000 lifters per arm with
 * 12 weekly looks, enrolled at once and staggered, beside a naive fixed-horizon test peeked at weekly; the power at
 * the planner's n; and each verdict against the simulator's truth. In memory; progress on stderr.
 */
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import type { OpeProof } from '@/server/simulation/ope-proof';
import { parseFlags, wholeFlag } from './lib/flags';
import { progressReporter } from './lib/progress';

const usage = 'Usage: npm run experiments:proof -- [--seed 1] [--experiments 500] [--json]';
const opts = parseFlags(
  {
    seed: { type: 'string', default: '1' },
    experiments: { type: 'string', default: '500' },
    json: { type: 'boolean', default: false },
  },
  z.object({ seed: wholeFlag('seed', 0), experiments: wholeFlag('experiments', 20, 5000), json: z.boolean() }),
  usage,
);
// The flags are checked before the simulator loads: a bad flag answers at once.
const { offPolicyOptions, proveExperiments } = await import('@/server/simulation/experiment-proof-report');
const bars = new Map<string, ReturnType<typeof progressReporter>>();
const onProgress = (step: string, done: number, total: number) => {
  let bar = bars.get(step);
  if (!bar) {
    bar = progressReporter(step, opts.json ? process.stderr : process.stdout);
    bars.set(step, bar);
  }
  bar.update(done, total);
  if (done === total) bar.stop();
};
// The off-policy part needs nothing of the rest: it runs on the other core.
const offPolicy = (request: ReturnType<typeof offPolicyOptions>) =>
  new Promise<OpeProof>((resolve, reject) => {
    const worker = new Worker(new URL('./lib/ope-worker.ts', import.meta.url), { workerData: request });
    worker.on('message', (m: { progress?: { step: string; done: number; total: number }; result?: OpeProof }) => {
      if (m.progress) onProgress(m.progress.step, m.progress.done, m.progress.total);
      if (m.result) resolve(m.result);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => code !== 0 && reject(new Error(`the off-policy worker exited with ${code}`)));
  });
const started = offPolicy(offPolicyOptions({ seed: opts.seed, experiments: opts.experiments }));
const result = await proveExperiments({
  seed: opts.seed,
  experiments: opts.experiments,
  onProgress,
  offPolicy: () => started,
});
if (opts.json) console.log(JSON.stringify(result));
else console.log(proofText(result));

function proofText(r: typeof result): string {
  const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)} %`);
  const lines = [
    `Experiments' proof on the realistic simulator (seed ${r.seed}; ${r.pool.lifters} lifters × ${r.pool.weeks} weeks under ${r.pool.policies.join(', ')}; ${r.experiments} experiments in ${r.seconds.toFixed(0)} s)`,
    `  ${r.model.policy}: trained on ${r.model.trained_on.lifters} other lifters × ${r.model.trained_on.weeks} weeks of the rule exploring at ε ${r.model.trained_on.epsilon} (${r.model.trained_on.rows.train} + ${r.model.trained_on.rows.validation} rows); gain head (${r.model.gain.fittedOn}) RMSE ${r.model.gain.rmse?.toFixed(2) ?? '—'} against ${r.model.gain.meanRmse?.toFixed(2) ?? '—'} for the mean; P(success) log loss ${r.model.log_loss.model.toFixed(3)} against ${r.model.log_loss.base_rate.toFixed(3)}; steps within P(success) ≥ ${r.model.target}`,
    '',
    `A/A (rule against rule, ${r.pool.weeks} weekly looks): false "ship" or "stop" at most ${pct(r.aa.false_ship_rate)} (target ≤ 5 %); a fixed-horizon test peeked weekly: at least ${pct(r.aa.naive_peeking_false_rate)}`,
    ...r.aa.settings.map(
      (s) =>
        `  ${String(s.per_arm).padStart(5)} per arm, ${s.enrolment.padEnd(9)} ${String(s.experiments).padStart(4)} experiments: decided ${pct(s.false_ship_rate)}, naive ${pct(s.naive_peeking_false_rate)}`,
    ),
    '',
    `Power (${r.power.pair.join(' vs ')}, true effect ${r.power.effect.toFixed(3)} %/week taken as the MDE): planned ${pct(r.power.planned)} at ${r.power.per_arm} per arm; observed ${pct(r.power.observed)} at the last look, ${pct(r.power.observed_by_any_look)} by any look; planned for one fixed look (${r.power.fixed_horizon_plan.per_arm} per arm) the same test detects ${pct(r.power.fixed_horizon_plan.observed)}`,
    '',
    `Attrition (the rule against itself, the treatment losing ${pct(r.attrition.lose_share)} of its lifters at once, ${r.attrition.per_arm} per arm): flagged in ${pct(r.attrition.flagged_rate)}, dropout guardrail past its margin in ${pct(r.attrition.dropout_harmful_rate)}, shipped in ${pct(r.attrition.shipped_rate)} of ${r.attrition.experiments}`,
    '',
    `Verdict against the truth (the arm kept or shipped is the one that made lifters stronger): ${pct(r.verdict_vs_truth.correct_rate)} (${pct(r.verdict_vs_truth.correct_rate_detectable)} where the primary can show the difference at the size run; target ≥ 80 %); a truly worse arm shipped in ${pct(r.verdict_vs_truth.wrong_ship_rate)}`,
    ...r.verdict_vs_truth.pairs.map(
      (p) =>
        `  ${p.pair.join(' vs ').padEnd(16)} measured ${p.measured_effect.toFixed(3)} %/week, true gain ${p.true_gain_difference.toFixed(2)} points; ${p.per_arm} per arm${p.capped ? ` (the pool’s limit; the primary needs ${p.primary_per_arm}, dropout’s margin ${p.dropout_margin_per_arm})` : ''}: shipped ${pct(p.shipped_rate)}, right arm ${pct(p.correct_rate)}, dropout guardrail failed ${pct(p.dropout_guardrail_failed_rate)}; verdicts ${Object.entries(
          p.verdicts,
        )
          .map(([code, x]) => `${code} ${pct(x)}`)
          .join(', ')}`,
    ),
    '',
    `Off-policy (the rule exploring at ε ${r.ope.epsilon}, ${r.ope.lifters_per_experiment} lifters × ${r.ope.experiments} experiments; reward: estimated strength over 4 weeks, ×100 log): the DR 95 % interval covers the true value in ${pct(r.ope.coverage_95)} (target 93–97 %); IPS ${pct(r.ope.coverage_95_by_estimator.ips)}, SNIPS ${pct(r.ope.coverage_95_by_estimator.snips)}; the unweighted mean of matched decisions (negative control) ${pct(r.ope.coverage_95_by_estimator.naive)}`,
    ...r.ope.per_target.map(
      (t) =>
        `  ${t.policy.padEnd(10)} truth ${t.truth.toFixed(2)} (±${r.ope.truth.find((x) => x.policy === t.policy)!.se.toFixed(2)})  mean DR ${t.mean_estimate.dr.toFixed(2)} ±${t.mean_halfwidth.dr.toFixed(2)}  covered: DR ${pct(t.coverage.dr)}, IPS ${pct(t.coverage.ips)}, SNIPS ${pct(t.coverage.snips)}, naive ${pct(t.coverage.naive)}; ESS ${t.mean_effective_sample.toFixed(0)}`,
    ),
    `  hold (off the exploration grid) flagged as too thin in ${pct(r.ope.thin_off_grid)}`,
  ];
  return lines.join('\n');
}
