import { exploringPolicy } from '@/server/experiments/exploration';
import {
  type LoggedDecision,
  loggedDecisions,
  type OffPolicyEstimate,
  offPolicyEstimate,
} from '@/server/experiments/off-policy';
import { crossFitted } from '@/server/experiments/outcome-model';
import { sameStep } from '@/server/learning/model-policy';
import { modifierBounds } from '@/server/modifiers/bounds';
import { type ModifierPolicy, policyNamed, rulesPolicy } from '@/server/modifiers/policies';
import { seededRandom } from '@/server/random';
import { REWARD_WEEKS, strengthReward } from '@/server/strength/reward';
import { addDays } from '@/server/time/calendar';
import { drawLifters, type Lifter } from './lifters';
import { withStrength } from './strength-readings';
import { type LifterWorld, simulateLifter } from './world';

/**
 * Off-policy evaluation proven on the realistic simulator. An arm serves the rule and explores with ε; the
 * estimators (`off-policy.ts`) read its logged decisions — contexts as stored, rewards from the estimated strength —
 * and estimate what other policies' steps would have earned. The truth is what they estimate, computed by the
 * simulator: for a sample of logged decisions from a separate population, the lifter is simulated again with the
 * target's step at that decision and the arm's own everywhere else (the same random draws until then), and the
 * reward read the same way. The estimand is a population mean, so each experiment's interval should cover it at
 * its nominal rate; the truth's own sampling error is reported beside it.
 */
const OPE_EPSILON = 0.3;
const FIRST = '2025-01-06';
const PRE_WEEKS = 4;
const DECIDED_WEEKS = 8;
const START = addDays(FIRST, 7 * PRE_WEEKS);
const LAST_DECIDED = addDays(START, 7 * (DECIDED_WEEKS - 1));
const WEEKS = PRE_WEEKS + DECIDED_WEEKS + REWARD_WEEKS - 1;
/** Targets on the exploration grid (supported) and one off it (`hold`: flagged, not estimated). */
const OPE_TARGETS = ['rules', 'step@+2.5', 'step@-5'] as const;

/** The arm: the rule before the experiment, the rule exploring with ε from its first week. */
function loggingPolicy(salt: string) {
  const exploring = exploringPolicy(rulesPolicy, OPE_EPSILON, salt);
  return (_: string, week: string) => (week >= START ? exploring : rulesPolicy);
}

function simulateLogged(lifter: Lifter, seed: number, salt: string, weeks = WEEKS): LifterWorld {
  return simulateLifter(lifter, { startWeek: FIRST, weeks, seed, policy: loggingPolicy(salt) });
}

function decisionsOf(world: LifterWorld): LoggedDecision[] {
  const history = withStrength(world.history, world.sessions);
  return loggedDecisions(history, { from: START, to: LAST_DECIDED, bounds: modifierBounds() }, world.contexts);
}

/** One experiment's logged decisions: `lifters` drawn for `seed`, the arm exploring under its own salt. */
function loggedExperiment(lifters: number, seed: number): LoggedDecision[] {
  return drawLifters(lifters, seed, `ope-${seed}`).flatMap((l) =>
    decisionsOf(simulateLogged(l, seed, `ope-salt-${seed}`)),
  );
}

/** The reward had `target` decided this one decision (the arm everywhere else), by simulating the lifter again. */
function counterfactualReward(lifter: Lifter, seed: number, salt: string, d: LoggedDecision, target: ModifierPolicy) {
  const logging = loggingPolicy(salt);
  const { exercise, week } = d.context;
  const fork: ModifierPolicy = {
    id: target.id,
    decide: (c) => (c.exercise === exercise ? target.decide(c) : logging(c.userId, c.week).decide(c)),
  };
  const weeks = PRE_WEEKS + (Date.parse(week) - Date.parse(START)) / (7 * 86_400_000) + REWARD_WEEKS;
  const world = simulateLifter(lifter, {
    startWeek: FIRST,
    weeks,
    seed,
    policy: (userId, w) => (w === week ? fork : logging(userId, w)),
  });
  const readings = withStrength(world.history, world.sessions).strength!.filter((r) => r.exercise === exercise);
  return strengthReward(readings, week)!;
}

interface OpeTruth {
  policy: string;
  value: number;
  /** The truth's own standard error (a sample of decisions re-simulated). */
  se: number;
  /** Decisions whose logged rewards the value starts from. */
  decisions: number;
}

/**
 * Each target's true value: the mean logged reward over every decision of `lifters` lifters of a separate draw,
 * plus the mean change a sample of `samples` of them shows when simulated again with the target's step (paired:
 * the same lifter and draws, so the change varies far less than the reward).
 */
function opeTruth(opts: {
  seed: number;
  lifters: number;
  samples: number;
  onProgress?: (done: number, total: number) => void;
}): OpeTruth[] {
  const salt = `ope-truth-${opts.seed}`;
  const lifters = drawLifters(opts.lifters, opts.seed, 'ope-truth');
  const logged = lifters.flatMap((l) => decisionsOf(simulateLogged(l, opts.seed, salt)).map((d) => ({ l, d })));
  const rewards = logged.map(({ d }) => d.reward);
  const base = meanAndVariance(rewards);
  const rand = seededRandom(opts.seed);
  const sample = Array.from(
    { length: Math.min(opts.samples, logged.length) },
    () => logged[Math.floor(rand() * logged.length)]!,
  );
  const total = sample.length * OPE_TARGETS.length;
  return OPE_TARGETS.map((name, t) => {
    const target = policyNamed(name);
    const changes = sample.map(({ l, d }, i) => {
      opts.onProgress?.(t * sample.length + i + 1, total);
      return counterfactualReward(l, opts.seed, salt, d, target) - d.reward;
    });
    const change = meanAndVariance(changes);
    return {
      policy: name,
      value: base.mean + change.mean,
      se: Math.sqrt(base.variance / rewards.length + change.variance / changes.length),
      decisions: rewards.length,
    };
  });
}

function meanAndVariance(xs: readonly number[]) {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, variance: xs.reduce((a, x) => a + (x - mean) ** 2, 0) / Math.max(1, xs.length - 1) };
}

type Estimator = 'ips' | 'snips' | 'dr' | 'naive';

/** Each target's estimates from one experiment's log; `naive` is the mean reward where the target matched, unweighted. */
function estimatesOf(logged: readonly LoggedDecision[]) {
  const outcome = crossFitted(logged);
  return OPE_TARGETS.map((name) => {
    const target = policyNamed(name);
    const e = offPolicyEstimate(target, logged, outcome)!;
    return { policy: name, estimate: e, naive: naiveOf(e, logged, target) };
  });
}

/** The negative control: the matched decisions' mean reward, ignoring the propensities, with the same interval width. */
function naiveOf(e: OffPolicyEstimate, logged: readonly LoggedDecision[], target: ModifierPolicy) {
  const matched = logged.filter((d) => {
    return sameStep(target.decide(d.context), d.taken);
  });
  const value = matched.reduce((a, d) => a + d.reward, 0) / Math.max(1, matched.length);
  const half = e.snips ? (e.snips.interval[1] - e.snips.interval[0]) / 2 : 0;
  return { value, interval: [value - half, value + half] as [number, number] };
}

export interface OpeProof {
  epsilon: number;
  experiments: number;
  lifters_per_experiment: number;
  truth: OpeTruth[];
  /** Share of experiments whose 95 % interval covers the truth, per estimator, over every target. */
  coverage_95: Record<Estimator, number>;
  per_target: {
    policy: string;
    truth: number;
    coverage: Record<Estimator, number>;
    mean_estimate: Record<Estimator, number>;
    mean_halfwidth: Record<Exclude<Estimator, 'naive'>, number>;
    mean_effective_sample: number;
  }[];
  thin_off_grid: number;
}

export interface OffPolicyProofOptions {
  seed: number;
  experiments: number;
  lifters: number;
  truthLifters: number;
  truthSamples: number;
  onProgress?: (step: string, done: number, total: number) => void;
}

export function proveOffPolicy(opts: OffPolicyProofOptions): OpeProof {
  const truth = opeTruth({
    seed: opts.seed + 7919,
    lifters: opts.truthLifters,
    samples: opts.truthSamples,
    onProgress: (d, t) => opts.onProgress?.('off-policy truth', d, t),
  });
  const estimators: Estimator[] = ['ips', 'snips', 'dr', 'naive'];
  const tally = OPE_TARGETS.map(() => ({
    covered: Object.fromEntries(estimators.map((e) => [e, 0])) as Record<Estimator, number>,
    sum: Object.fromEntries(estimators.map((e) => [e, 0])) as Record<Estimator, number>,
    half: { ips: 0, snips: 0, dr: 0 },
    ess: 0,
  }));
  let thin = 0;
  const hold = policyNamed('hold');
  for (let k = 0; k < opts.experiments; k++) {
    const logged = loggedExperiment(opts.lifters, opts.seed * 100_000 + k);
    if (offPolicyEstimate(hold, logged, null)?.thin) thin += 1;
    estimatesOf(logged).forEach(({ estimate: e, naive }, t) => {
      const v = truth[t]!.value;
      const read: Record<Estimator, { value: number; interval: [number, number] } | null> = {
        ips: e.ips,
        snips: e.snips,
        dr: e.dr,
        naive,
      };
      const s = tally[t]!;
      for (const name of estimators) {
        const x = read[name];
        if (!x) continue;
        if (x.interval[0] <= v && v <= x.interval[1]) s.covered[name] += 1;
        s.sum[name] += x.value;
        if (name !== 'naive') s.half[name] += (x.interval[1] - x.interval[0]) / 2;
      }
      s.ess += e.effectiveSampleSize;
    });
    opts.onProgress?.('off-policy experiments', k + 1, opts.experiments);
  }
  const n = opts.experiments;
  const per = (x: number) => x / n;
  return {
    epsilon: OPE_EPSILON,
    experiments: n,
    lifters_per_experiment: opts.lifters,
    truth,
    coverage_95: Object.fromEntries(
      estimators.map((name) => [name, tally.reduce((a, s) => a + s.covered[name], 0) / (n * OPE_TARGETS.length)]),
    ) as Record<Estimator, number>,
    per_target: OPE_TARGETS.map((policy, t) => {
      const s = tally[t]!;
      return {
        policy,
        truth: truth[t]!.value,
        coverage: Object.fromEntries(estimators.map((e) => [e, per(s.covered[e])])) as Record<Estimator, number>,
        mean_estimate: Object.fromEntries(estimators.map((e) => [e, per(s.sum[e])])) as Record<Estimator, number>,
        mean_halfwidth: { ips: per(s.half.ips), snips: per(s.half.snips), dr: per(s.half.dr) },
        mean_effective_sample: per(s.ess),
      };
    }),
    thin_off_grid: per(thin),
  };
}
