import jStat from 'jstat';
import type { MetricKey } from '@/server/contracts/experiments';
import { boundaryOf, type Decision, decide, type Margins, marginsWith } from './decisions';
import type { LifterOutcome } from './outcomes';
import {
  ALPHA,
  type Comparison,
  compare,
  cupedEstimate,
  cupedTheta,
  type Estimate,
  type Moments,
  meanInterval,
  type PairedMoments,
  plannedWidthFactor,
  type RatioMoments,
  ratioEstimate,
  SEQUENTIAL_TUNING,
  SRM_P_VALUE,
  type SrmCheck,
  sampleEstimate,
  sequentialHalfwidth,
  srmCheck,
  unitsPerArm,
  varianceOf,
} from './statistics';
import { inSubgroup, type LifterTraits, SUBGROUPS, type Subgroup } from './traits';

/**
 * An experiment's evaluation from its lifters' outcomes: who was counted, the sample-ratio check, each metric per
 * arm and each arm against the control (the first arm) — a fixed-horizon 95 % interval and an always-valid one —
 * CUPED on mean metrics, and the verdict. Pure: the report over the database and the simulator's experiments in
 * memory both end here.
 */

export interface MetricDefinition {
  label: string;
  unit: string;
  /** Which direction is good: a guardrail is harmed when its always-valid interval lies wholly the other way. */
  better: 'higher' | 'lower';
  /** A mean of one value per lifter, or a ratio of sums over lifters (delta method). */
  value?: (o: LifterOutcome) => number | null;
  /** Whether the lifter was still measured, where the value counts every lifter (attrition); default: has a value. */
  measured?: (o: LifterOutcome) => boolean;
  /** A continuous per-lifter value whose extremes are capped (`WINSOR_DEFAULT`); not a 0/1 or a count. */
  winsorised?: true;
  ratio?: (o: LifterOutcome) => [number, number];
}

export const METRICS: Record<MetricKey, MetricDefinition> = {
  // Intention to treat: a lifter without any estimate gained nothing measurable, and counts so.
  strength_progression: {
    label: 'Estimated-strength progression',
    unit: '% per week',
    better: 'higher',
    value: (o) => o.strengthProgression ?? 0,
    measured: (o) => o.strengthMeasured,
    winsorised: true,
  },
  e1rm_progression: {
    label: 'e1RM progression',
    unit: '% per week',
    better: 'higher',
    value: (o) => o.progression,
    winsorised: true,
  },
  success_rate: {
    label: 'Success rate against the prescription',
    unit: 'share of sets',
    better: 'higher',
    ratio: (o) => [o.successes, o.sample],
  },
  sessions_per_week: {
    label: 'Sessions per week',
    unit: 'sessions',
    better: 'higher',
    value: (o) => (o.weeks > 0 ? o.sessions / o.weeks : null),
    winsorised: true,
  },
  not_helpful_share: {
    label: '“Not helpful” feedback',
    unit: 'share of answers',
    better: 'lower',
    ratio: (o) => [o.notHelpful, o.answers],
  },
  dropout: {
    label: 'Drop-out (no session for 14 days)',
    unit: 'share of lifters',
    better: 'lower',
    value: (o) => o.dropout,
  },
  coach_overrides: {
    label: 'Coach overrides',
    unit: 'per lifter',
    better: 'lower',
    value: (o) => o.overrides,
  },
};

/**
 * Per-lifter outcomes of continuous metrics are capped at the 1st and 99th percentiles of all lifters analysed
 * (pooled over arms, so no arm's own tail decides its cap): one lifter's typo or a week of a hundred sessions
 * cannot swing a mean. GrowthBook caps metrics the same way ("percentile capping", 99th by default).
 */
export const WINSOR_DEFAULT = 0.01;

export interface ArmSpec {
  name: string;
  policy: string;
  weight: number;
}

/** One lifter: the arm they were assigned (intention to treat), whether the app was served it, their outcomes. */
export interface AnalysisUnit {
  arm: number;
  exposed: boolean;
  post: LifterOutcome;
  /** The same outcomes over the PRE_WEEKS weeks before: the CUPED covariate. */
  pre: LifterOutcome;
  /** Training level and sex at the start: the subgroups effects are broken down by. */
  traits?: LifterTraits;
}

interface ArmSummary {
  mean: number;
  /** Lifters with a value of this metric. */
  n: number;
  /** 95 % interval of the arm's own mean. */
  interval: [number, number] | null;
}

export interface MetricComparison {
  arm: string;
  /** The comparison reported (CUPED-adjusted when the metric has a covariate); null while too few lifters. */
  result: Comparison | null;
  /** Difference relative to the control's mean. */
  relative: number | null;
  /** The same without CUPED, beside it. */
  unadjusted: Comparison | null;
  cuped: boolean;
  /** The verdict's test of this comparison, Holm-corrected with the others (`decisions.ts`); set by `analyse`. */
  decision?: Decision;
}

export interface MetricResult {
  metric: MetricKey;
  label: string;
  unit: string;
  better: 'higher' | 'lower';
  armNames: string[];
  arms: ArmSummary[];
  comparisons: MetricComparison[];
  /** A guardrail's non-inferiority margin, in its unit (how much worse an arm may be); null for the primary. */
  margin?: number | null;
}

type VerdictCode =
  | 'invalid: SRM'
  | 'invalid: attrition'
  | 'harmful on a guardrail'
  | 'ship'
  | 'guardrails pending'
  | 'worse'
  | 'no difference yet';

interface Verdict {
  code: VerdictCode;
  /** The arm the verdict is about (the one to ship, the one harming). */
  arm: string | null;
  metric: MetricKey | null;
  line: string;
}

export interface Analysis {
  population: 'exposed' | 'assigned';
  arms: (ArmSpec & { assigned: number; exposed: number; analysed: number; coachOverrides: number })[];
  srm: SrmCheck & { counts: number[]; expectedShares: number[] };
  /**
   * The same check on the lifters with a primary outcome (those the metric counts): arms that lose lifters
   * unevenly — one plan making more of them stop — bias the comparison even when the split was sound.
   */
  attrition: SrmCheck & { counts: number[] };
  /** The quantile continuous outcomes were capped at (and its complement); 0: not capped. */
  winsor: number;
  primary: MetricResult;
  guardrails: MetricResult[];
  /** The primary metric within each training level and sex, its intervals Bonferroni-corrected over the subgroups. */
  subgroups: SubgroupResult[];
  verdict: Verdict;
}

interface SubgroupResult {
  dimension: Subgroup['dimension'];
  group: Subgroup['group'];
  /** The level of each interval: α divided among the subgroups. */
  alpha: number;
  primary: MetricResult;
}

/** The primary metric within each subgroup of the lifters analysed (those without a known trait are in none). */
function subgroupResults(
  metric: MetricKey,
  arms: readonly ArmSpec[],
  units: readonly AnalysisUnit[],
  opts: { tuning?: number; winsor: number },
): SubgroupResult[] {
  const alpha = ALPHA / SUBGROUPS.length;
  return SUBGROUPS.map((s) => ({
    dimension: s.dimension,
    group: s.group,
    alpha,
    primary: metricResult(
      metric,
      arms,
      units.filter((u) => inSubgroup(u.traits, s)),
      { ...opts, alpha },
    ),
  }));
}

export interface AnalysisInput {
  arms: ArmSpec[];
  units: readonly AnalysisUnit[];
  primary: MetricKey;
  guardrails: readonly MetricKey[];
  /** The sample size the confidence sequence is tuned for; fixed before the experiment (the plan), else the default. */
  tuning?: number;
  /** Before the first complete week: the lifters enrolled so far, counted (and checked for SRM) with no outcome yet. */
  enrolledOnly?: boolean;
  /** Every lifter assigned so far, for the arms' assigned and exposed counts (default: the units). */
  enrolled?: readonly { arm: number; exposed: boolean }[];
  /** Cap continuous outcomes at this quantile and its complement (default `WINSOR_DEFAULT`; 0: no cap). */
  winsor?: number;
  /** The guardrails' non-inferiority margins where the experiment sets its own (the defaults elsewhere). */
  margins?: Partial<Margins> | null;
}

const emptyMoments = (): Moments => ({ n: 0, sum: 0, sumSquares: 0 });
const add = (m: Moments, x: number) => {
  m.n += 1;
  m.sum += x;
  m.sumSquares += x * x;
};

/** The lifters the analysis counts: those exposed, once the app has been served any overlay; else every assigned. */
export function analysedUnits(units: readonly AnalysisUnit[]): {
  population: 'exposed' | 'assigned';
  units: AnalysisUnit[];
} {
  return units.some((u) => u.exposed)
    ? { population: 'exposed', units: units.filter((u) => u.exposed) }
    : { population: 'assigned', units: [...units] };
}

/** A metric per arm and each arm against the control (arm 0). */
export function metricResult(
  metric: MetricKey,
  arms: readonly ArmSpec[],
  units: readonly AnalysisUnit[],
  opts: { tuning?: number; cuped?: boolean; winsor?: number; alpha?: number } = {},
): MetricResult {
  const def = METRICS[metric];
  const winsor = def.winsorised ? (opts.winsor ?? WINSOR_DEFAULT) : 0;
  const tuning = opts.tuning ?? SEQUENTIAL_TUNING;
  const byArm = arms.map((_, i) => units.filter((u) => u.arm === i));
  let estimates: Estimate[];
  let comparisons: MetricComparison[];
  if (def.ratio) {
    const ratio = def.ratio;
    estimates = byArm.map((us) => {
      const r: RatioMoments = { m: emptyMoments(), d: emptyMoments(), sumProducts: 0 };
      for (const u of us) {
        const [m, d] = ratio(u.post);
        add(r.m, m);
        add(r.d, d);
        r.sumProducts += m * d;
      }
      return ratioEstimate(r);
    });
    comparisons = arms.slice(1).map((arm, i) => {
      const result = compare(estimates[0]!, estimates[i + 1]!, { tuning, alpha: opts.alpha });
      return { arm: arm.name, result, relative: relativeOf(result, estimates[0]!), unadjusted: result, cuped: false };
    });
  } else {
    const post = capped(def.value!, units, (u) => u.post, winsor);
    const pre = capped(def.value!, units, (u) => u.pre, winsor);
    // The covariate: the same metric before; a lifter without it gets the pooled pre-period mean (no adjustment).
    const preValues = units.map(pre).filter((x): x is number => x !== null);
    const preMean = preValues.length ? preValues.reduce((a, b) => a + b, 0) / preValues.length : 0;
    const paired = byArm.map((us) => {
      const p: PairedMoments = { post: emptyMoments(), pre: emptyMoments(), sumProducts: 0 };
      for (const u of us) {
        const y = post(u);
        if (y === null) continue;
        const x = pre(u) ?? preMean;
        add(p.post, y);
        add(p.pre, x);
        p.sumProducts += x * y;
      }
      return p;
    });
    const useCuped = (opts.cuped ?? true) && preValues.length >= 2;
    estimates = paired.map((p) => sampleEstimate(p.post));
    comparisons = arms.slice(1).map((arm, i) => {
      const control = paired[0]!;
      const treatment = paired[i + 1]!;
      const unadjusted = compare(estimates[0]!, estimates[i + 1]!, { tuning, alpha: opts.alpha });
      if (!useCuped)
        return {
          arm: arm.name,
          result: unadjusted,
          relative: relativeOf(unadjusted, estimates[0]!),
          unadjusted,
          cuped: false,
        };
      const theta = cupedTheta(control, treatment);
      const result = compare(cupedEstimate(control, theta), cupedEstimate(treatment, theta), {
        tuning,
        alpha: opts.alpha,
      });
      return { arm: arm.name, result, relative: relativeOf(result, estimates[0]!), unadjusted, cuped: true };
    });
  }
  return {
    metric,
    label: def.label,
    unit: def.unit,
    better: def.better,
    armNames: arms.map((a) => a.name),
    arms: estimates.map((e) => ({ mean: e.mean, n: e.n, interval: meanInterval(e) })),
    comparisons,
  };
}

/**
 * A unit's value of a metric over one period, capped at the `q` and `1 − q` quantiles of every unit's (pooled over
 * arms); the value as it is when `q` is 0 or too few lifters have one to speak of tails.
 */
function capped(
  value: (o: LifterOutcome) => number | null,
  units: readonly AnalysisUnit[],
  period: (u: AnalysisUnit) => LifterOutcome,
  q: number,
): (u: AnalysisUnit) => number | null {
  const read = (u: AnalysisUnit) => value(period(u));
  const values = units.map(read).filter((x): x is number => x !== null);
  if (q <= 0 || values.length < 2) return read;
  const [low, high] = [jStat.percentile(values, q), jStat.percentile(values, 1 - q)];
  return (u) => {
    const x = read(u);
    return x === null ? null : Math.min(high, Math.max(low, x));
  };
}

const relativeOf = (c: Comparison | null, control: Estimate) =>
  c && control.mean !== 0 ? c.difference / Math.abs(control.mean) : null;

const fmt = (x: number) => {
  const a = Math.abs(x);
  const s = a >= 100 ? x.toFixed(0) : a >= 1 ? x.toFixed(2) : x.toPrecision(2);
  return x > 0 ? `+${s}` : s;
};
const interval = (c: Comparison) => `always-valid 95 % CI ${fmt(c.alwaysValid[0])} to ${fmt(c.alwaysValid[1])}`;

/** The arms' counts of lifters with a primary outcome, checked against the weights as the split is. */
function attritionOf(metric: MetricKey, arms: readonly ArmSpec[], units: readonly AnalysisUnit[]) {
  const def = METRICS[metric];
  const has = (o: LifterOutcome) =>
    def.measured ? def.measured(o) : def.ratio ? def.ratio(o)[1] > 0 : def.value!(o) !== null;
  const counts = arms.map((_, i) => units.filter((u) => u.arm === i && has(u.post)).length);
  const totals = arms.map((_, i) => units.filter((u) => u.arm === i).length);
  return { ...attritionCheck(counts, totals), counts };
}

/**
 * Whether the arms keep their lifters alike: Pearson's chi-square of independence of arm × (still measured, lost)
 * over the lifters analysed, flagged at the SRM threshold. Conditioning on each arm's lifters makes it far more
 * sensitive than an SRM of the measured counts alone: 10 % more lost in one arm of 2,000 is flagged.
 */
export function attritionCheck(measured: readonly number[], totals: readonly number[]): SrmCheck {
  const all = totals.reduce((a, b) => a + b, 0);
  const kept = measured.reduce((a, b) => a + b, 0);
  if (all === 0 || kept === 0 || kept === all || totals.length < 2) return { chiSquare: 0, pValue: 1, mismatch: false };
  let chiSquare = 0;
  totals.forEach((n, i) => {
    for (const [observed, share] of [
      [measured[i]!, kept / all],
      [n - measured[i]!, 1 - kept / all],
    ] as const) {
      const expected = n * share;
      if (expected > 0) chiSquare += (observed - expected) ** 2 / expected;
    }
  });
  const pValue = 1 - jStat.chisquare.cdf(chiSquare, totals.length - 1);
  return { chiSquare, pValue, mismatch: pValue < SRM_P_VALUE };
}

/** The one line a researcher reads first. SRM first: a broken split invalidates everything below it. */
function verdictOf(analysis: Omit<Analysis, 'verdict'>): Verdict {
  const { srm, primary, guardrails, arms, population } = analysis;
  if (srm.mismatch) {
    const counts = arms.map((a) => `${a.name} ${srm.counts[arms.indexOf(a)]}`).join(', ');
    const plan = arms.map((a) => Math.round(a.weight * 100)).join('/');
    return {
      code: 'invalid: SRM',
      arm: null,
      metric: null,
      line: `invalid: SRM — ${population} lifters ${counts} against a ${plan} plan (p = ${srm.pValue.toPrecision(2)}); find the cause before reading any result.`,
    };
  }
  const { attrition } = analysis;
  if (attrition.mismatch) {
    const counts = arms.map((a, i) => `${a.name} ${attrition.counts[i]} of ${srm.counts[i]}`).join(', ');
    return {
      code: 'invalid: attrition',
      arm: null,
      metric: primary.metric,
      line: `invalid: attrition — lifters with a ${primary.label.toLowerCase()}: ${counts} (p = ${attrition.pValue.toPrecision(2)}); the arms lose lifters unevenly, so the comparison is biased: read the dropout guardrail.`,
    };
  }
  const harm = guardrails.flatMap((g) => g.comparisons.map((c) => ({ g, c }))).find(({ c }) => c.decision?.harmful);
  if (harm?.c.result)
    return {
      code: 'harmful on a guardrail',
      arm: harm.c.arm,
      metric: harm.g.metric,
      line: `harmful on a guardrail: ${harm.c.arm} moves ${harm.g.label.toLowerCase()} ${fmt(harm.c.result.difference)} ${harm.g.unit}, past its margin of ${fmt(harm.c.decision!.nullValue)} (${interval(harm.c.result)}; Holm p = ${harm.c.decision!.harmHolmPValue.toPrecision(2)}).`,
    };
  const sign = primary.better === 'higher' ? 1 : -1;
  const ahead = primary.comparisons
    .filter((c) => c.decision?.passed)
    .sort((a, b) => sign * (b.result!.difference - a.result!.difference));
  const pending = (arm: string) =>
    guardrails.flatMap((g) => g.comparisons.filter((c) => c.arm === arm && !c.decision?.passed).map((c) => ({ g, c })));
  const shippable = ahead.find((c) => pending(c.arm).length === 0);
  const tests = [primary, ...guardrails].reduce((n, m) => n + m.comparisons.length, 0);
  if (shippable?.result)
    return {
      code: 'ship',
      arm: shippable.arm,
      metric: primary.metric,
      line: `ship ${shippable.arm}: ${primary.label} ${fmt(shippable.result.difference)} ${primary.unit} against ${arms[0]!.name} (${interval(shippable.result)}${shippable.cuped ? ', CUPED' : ''}), and every guardrail within its margin — Holm across ${tests} tests.`,
    };
  const best = ahead[0];
  if (best?.result) {
    const { g, c } = pending(best.arm)[0]!;
    return {
      code: 'guardrails pending',
      arm: best.arm,
      metric: g.metric,
      line: `not yet: ${best.arm} is ahead on ${primary.label.toLowerCase()} (${fmt(best.result.difference)} ${primary.unit}), but ${g.label.toLowerCase()} is not yet shown within its margin of ${fmt(c.decision?.nullValue ?? 0)} ${g.unit}${c.result ? ` (${interval(c.result)})` : ' (too few lifters)'}.`,
    };
  }
  const loser = primary.comparisons.find((c) => c.decision?.harmful);
  if (loser?.result)
    return {
      code: 'worse',
      arm: loser.arm,
      metric: primary.metric,
      line: `keep ${arms[0]!.name}: ${loser.arm}'s ${primary.label} is ${fmt(loser.result.difference)} ${primary.unit} (${interval(loser.result)}).`,
    };
  const shown = primary.comparisons.find((c) => c.result);
  return {
    code: 'no difference yet',
    arm: null,
    metric: primary.metric,
    line: shown?.result
      ? `no difference yet: ${primary.label} ${shown.arm} − ${arms[0]!.name} ${fmt(shown.result.difference)} ${primary.unit}, ${interval(shown.result)} includes 0.`
      : `no difference yet: too few lifters with a ${primary.label.toLowerCase()} in every arm.`,
  };
}

/** The primary's and the guardrails' comparisons, each with its Holm-corrected decision and its margin. */
function withDecisions(primary: MetricResult, guardrails: MetricResult[], margins: Margins) {
  const all = [primary, ...guardrails];
  const questions = all.flatMap((m, k) =>
    m.comparisons.map((c) => ({ metric: m.metric, better: m.better, primary: k === 0, result: c.result })),
  );
  const decisions = decide(questions, undefined, margins);
  let i = 0;
  const decided = all.map((m, k) => ({
    ...m,
    margin: k === 0 ? null : Math.abs(boundaryOf({ metric: m.metric, better: m.better, primary: false }, margins)),
    comparisons: m.comparisons.map((c) => ({ ...c, decision: decisions[i++]! })),
  }));
  return { primary: decided[0]!, guardrails: decided.slice(1) };
}

export function analyse(input: AnalysisInput): Analysis {
  const { arms } = input;
  const { population, units: counted } = analysedUnits(input.units);
  const units = input.enrolledOnly ? [] : counted;
  const counts = arms.map((_, i) => counted.filter((u) => u.arm === i).length);
  const srm = srmCheck(
    counts,
    arms.map((a) => a.weight),
  );
  const tuning = input.tuning;
  const winsor = input.winsor ?? WINSOR_DEFAULT;
  const partial: Omit<Analysis, 'verdict'> = {
    population,
    arms: arms.map((a, i) => ({
      ...a,
      assigned: (input.enrolled ?? input.units).filter((u) => u.arm === i).length,
      exposed: (input.enrolled ?? input.units).filter((u) => u.arm === i && u.exposed).length,
      analysed: counts[i]!,
      coachOverrides: units.filter((u) => u.arm === i).reduce((s, u) => s + u.post.overrides, 0),
    })),
    srm: { ...srm, counts, expectedShares: arms.map((a) => a.weight) },
    attrition: attritionOf(input.primary, arms, units),
    winsor,
    subgroups: subgroupResults(input.primary, arms, units, { tuning, winsor }),
    ...withDecisions(
      metricResult(input.primary, arms, units, { tuning, winsor }),
      input.guardrails.map((g) => metricResult(g, arms, units, { tuning, winsor })),
      marginsWith(input.margins),
    ),
  };
  const verdict: Verdict = input.enrolledOnly
    ? {
        code: 'no difference yet',
        arm: null,
        metric: input.primary,
        line: 'no difference yet: no complete week under the arms so far.',
      }
    : verdictOf(partial);
  return { ...partial, verdict: srm.mismatch ? verdictOf(partial) : verdict };
}

export interface Plan {
  metric: MetricKey;
  /** Lifters with a value in the last PRE_WEEKS weeks (and the weeks before, for the correlation). */
  lifters: number;
  mean: number;
  variance: number;
  /** Correlation of a lifter's value with their value PRE_WEEKS weeks earlier: what CUPED can remove. */
  correlation: number | null;
  varianceCuped: number | null;
  mde: number;
  power: number;
  alpha: number;
  liftersPerArm: number | null;
  liftersPerArmCuped: number | null;
  /** The test planned for: the verdict's confidence sequence, tuned to the planned lifters. */
  design: 'always-valid';
  /** Its half-width at the planned size, in standard errors (a single fixed look: 1.96). */
  halfwidthSe: number;
}

/**
 * The planning calculator: lifters per arm to detect `mde` (absolute, in the metric's unit) with `power`, from
 * the variance of the metric measured in history — and with CUPED, whose variance is σ²(1 − ρ²) for the
 * correlation ρ between consecutive periods (Deng et al. 2013).
 */
export function plan(
  metric: MetricKey,
  recent: readonly (number | null)[],
  earlier: readonly (number | null)[],
  opts: { mde?: number; power?: number; alpha?: number; arms?: number } = {},
): Plan {
  const power = opts.power ?? 0.8;
  const alpha = opts.alpha ?? ALPHA;
  const m = emptyMoments();
  const pairs: [number, number][] = [];
  recent.forEach((y, i) => {
    if (y === null) return;
    add(m, y);
    const x = earlier[i];
    if (x !== null && x !== undefined) pairs.push([x, y]);
  });
  const mean = m.n ? m.sum / m.n : 0;
  const variance = varianceOf(m);
  const correlation = correlationOf(pairs);
  const varianceCuped = correlation === null ? null : variance * (1 - correlation ** 2);
  // By default, a fifth of the metric's typical size.
  const mde = opts.mde ?? Math.abs(mean) * 0.2;
  const per = (v: number | null) =>
    v !== null && v > 0 && mde > 0 ? unitsPerArm(mde, v, power, alpha, opts.arms ?? 2) : null;
  return {
    metric,
    lifters: m.n,
    mean,
    variance,
    correlation,
    varianceCuped,
    mde,
    power,
    alpha,
    liftersPerArm: per(variance),
    liftersPerArmCuped: per(varianceCuped),
    design: 'always-valid',
    halfwidthSe: plannedWidthFactor(alpha, opts.arms ?? 2),
  };
}

function correlationOf(pairs: readonly [number, number][]): number | null {
  if (pairs.length < 3) return null;
  const n = pairs.length;
  const mx = pairs.reduce((s, p) => s + p[0], 0) / n;
  const my = pairs.reduce((s, p) => s + p[1], 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of pairs) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
}

/**
 * The power the verdict's test has for `mde` with this many lifters per arm, given the per-lifter variance: the
 * confidence sequence, tuned to the planned lifters (by default these), excluding 0 at this size.
 */
export function predictedPower(
  mde: number,
  variance: number,
  perArm: number,
  opts: { arms?: number; tuning?: number } = {},
) {
  const arms = opts.arms ?? 2;
  const se = Math.sqrt((2 * variance) / perArm);
  const tuning = opts.tuning ?? perArm * arms;
  const c = sequentialHalfwidth(1, 2 * perArm, ALPHA, tuning);
  return jStat.normal.cdf(mde / se - c, 0, 1) + jStat.normal.cdf(-mde / se - c, 0, 1);
}
