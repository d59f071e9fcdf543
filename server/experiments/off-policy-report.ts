import { and, between, eq, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { adaptiveModifiers } from '@/db/schema';
import type { LifterHistory } from '@/server/learning/history';
import { assertCurrentSchema } from '@/server/learning/model';
import { listModels, modelPolicyOf } from '@/server/learning/models';
import { decodeContext } from '@/server/learning/stored-context';
import { modifierBounds } from '@/server/modifiers/bounds';
import {
  holdPolicy,
  type ModifierPolicy,
  type PolicyContext,
  policyNamed,
  rulesPolicy,
} from '@/server/modifiers/policies';
import { strengthReadingsOf } from '@/server/strength/materialize';
import { REWARD_WEEKS } from '@/server/strength/reward';
import { addDays } from '@/server/time/calendar';
import {
  CLIP_WEIGHT,
  contextKey,
  type LoggedDecision,
  lastRewardedWeek,
  loggedDecisions,
  type OffPolicyEstimate,
  offPolicyEstimate,
} from './off-policy';
import { crossFitted, FOLDS } from './outcome-model';

/** The report's off-policy section: every policy that could serve, estimated from the explored decisions. */
export interface OffPolicyReport {
  /** What a decision's reward is, and the doubly-robust outcome model (null when the folds were too small to fit). */
  reward: string;
  outcomeModel: string | null;
  /** The decided weeks read: those whose reward weeks are over. */
  weeks: { from: string; to: string } | null;
  decisions: number;
  /** Decisions read with the context stored at decision time (the rest rebuilt from the history). */
  storedContexts: number;
  lifters: number;
  clipWeight: number;
  estimates: (OffPolicyEstimate & { served: boolean })[];
}

/** Lifters whose strength and stored contexts one statement reads. */
const BATCH = 1000;

/** Usable models, newest first: those trained on the current features. */
async function usableModels(db: Db) {
  return (await listModels(db)).filter((m) => {
    try {
      assertCurrentSchema(m.parameters, m.version);
      return true;
    } catch {
      return false;
    }
  });
}

/** The contexts stored with these lifters' explored decisions for weeks in [from, to], per lifter. */
export async function storedContexts(
  db: Db,
  userIds: readonly string[],
  from: string,
  to: string,
): Promise<Map<string, Map<string, PolicyContext>>> {
  const m = adaptiveModifiers;
  const found = await db
    .select({ userId: m.userId, exercise: m.exercise, weekStart: m.weekStart, context: m.context })
    .from(m)
    .where(
      and(
        inArray(m.userId, [...userIds]),
        eq(m.source, 'auto'),
        lt(m.propensity, 1),
        isNotNull(m.context),
        between(m.weekStart, from, to),
      ),
    );
  const out = new Map<string, Map<string, PolicyContext>>();
  for (const r of found) {
    const context = decodeContext(r.context);
    if (!context) continue;
    const lifter = out.get(r.userId) ?? new Map<string, PolicyContext>();
    lifter.set(contextKey(r.exercise, r.weekStart), context);
    out.set(r.userId, lifter);
  }
  return out;
}

/** The policies estimated: the rule, hold, the arms' research steps, every usable model. */
async function targetsOf(db: Db, arms: readonly { policy: string }[]) {
  const targets: ModifierPolicy[] = [rulesPolicy, holdPolicy];
  for (const a of arms) if (a.policy.startsWith('step@')) targets.push(policyNamed(a.policy));
  for (const m of await usableModels(db)) targets.push(await modelPolicyOf(db, m.version));
  return targets;
}

/** The estimates from explored decisions already read (histories with strength, stored contexts). */
function offPolicyOf(
  logged: readonly LoggedDecision[],
  targets: readonly ModifierPolicy[],
  served: ReadonlySet<string>,
  weeks: OffPolicyReport['weeks'],
): OffPolicyReport {
  const outcome = crossFitted(logged);
  return {
    reward: `estimated strength, change over the decided week and the ${REWARD_WEEKS - 1} after (×100 log ≈ %)`,
    outcomeModel: outcome ? `least squares on the model's features, cross-fitted over ${FOLDS} folds of lifters` : null,
    weeks,
    decisions: logged.length,
    storedContexts: logged.filter((d) => d.stored).length,
    lifters: new Set(logged.map((d) => d.lifter)).size,
    clipWeight: CLIP_WEIGHT,
    estimates: targets.flatMap((t) => {
      const e = offPolicyEstimate(t, logged, outcome);
      return e ? [{ ...e, served: served.has(t.id) }] : [];
    }),
  };
}

export async function offPolicyFromHistories(
  db: Db,
  histories: readonly LifterHistory[],
  opts: { startWeek: string; lastWeek: string; arms: readonly { policy: string }[] },
): Promise<OffPolicyReport> {
  const from = opts.startWeek;
  const to = lastRewardedWeek(opts.lastWeek);
  const targets = await targetsOf(db, opts.arms);
  const served = new Set(opts.arms.map((a) => a.policy));
  if (to < from) return offPolicyOf([], targets, served, null);
  const bounds = modifierBounds();
  const logged: LoggedDecision[] = [];
  // A batch of lifters a statement: each read lists their ids as parameters.
  for (let k = 0; k < histories.length; k += BATCH) {
    const batch = histories.slice(k, k + BATCH);
    const ids = batch.map((h) => h.userId);
    const [readings, contexts] = await Promise.all([
      strengthReadingsOf(
        db,
        sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        ),
        addDays(from, -7 * 8),
        addDays(opts.lastWeek, 6),
      ),
      storedContexts(db, ids, from, to),
    ]);
    for (const h of batch) {
      logged.push(
        ...loggedDecisions(
          { ...h, strength: readings.get(h.userId) ?? [] },
          { from, to, bounds },
          contexts.get(h.userId),
        ),
      );
    }
  }
  return offPolicyOf(logged, targets, served, { from, to });
}
