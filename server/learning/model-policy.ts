import type { ModifierPolicy } from '@/server/modifiers/policies';
import { type Action, type Decision, type Modifier, successRate } from '@/server/modifiers/rules';
import { type ModelParameters, predict } from './model';

/**
 * The `model@<version>` policy: among candidate steps of the load (−5, −2.5, 0, +2.5, +5 % of what is in force) —
 * and one rep fewer when the exercise's policy is `reps` — the largest load whose predicted success reaches the
 * model's target, within the bounds. When none does, the candidate most likely to succeed.
 */
export const LOAD_STEPS = [-0.05, -0.025, 0, 0.025, 0.05] as const;

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
const pct = (x: number) => `${Math.round(x * 100)}%`;

function actionOf(current: Modifier, next: Modifier): Action {
  if (next.repDelta < current.repDelta) return 'reduce_reps';
  if (next.repDelta > current.repDelta) return 'restore_reps';
  if (next.multiplier > current.multiplier) return 'increase';
  if (next.multiplier < current.multiplier) return 'decrease';
  return 'hold';
}

export function modelPolicy(version: number, params: ModelParameters, target: number): ModifierPolicy {
  const id = `model@${version}`;
  return {
    id,
    decide(c) {
      const { current, bounds } = c;
      const seen = new Set<string>();
      const candidates: Modifier[] = [];
      const add = (m: Modifier) => {
        const k = `${m.multiplier}/${m.repDelta}`;
        if (!seen.has(k)) candidates.push(m);
        seen.add(k);
      };
      for (const step of LOAD_STEPS) {
        add({
          multiplier: Math.min(bounds.max, Math.max(bounds.min, round4(current.multiplier * (1 + step)))),
          repDelta: current.repDelta,
        });
      }
      if (c.exercisePolicy === 'reps' && current.repDelta > bounds.minRepDelta) {
        add({ multiplier: current.multiplier, repDelta: current.repDelta - 1 });
      }
      const scored = candidates.map((m) => ({ ...m, p: predict(params, c, m) }));
      const reaching = scored
        .filter((s) => s.p >= target)
        .sort((a, b) => b.multiplier - a.multiplier || b.repDelta - a.repDelta);
      const chosen = reaching[0] ?? [...scored].sort((a, b) => b.p - a.p)[0]!;
      const at = `×${chosen.multiplier.toFixed(3)}${chosen.repDelta !== current.repDelta ? `, ${chosen.repDelta} reps` : ''}`;
      const reason = reaching[0]
        ? `model v${version}: p(success) ${chosen.p.toFixed(2)} at ${at} ≥ ${pct(target)}`
        : `model v${version}: no step reaches ${pct(target)}; the likeliest is ${at} (p ${chosen.p.toFixed(2)})`;
      const decision: Decision = {
        multiplier: chosen.multiplier,
        repDelta: chosen.repDelta,
        action: actionOf(current, chosen),
        successRate: successRate(c.outcomes[0]),
        sample: c.outcomes[0]?.sample ?? 0,
        reason,
        pSuccess: chosen.p,
      };
      return decision;
    },
  };
}
