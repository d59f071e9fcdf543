import type { Db } from '@/db/client';
import type { LifterHistory } from '@/server/learning/history';
import { assertCurrentSchema, predict } from '@/server/learning/model';
import { listModels, modelPolicyOf } from '@/server/learning/models';
import { modifierBounds } from '@/server/modifiers/bounds';
import { holdPolicy, type ModifierPolicy, rulesPolicy } from '@/server/modifiers/policies';
import { loggedDecisions, type OffPolicyEstimate, offPolicyEstimate } from './off-policy';

/** The report's off-policy section: every policy that could serve, estimated from the explored decisions. */
export interface OffPolicyReport {
  /** The stored model predicting outcomes for the doubly-robust estimates; null when none can. */
  outcomeModel: string | null;
  decisions: number;
  lifters: number;
  estimates: (OffPolicyEstimate & { served: boolean })[];
}

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

export async function offPolicyFromHistories(
  db: Db,
  histories: readonly LifterHistory[],
  opts: { startWeek: string; lastWeek: string; arms: readonly { policy: string }[] },
): Promise<OffPolicyReport> {
  const bounds = modifierBounds();
  const logged = histories.flatMap((h) => loggedDecisions(h, opts.startWeek, opts.lastWeek, bounds));
  const models = await usableModels(db);
  const newest = models[0];
  const outcomeModel = newest
    ? (c: Parameters<typeof predict>[1], m: Parameters<typeof predict>[2]) => predict(newest.parameters, c, m)
    : null;
  const targets: ModifierPolicy[] = [rulesPolicy, holdPolicy];
  for (const m of models) targets.push(await modelPolicyOf(db, m.version));
  const served = new Set(opts.arms.map((a) => a.policy));
  return {
    outcomeModel: newest ? `model@${newest.version}` : null,
    decisions: logged.length,
    lifters: new Set(logged.map((d) => d.lifter)).size,
    estimates: targets.flatMap((t) => {
      const e = offPolicyEstimate(t, logged, outcomeModel);
      return e ? [{ ...e, served: served.has(t.id) }] : [];
    }),
  };
}
