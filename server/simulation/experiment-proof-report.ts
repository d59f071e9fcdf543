import jStat from 'jstat';
import { NON_INFERIORITY_MARGINS } from '@/server/experiments/decisions';
import { unitsPerArm } from '@/server/experiments/statistics';
import {
  type Enrolment,
  type ExperimentRun,
  estimand,
  type Pool,
  plannedPerArm,
  runMany,
  simulatePool,
} from './experiment-proof';
import { trainOnSimulator } from './model-training';
import { type OffPolicyProofOptions, type OpeProof, proveOffPolicy } from './ope-proof';

/**
 * What `npm run experiments:proof` reports: the proof's parts over one pool (`experiment-proof.ts`). The sizes are
 * the issue's; `experiments` scales every part (500 by default; the tests run fewer on a smaller pool).
 */
export interface ProofOptions {
  seed: number;
  experiments: number;
  /** Lifters per arm of the A/A experiments; the pool holds enough for the largest. */
  aaSizes?: number[];
  weeks?: number;
  /** Off-policy part: experiments (default 2/5 of `experiments`), and the truth's population and re-simulated sample. */
  opeExperiments?: number;
  opeTruthLifters?: number;
  opeTruthSamples?: number;
  /** Lifters of each off-policy experiment (default 100). */
  opeLifters?: number;
  /** The model arm's training: lifters of its own draw (default 1,000 × 26 weeks) and epochs. */
  modelLifters?: number;
  modelEpochs?: number;
  /** Runs the off-policy part (default: here, after the rest); the CLI runs it in a worker on the other core. */
  offPolicy?: (options: OffPolicyProofOptions) => OpeProof | Promise<OpeProof>;
  onProgress?: (step: string, done: number, total: number) => void;
}

const CONTROL = 'rules';
/** The model arm: trained on the rule exploring at this ε, stepping within this P(success) (model:train's default). */
const MODEL_EPSILON = 0.3;
const MODEL_TARGET = 0.8;
/** Lifters of each off-policy experiment's exploring arm. */
const OPE_LIFTERS = 100;
/** The attrition check: a treatment arm that loses this share of its lifters at once. */
const LOSE_SHARE = 0.1;
const POWER_PAIR: [string, string] = [CONTROL, 'hold'];
// Both ways round: a truly worse treatment must not ship, a truly better one should.
const VERDICT_PAIRS: [string, string][] = [
  [CONTROL, 'hold'],
  [CONTROL, 'step@+5'],
  ['hold', CONTROL],
];

/** The off-policy part's sizes for these options. */
export function offPolicyOptions(opts: ProofOptions): Omit<OffPolicyProofOptions, 'onProgress'> {
  return {
    seed: opts.seed,
    experiments: opts.opeExperiments ?? Math.max(20, Math.round((opts.experiments * 2) / 5)),
    lifters: opts.opeLifters ?? OPE_LIFTERS,
    truthLifters: opts.opeTruthLifters ?? 2000,
    truthSamples: opts.opeTruthSamples ?? 1500,
  };
}

export async function proveExperiments(opts: ProofOptions) {
  const started = performance.now();
  const aaSizes = opts.aaSizes ?? [200, 2000];
  const weeks = opts.weeks ?? 12;
  opts.onProgress?.('training the model on explored decisions', 0, 1);
  const model = await trainOnSimulator({
    seed: opts.seed,
    lifters: opts.modelLifters ?? 1000,
    weeks: 26,
    epsilon: MODEL_EPSILON,
    target: MODEL_TARGET,
    epochs: opts.modelEpochs,
  });
  opts.onProgress?.('training the model on explored decisions', 1, 1);
  const verdictPairs: [string, string][] = [...VERDICT_PAIRS, [CONTROL, model.policy.id]];
  const names = [...new Set([CONTROL, ...POWER_PAIR, ...verdictPairs.flat()])];
  const policies = names.map((n) => (n === model.policy.id ? model.policy : n));
  const pool = simulatePool({
    seed: opts.seed,
    lifters: Math.ceil(2.2 * Math.max(...aaSizes)),
    weeks,
    policies,
    onProgress: (done, total) => opts.onProgress?.('simulating the pool', done, total),
  });
  const count = opts.experiments;
  const verdictCount = Math.max(20, Math.round((count * 2) / 5));
  let seed = opts.seed * 1000;
  const run = (
    step: string,
    policies: [string, string],
    perArm: number,
    enrolment: Enrolment,
    n: number,
    toTheEnd = false,
  ) => {
    let done = 0;
    return runMany(pool, { seed: ++seed, count: n, policies, perArm, enrolment, toTheEnd }, () =>
      opts.onProgress?.(step, ++done, n),
    );
  };

  const settings = aaSizes.flatMap((perArm) =>
    (['fixed', 'staggered'] as const).map((enrolment) => {
      const runs = run(`A/A, ${perArm} per arm, ${enrolment}`, [CONTROL, CONTROL], perArm, enrolment, count);
      return {
        per_arm: perArm,
        enrolment,
        experiments: runs.length,
        false_ship_rate: share(runs, (r) => r.decidedAt !== null),
        naive_peeking_false_rate: share(runs, (r) => r.naiveDecided),
      };
    }),
  );

  const power = powerOf(pool, (perArm) => run('power', POWER_PAIR, perArm, 'fixed', count, true));
  const attrition = attritionOf(aaSizes, (perArm) => {
    let done = 0;
    const n = Math.max(20, Math.round(count / 5));
    return runMany(
      pool,
      { seed: ++seed, count: n, policies: [CONTROL, CONTROL], perArm, enrolment: 'fixed', loseShare: LOSE_SHARE },
      () => opts.onProgress?.('attrition', ++done, n),
    );
  });
  const pairs = verdictPairs.map((pair) =>
    verdictOf(pool, pair, (perArm) => run(`${pair.join(' vs ')}`, pair, perArm, 'fixed', verdictCount)),
  );
  const all = pairs.flatMap((p) => p.runs);
  const ope = await (opts.offPolicy ?? proveOffPolicy)({
    ...offPolicyOptions(opts),
    onProgress: opts.onProgress,
  });
  return {
    seed: opts.seed,
    pool: { lifters: pool.lifters, weeks, policies: names },
    model: {
      policy: model.policy.id,
      target: MODEL_TARGET,
      trained_on: { lifters: model.lifters, weeks: model.weeks, epsilon: model.epsilon, rows: model.result.rows },
      gain: model.result.metrics.gain,
      log_loss: { model: model.result.metrics.model.logLoss, base_rate: model.result.metrics.baseRate.logLoss },
    },
    aa: {
      false_ship_rate: Math.max(...settings.map((s) => s.false_ship_rate)),
      naive_peeking_false_rate: Math.min(...settings.map((s) => s.naive_peeking_false_rate)),
      settings,
    },
    power,
    attrition,
    verdict_vs_truth: {
      correct_rate: share(all, (r) => r.correct),
      // Where the true difference is one the primary can show at the size run (its planned n within it): the
      // issue's "where the true difference ≥ MDE".
      correct_rate_detectable: share(
        pairs.filter((p) => !p.primary_capped).flatMap((p) => p.runs),
        (r) => r.correct,
      ),
      wrong_ship_rate: share(all, (r) => r.wrongShip),
      pairs: pairs.map(({ runs: _, ...p }) => p),
    },
    ope: { ...ope, coverage_95: ope.coverage_95.dr, coverage_95_by_estimator: ope.coverage_95 },
    experiments:
      settings.reduce((n, s) => n + s.experiments, 0) +
      power.experiments +
      attrition.experiments +
      all.length +
      ope.experiments,
    seconds: (performance.now() - started) / 1000,
  };
}

const verdictKey = (r: ExperimentRun) => `${r.verdict} (${r.metric ?? '—'})`;
const share = <T>(xs: readonly T[], pick: (x: T) => boolean) => (xs.length ? xs.filter(pick).length / xs.length : 0);

/** The planner's n for the pair's true effect on the primary, and how often the sequence detects it. */
function powerOf(pool: Pool, runAt: (perArm: number) => ExperimentRun[]) {
  const truth = estimand(pool, ...POWER_PAIR);
  const { perArm, capped } = plannedPerArm(truth.effect, truth.variance, pool);
  const runs = runAt(perArm);
  const direction = Math.sign(truth.effect);
  // The negative control: the n a fixed single look would need, read by the same sequence, falls short.
  const z = jStat.normal.inv(0.975, 0, 1) + jStat.normal.inv(0.8, 0, 1);
  const fixedPerArm = Math.ceil((2 * truth.variance * z * z) / truth.effect ** 2);
  const fixedRuns = runAt(fixedPerArm);
  return {
    pair: POWER_PAIR,
    effect: truth.effect,
    per_arm: perArm,
    capped,
    planned: 0.8,
    // At the planned size (the last look), as the planner plans; by any look the sequence detects at least as often.
    observed: share(runs, (r) => r.detectedAtEnd === direction),
    observed_by_any_look: share(runs, (r) => r.detected === direction),
    fixed_horizon_plan: { per_arm: fixedPerArm, observed: share(fixedRuns, (r) => r.detectedAtEnd === direction) },
    experiments: runs.length + fixedRuns.length,
  };
}

/** A pair's experiments at the planner's n, each verdict judged by the simulator's true gain. */
function verdictOf(pool: Pool, pair: [string, string], runAt: (perArm: number) => ExperimentRun[]) {
  const truth = estimand(pool, ...pair);
  // Ship needs the primary shown better and every guardrail shown within its margin: the larger n of the two.
  const guardrailPerArm = dropoutPerArm(pool, pair[0]);
  const primaryPlan = plannedPerArm(truth.effect, truth.variance, pool);
  const primaryPerArm = primaryPlan.perArm;
  const { perArm, capped } = plannedPerArm(
    truth.effect,
    truth.variance,
    pool,
    Math.max(primaryPerArm, guardrailPerArm),
  );
  const treatmentBetter = truth.trueGainDifference > 0;
  const runs = runAt(perArm).map((r) => {
    const shipped = r.verdict === 'ship' && r.arm === 'treatment';
    return { ...r, shipped, correct: shipped === treatmentBetter, wrongShip: shipped && !treatmentBetter };
  });
  return {
    pair,
    measured_effect: truth.effect,
    true_gain_difference: truth.trueGainDifference,
    per_arm: perArm,
    capped,
    primary_per_arm: primaryPerArm,
    /** The primary's effect needs more lifters than the pool holds: not one the experiments can show. */
    primary_capped: primaryPlan.capped,
    dropout_margin_per_arm: guardrailPerArm,
    experiments: runs.length,
    shipped_rate: share(runs, (r) => r.shipped),
    correct_rate: share(runs, (r) => r.correct),
    dropout_guardrail_failed_rate: share(runs, (r) => !r.dropoutWithinMargin),
    // Which check decided, e.g. "harmful on a guardrail (success_rate)".
    verdicts: Object.fromEntries(
      [...new Set(runs.map(verdictKey))].sort().map((key) => [key, share(runs, (r) => verdictKey(r) === key)]),
    ),
    runs,
  };
}

/** Lifters per arm to show dropout within its margin when the arms truly do not differ (the control's rate). */
function dropoutPerArm(pool: Pool, control: string): number {
  let dropped = 0;
  for (let i = 0; i < pool.lifters; i++) dropped += pool.unit(control, i, 0, pool.weeks - 1).post.dropout;
  const p = dropped / pool.lifters;
  return unitsPerArm(NON_INFERIORITY_MARGINS.dropout, p * (1 - p), 0.8);
}

/** The rule against itself, the treatment losing LOSE_SHARE of its lifters: flagged, and its dropout guardrail fails. */
function attritionOf(aaSizes: readonly number[], runAt: (perArm: number) => ExperimentRun[]) {
  const perArm = Math.max(...aaSizes);
  const runs = runAt(perArm);
  return {
    lose_share: LOSE_SHARE,
    per_arm: perArm,
    experiments: runs.length,
    flagged_rate: share(runs, (r) => r.attritionFlagged),
    dropout_harmful_rate: share(runs, (r) => r.dropoutHarmful),
    shipped_rate: share(runs, (r) => r.verdict === 'ship'),
  };
}
