import type { Db } from '@/db/client';
import { runAnalyticsJob } from '@/server/analytics/job';
import { type LifterRecord, writeLifters } from './bulk-write';
import type { SimulationResult } from './simulate';
import type { LifterWorld } from './world';

/**
 * Writes simulated lifters into a database as the app would have: lifters (opted in to analytics), profile
 * snapshots, sessions and their sets with the recommendation served, the feedback they gave, and the modifier rows
 * the serving policy decided each week (what the weekly job writes) — in bulk, a batch of lifters per transaction
 * (`bulk-write.ts`). Then the analytics are materialized.
 */
export interface WriteProgress {
  lifters?: (done: number, total: number) => void;
  analytics?: (done: number, total: number) => void;
}

/** Lifters per transaction: large enough for bulk statements, small enough to show progress. */
const BATCH = 200;

export async function writeRecords(db: Db, records: readonly LifterRecord[], progress: WriteProgress = {}) {
  const counts = { lifters: 0, sessions: 0, sets: 0, modifiers: 0 };
  for (let i = 0; i < records.length; i += BATCH) {
    const batch = records.slice(i, i + BATCH);
    const written = await writeLifters(db, batch);
    counts.lifters += batch.length;
    counts.sessions += written.sessions;
    counts.sets += written.sets;
    counts.modifiers += batch.reduce((n, r) => n + r.modifiers.length, 0);
    progress.lifters?.(counts.lifters, records.length);
  }
  await runAnalyticsJob(db, { onProgress: progress.analytics });
  return counts;
}

/** The stationary simulation's world (`simulate.ts`), lifter by lifter. */
export function writeSimulation(
  db: Db,
  lifters: readonly { userId: string }[],
  world: SimulationResult,
  progress: WriteProgress = {},
  /** Leave the modifier rows to the weekly job (an experiment run through it decides them again). */
  opts: { modifiers?: boolean } = {},
) {
  const sessionsOf = groupBy([...world.sessions.entries()], ([, s]) => s.user_id);
  const feedbackOf = groupBy(world.feedback, (f) => f.user_id);
  const profilesOf = groupBy(world.profiles, (p) => p.user_id);
  const records = lifters.map((l): LifterRecord => {
    const own = sessionsOf.get(l.userId) ?? [];
    const position = new Map(own.map(([n], k) => [n, k]));
    return {
      userId: l.userId,
      profiles: profilesOf.get(l.userId) ?? [],
      sessions: own.map(([, s]) => s),
      feedback: (feedbackOf.get(l.userId) ?? []).map((f) => ({
        session: position.get(f.session_index)!,
        helpful: f.helpful,
      })),
      modifiers: opts.modifiers === false ? [] : world.histories.get(l.userId)!.modifiers,
    };
  });
  return writeRecords(db, records, progress);
}

/** The realistic simulation's worlds (`world.ts`). */
export function recordOf(world: LifterWorld): LifterRecord {
  return {
    userId: world.lifter.userId,
    profiles: world.profiles,
    sessions: world.sessions,
    feedback: world.feedback.map((f) => ({ session: f.session_index, helpful: f.helpful })),
    modifiers: world.history.modifiers,
    contexts: world.contexts,
    deloads: world.history.plannedDeloads,
  };
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
