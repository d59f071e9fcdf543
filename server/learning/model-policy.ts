import { DELOAD_PROPOSAL, deloadAllowed, type ModifierPolicy, type PolicyContext } from '@/server/modifiers/policies';
import { actionOf, type Decision, type Modifier, successRate } from '@/server/modifiers/rules';
import { type ModelParameters, predict, predictGain } from './model';

/** Candidate steps of the load, as shares of the multiplier in force. */
const LOAD_STEPS = [-0.05, -0.025, 0, 0.025, 0.05] as const;

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
const pct = (x: number) => `${Math.round(x * 100)}%`;

/** One step a policy may take for next week: a modifier, and whether the week is a deload. */
export type Step = Modifier & Pick<Decision, 'deload'>;

/** How a reason names a deload step. */
export const deloadWeek = (d: NonNullable<Step['deload']>) =>
  `a deload week (load ×${d.loadFactor}, sets ×${d.setFactor})`;

/** The same step: the same modifier, both a deload week or neither. */
export const sameStep = (a: Step, b: Step) =>
  a.multiplier === b.multiplier && a.repDelta === b.repDelta && !a.deload === !b.deload;

/**
 * The steps a step policy chooses among: the load ±5 %, ±2.5 % or held, within the bounds; under `reps` a rep
 * fewer, and a rep back while any was taken off; and a deload week (`DELOAD_PROPOSAL`, the modifier held) when
 * the exercise had none in the last 4 weeks.
 */
export function candidateSteps(c: PolicyContext): Step[] {
  const { current, bounds } = c;
  const out = new Map<string, Step>();
  const add = (m: Step) => out.set(`${m.multiplier}/${m.repDelta}/${m.deload ? 'deload' : ''}`, m);
  for (const step of LOAD_STEPS) {
    add({
      multiplier: Math.min(bounds.max, Math.max(bounds.min, round4(current.multiplier * (1 + step)))),
      repDelta: current.repDelta,
    });
  }
  if (c.exercisePolicy === 'reps' && current.repDelta > bounds.minRepDelta) {
    add({ multiplier: current.multiplier, repDelta: current.repDelta - 1 });
  }
  if (current.repDelta < 0) add({ multiplier: current.multiplier, repDelta: current.repDelta + 1 });
  if (deloadAllowed(c))
    add({ multiplier: current.multiplier, repDelta: current.repDelta, deload: { ...DELOAD_PROPOSAL } });
  return [...out.values()];
}

/**
 * A policy that scores each candidate step by a probability of success and keeps those reaching `target` (the
 * risk bound). Among them it takes the one with the largest expected gain when it has a `gain` scorer, else the
 * largest load; when none reaches the bound, the candidate most likely to succeed. `model@V` scores with a trained
 * model; the simulator's oracle scores with the truth, to say what the best step would have been.
 */
export function stepPolicy(opts: {
  id: string;
  /** How the reason names the scorer: `model v3`. */
  label: string;
  target: number;
  pSuccess: (c: PolicyContext, m: Step) => number;
  gain?: (c: PolicyContext, m: Step) => number;
}): ModifierPolicy {
  const { id, label, target, pSuccess, gain } = opts;
  return {
    id,
    decide(c) {
      const { current } = c;
      const scored = candidateSteps(c).map((m) => ({ ...m, p: pSuccess(c, m), gain: gain?.(c, m) ?? null }));
      const reaching = scored
        .filter((s) => s.p >= target)
        .sort(
          (a, b) =>
            (b.gain ?? 0) - (a.gain ?? 0) ||
            Number(!!a.deload) - Number(!!b.deload) ||
            b.multiplier - a.multiplier ||
            b.repDelta - a.repDelta,
        );
      const chosen =
        reaching[0] ?? [...scored].sort((a, b) => b.p - a.p || Number(!!a.deload) - Number(!!b.deload))[0]!;
      const at = chosen.deload
        ? deloadWeek(chosen.deload)
        : `×${chosen.multiplier.toFixed(3)}${chosen.repDelta !== current.repDelta ? `, ${chosen.repDelta} reps` : ''}`;
      const expected =
        chosen.gain === null
          ? ''
          : `expected strength ${chosen.gain >= 0 ? '+' : ''}${chosen.gain.toFixed(2)} % over 4 weeks, `;
      const reason = reaching[0]
        ? `${label}: ${expected}p(success) ${chosen.p.toFixed(2)} at ${at} ≥ ${pct(target)}`
        : `${label}: no step reaches ${pct(target)}; the likeliest is ${at} (p ${chosen.p.toFixed(2)})`;
      const decision: Decision = {
        multiplier: chosen.multiplier,
        repDelta: chosen.repDelta,
        action: actionOf(current, chosen),
        successRate: successRate(c.outcomes[0]),
        sample: c.outcomes[0]?.sample ?? 0,
        reason,
        pSuccess: chosen.p,
        ...(chosen.deload ? { deload: chosen.deload } : {}),
      };
      return decision;
    },
  };
}

/**
 * The `model@<version>` policy: among the candidate steps whose predicted P(success next week) reaches the target,
 * the one with the largest predicted strength gain.
 */
export function modelPolicy(version: number, params: ModelParameters, target: number): ModifierPolicy {
  return stepPolicy({
    id: `model@${version}`,
    label: `model v${version}`,
    target,
    pSuccess: (c, m) => predict(params, c, m),
    gain: (c, m) => predictGain(params, c, m),
  });
}
