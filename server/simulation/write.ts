import type { Db } from '@/db/client';
import { adaptiveModifiers, users } from '@/db/schema';
import { runAnalyticsJob } from '@/server/analytics/job';
import { recordFeedback } from '@/server/ingest/feedback';
import { recordProfileVersion } from '@/server/ingest/profile-versions';
import { recordSession } from '@/server/ingest/sessions';
import { RULE_VERSION } from '@/server/modifiers/rules';
import type { SimLifter } from './population';
import type { SimulationResult } from './simulate';

/**
 * Writes a simulated population into a database the way the app would have: lifters (opted in to analytics),
 * profile snapshots, sessions and their sets with the recommendation served (through the ingest services), the
 * feedback they gave, and the modifier rows the serving policy decided each week (what the weekly job writes).
 * Then the analytics are materialized. Lifters go one at a time, each in its own transaction.
 */
export async function writeSimulation(
  db: Db,
  lifters: readonly SimLifter[],
  world: SimulationResult,
  progress: {
    lifters?: (done: number, total: number) => void;
    analytics?: (done: number, total: number) => void;
  } = {},
  /** Leave the modifier rows to the weekly job (an experiment run through it decides them again). */
  opts: { modifiers?: boolean } = {},
): Promise<{ lifters: number; sessions: number; sets: number; modifiers: number }> {
  const counts = { lifters: 0, sessions: 0, sets: 0, modifiers: 0 };
  const sessionsOf = groupBy([...world.sessions.entries()], ([, s]) => s.user_id);
  const feedbackOf = groupBy(world.feedback, (f) => f.user_id);
  const profilesOf = groupBy(world.profiles, (p) => p.user_id);
  for (const lifter of lifters) {
    await db.transaction(async (tx) => {
      await tx.insert(users).values({ id: lifter.userId, role: 'lifter', analyticsOptIn: true });
      for (const p of profilesOf.get(lifter.userId) ?? []) {
        await recordProfileVersion(tx, lifter.userId, {
          user_id: lifter.userId,
          snapshot: p.snapshot,
          effective_date: p.effective_date,
          source: 'auto',
        });
      }
      const ids = new Map<number, string>();
      for (const [n, s] of sessionsOf.get(lifter.userId) ?? []) {
        const { sessionId } = await recordSession(tx, lifter.userId, { ...s, calories: null });
        ids.set(n, sessionId);
        counts.sessions++;
        counts.sets += s.sets.length;
      }
      for (const f of feedbackOf.get(lifter.userId) ?? []) {
        const session = world.sessions[f.session_index]!;
        await recordFeedback(
          tx,
          lifter.userId,
          { user_id: lifter.userId, ref_type: 'session', ref_id: ids.get(f.session_index)!, helpful: f.helpful },
          new Date(session.date),
        );
      }
      const decided = opts.modifiers === false ? [] : world.histories.get(lifter.userId)!.modifiers;
      const rows = decided.map((m) => ({
        userId: lifter.userId,
        exercise: m.exercise,
        weekStart: m.weekStart,
        multiplier: m.multiplier,
        repDelta: m.repDelta,
        reason: `simulated: ${m.policy}`,
        ruleVersion: RULE_VERSION,
        policy: m.policy,
        propensity: m.propensity ?? 1,
        source: m.source,
        createdAt: m.createdAt,
      }));
      if (rows.length) await tx.insert(adaptiveModifiers).values(rows);
      counts.modifiers += rows.length;
    });
    counts.lifters++;
    progress.lifters?.(counts.lifters, lifters.length);
  }
  await runAnalyticsJob(db, { onProgress: progress.analytics });
  return counts;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
