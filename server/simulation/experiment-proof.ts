import type { MetricKey } from '@/server/contracts/experiments';
import { type AnalysisUnit, analyse } from '@/server/experiments/analysis';
import type { LifterOutcome } from '@/server/experiments/outcomes';
import { cupedEstimate, cupedTheta, type PairedMoments, unitsPerArm } from '@/server/experiments/statistics';
import { analysisUnit } from '@/server/experiments/units';
import { type ModifierPolicy, policyNamed, rulesPolicy } from '@/server/modifiers/policies';
import { seededRandom } from '@/server/random';
import { addDays } from '@/server/time/calendar';
import { drawLifters } from './lifters';
import { withStrength } from './strength-readings';
import { type LifterWorld, simulateLifter } from './world';

/**
 * The experiments' proof on the realistic simulator: a pool of lifters, each simulated under every policy (the
 * same lifter, the same luck — their potential outcomes), from which experiments draw their arms at random and are
 * analysed at every weekly look exactly as the report analyses them. Because every lifter's outcome under every
 * arm is known, so is the truth each verdict is judged against: A/A experiments must not decide, a planned
 * experiment must detect its effect as often as planned, and a shipped arm must be the one that made lifters
 * stronger (the simulator's capacity), not the one whose measure rose.
 */

/** A fixed Monday: the proof does not depend on the date it runs. */
const FIRST_WEEK = '2026-01-05';
/** Weeks everyone trains under the rule before the arms start: a baseline and the CUPED pre-period. */
const PRE_WEEKS = 8;
/** Staggered enrolment: each lifter joins in one of the first weeks. */
const STAGGER_WEEKS = 4;
const START = addDays(FIRST_WEEK, 7 * PRE_WEEKS);
const ARMS = [
  { name: 'control', policy: 'control', weight: 0.5 },
  { name: 'treatment', policy: 'treatment', weight: 0.5 },
];
const PRIMARY: MetricKey = 'strength_progression';
const GUARDRAILS: MetricKey[] = ['dropout', 'sessions_per_week', 'success_rate'];
/** Verdicts that act: an A/A experiment reaching one has decided falsely. */
const DECISIVE = new Set(['ship', 'worse', 'harmful on a guardrail']);

export type Enrolment = 'fixed' | 'staggered';

/** One policy's potential outcomes: every pool lifter's history and true gain under it. */
interface PolicyWorlds {
  policy: string;
  histories: ReturnType<typeof withStrength>[];
  /** Capacity at the horizon against the arms' start, % (mean over the lifter's lifts), dropouts included. */
  trueGain: number[];
}

export interface Pool {
  weeks: number;
  lifters: number;
  byPolicy: Map<string, PolicyWorlds>;
  /** outcome(policy, lifter, enrolment week index, look) — cached. */
  unit: (policy: string, lifter: number, enrolWeek: number, look: number) => AnalysisUnit;
}

/** Every pool lifter simulated under each policy (before the start: the rule), with their estimated strength. */
export function simulatePool(opts: {
  seed: number;
  lifters: number;
  weeks: number;
  policies: readonly (string | ModifierPolicy)[];
  onProgress?: (done: number, total: number) => void;
}): Pool {
  const lifters = drawLifters(opts.lifters, opts.seed, 'proof');
  const byPolicy = new Map<string, PolicyWorlds>();
  const total = opts.policies.length * lifters.length;
  let done = 0;
  for (const named of opts.policies) {
    const policy = typeof named === 'string' ? policyNamed(named) : named;
    const serve = (_: string, week: string) => (week < START ? rulesPolicy : policy);
    const worlds = { policy: policy.id, histories: [] as PolicyWorlds['histories'], trueGain: [] as number[] };
    for (const lifter of lifters) {
      const world = simulateLifter(lifter, {
        startWeek: FIRST_WEEK,
        weeks: PRE_WEEKS + opts.weeks,
        seed: opts.seed,
        policy: serve,
      });
      worlds.histories.push(withStrength(world.history, world.sessions));
      worlds.trueGain.push(trueGainSinceStart(world, opts.weeks));
      if (++done % 500 === 0 || done === total) opts.onProgress?.(done, total);
    }
    byPolicy.set(typeof named === 'string' ? named : policy.id, worlds);
  }
  const cache = new Map<string, AnalysisUnit>();
  const unit = (policy: string, lifter: number, enrolWeek: number, look: number) => {
    const key = `${policy}|${lifter}|${enrolWeek}|${look}`;
    let u = cache.get(key);
    if (!u) {
      const history = byPolicy.get(policy)!.histories[lifter]!;
      u = analysisUnit(history, 0, true, { from: addDays(START, 7 * enrolWeek), to: addDays(START, 7 * look) });
      cache.set(key, u);
    }
    return u;
  };
  return { weeks: opts.weeks, lifters: lifters.length, byPolicy, unit };
}

function trueGainSinceStart(world: LifterWorld, weeks: number): number {
  const start = 7 * PRE_WEEKS;
  const end = 7 * (PRE_WEEKS + weeks) - 1;
  const gains = world.truth.map((t) => (t.capacity[end]! / t.capacity[start]! - 1) * 100);
  return gains.reduce((a, b) => a + b, 0) / gains.length;
}

/** One simulated experiment: its lifters, their arms and enrolment weeks, drawn from the pool. */
interface Draw {
  lifters: number[];
  arms: number[];
  enrolWeeks: number[];
  /** Treatment lifters the arm loses at once (an arm that makes lifters quit): they never train under it. */
  lost: boolean[];
}

function draw(rand: () => number, pool: Pool, perArm: number, enrolment: Enrolment, loseShare = 0): Draw {
  const order = Array.from({ length: pool.lifters }, (_, i) => i);
  for (let i = 0; i < 2 * perArm; i++) {
    const j = i + Math.floor(rand() * (order.length - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const lifters = order.slice(0, 2 * perArm);
  return {
    lifters,
    arms: lifters.map((_, i) => (i < perArm ? 0 : 1)),
    enrolWeeks: lifters.map(() => (enrolment === 'fixed' ? 0 : Math.floor(rand() * STAGGER_WEEKS))),
    lost: lifters.map((_, i) => i >= perArm && rand() < loseShare),
  };
}

/** A lifter who quit when the arm started: their strength stays at the baseline, nothing logged, dropped out. */
function quitAtStart(u: AnalysisUnit): AnalysisUnit {
  const post: LifterOutcome = {
    ...u.post,
    strengthProgression: u.post.strengthProgression === null ? null : 0,
    strengthMeasured: false,
    progression: null,
    sample: 0,
    successes: 0,
    sessions: 0,
    answers: 0,
    notHelpful: 0,
    dropout: 1,
    overrides: 0,
  };
  return { ...u, post };
}

/** The units analysed at a look: the lifters enrolled by then, each with their arm's potential outcome. */
function unitsAt(pool: Pool, d: Draw, policies: readonly [string, string], look: number): AnalysisUnit[] {
  const out: AnalysisUnit[] = [];
  d.lifters.forEach((lifter, i) => {
    if (d.enrolWeeks[i]! > look) return;
    const arm = d.arms[i]!;
    const unit = { ...pool.unit(policies[arm]!, lifter, d.enrolWeeks[i]!, look), arm };
    out.push(d.lost[i] ? quitAtStart(unit) : unit);
  });
  return out;
}

export interface ExperimentRun {
  /** The first look whose verdict acts (ship, worse, harmful), or null. */
  decidedAt: number | null;
  verdict: string;
  arm: string | null;
  /** The metric whose check decided the verdict. */
  metric: string | null;
  /** A naive fixed-horizon 95 % interval of the primary, read at every look, excluded 0 at some look. */
  naiveDecided: boolean;
  /** The primary's always-valid interval excluded 0 in this direction (+1 / −1) at some look. */
  detected: 1 | -1 | 0;
  /** … at the last look (what the planner plans for); only when the experiment ran to its end. */
  detectedAtEnd: 1 | -1 | 0;
  /** The dropout guardrail at the last look: shown within its margin, and shown past it. */
  dropoutWithinMargin: boolean;
  dropoutHarmful: boolean;
  /** The split of lifters still measured was flagged at some look. */
  attritionFlagged: boolean;
}

/** An experiment analysed at every weekly look, stopped at the first verdict that acts. */
function runExperiment(
  pool: Pool,
  rand: () => number,
  opts: {
    policies: readonly [string, string];
    perArm: number;
    enrolment: Enrolment;
    toTheEnd?: boolean;
    loseShare?: number;
  },
): ExperimentRun {
  const d = draw(rand, pool, opts.perArm, opts.enrolment, opts.loseShare);
  const tuning = 2 * opts.perArm;
  const run: ExperimentRun = {
    decidedAt: null,
    verdict: 'no difference yet',
    arm: null,
    metric: null,
    naiveDecided: false,
    detected: 0,
    detectedAtEnd: 0,
    dropoutWithinMargin: false,
    dropoutHarmful: false,
    attritionFlagged: false,
  };
  for (let look = 0; look < pool.weeks; look++) {
    const a = analyse({
      arms: ARMS,
      units: unitsAt(pool, d, opts.policies, look),
      primary: PRIMARY,
      guardrails: GUARDRAILS,
      tuning,
    });
    const c = a.primary.comparisons[0]?.result;
    if (c && (c.interval[0] > 0 || c.interval[1] < 0)) run.naiveDecided = true;
    const direction = c && (c.alwaysValid[0] > 0 || c.alwaysValid[1] < 0) ? Math.sign(c.difference) : 0;
    if (run.detected === 0) run.detected = direction as ExperimentRun['detected'];
    if (look === pool.weeks - 1) run.detectedAtEnd = direction as ExperimentRun['detected'];
    const dropout = a.guardrails.find((g) => g.metric === 'dropout')!.comparisons[0]?.decision;
    run.dropoutWithinMargin = dropout?.passed ?? false;
    run.dropoutHarmful ||= dropout?.harmful ?? false;
    run.attritionFlagged ||= a.attrition.mismatch;
    if (run.decidedAt !== null) continue;
    run.verdict = a.verdict.code;
    run.arm = a.verdict.arm;
    run.metric = a.verdict.metric;
    if (DECISIVE.has(a.verdict.code)) {
      run.decidedAt = look;
      if (!opts.toTheEnd) break;
    }
  }
  return run;
}

/** Per lifter of the pool, their primary outcome at the last look (fixed enrolment), and before the start. */
function finalOutcomes(pool: Pool, policy: string) {
  const ys: number[] = [];
  const xs: number[] = [];
  for (let i = 0; i < pool.lifters; i++) {
    const u = pool.unit(policy, i, 0, pool.weeks - 1);
    ys.push(primaryValue(u.post));
    xs.push(primaryValue(u.pre));
  }
  return { ys, xs };
}

const primaryValue = (o: LifterOutcome) => o.strengthProgression ?? 0;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The primary's true effect of `treatment` over `control` in the pool, and its CUPED-adjusted per-lifter variance. */
export function estimand(pool: Pool, control: string, treatment: string) {
  const a = finalOutcomes(pool, control);
  const b = finalOutcomes(pool, treatment);
  const effect = mean(b.ys) - mean(a.ys);
  // CUPED's per-lifter variance as the analysis computes it: one θ pooled over both arms, then each arm's.
  const [pa, pb] = [paired(a.ys, a.xs), paired(b.ys, b.xs)];
  const theta = cupedTheta(pa, pb);
  const variance = (cupedEstimate(pa, theta).variance + cupedEstimate(pb, theta).variance) / 2;
  const trueGain = (p: string) => mean(pool.byPolicy.get(p)!.trueGain);
  return { effect, variance, trueGainDifference: trueGain(treatment) - trueGain(control) };
}

/** Per-lifter post (y) and pre (x) values as the moments CUPED reads. */
function paired(ys: readonly number[], xs: readonly number[]): PairedMoments {
  const moments = (v: readonly number[]) => ({
    n: v.length,
    sum: v.reduce((a, b) => a + b, 0),
    sumSquares: v.reduce((a, b) => a + b * b, 0),
  });
  return { post: moments(ys), pre: moments(xs), sumProducts: ys.reduce((a, y, i) => a + y * xs[i]!, 0) };
}

/**
 * Lifters per arm the planner asks for this effect (CUPED variance), or `wanted`, at most what the pool can split
 * in two.
 */
export function plannedPerArm(
  effect: number,
  variance: number,
  pool: Pool,
  wanted = unitsPerArm(Math.abs(effect), variance, 0.8),
): { perArm: number; capped: boolean } {
  const n = wanted;
  const max = Math.floor(pool.lifters / 2);
  return n > max ? { perArm: max, capped: true } : { perArm: Math.max(n, 2), capped: false };
}

/** Runs `count` experiments of a pair, seeded, with progress. */
export function runMany(
  pool: Pool,
  opts: {
    seed: number;
    count: number;
    policies: readonly [string, string];
    perArm: number;
    enrolment: Enrolment;
    toTheEnd?: boolean;
    loseShare?: number;
  },
  onEach?: () => void,
): ExperimentRun[] {
  const rand = seededRandom(opts.seed);
  return Array.from({ length: opts.count }, () => {
    const r = runExperiment(pool, rand, opts);
    onEach?.();
    return r;
  });
}
