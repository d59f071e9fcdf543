import { randomUUID } from 'node:crypto';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '@/db/client';
import { rowsSelect } from '@/db/rows-select';
import {
  adaptiveModifiers,
  analyticsDirtyWeeks,
  deloadPlans,
  exerciseAliases,
  feedbackEvents,
  profiles,
  profileVersions,
  recommendations,
  sessions,
  sets,
  users,
} from '@/db/schema';
import { policyDeloadRow } from '@/server/deloads/deloads';
import type { PlannedDeloadWeeks } from '@/server/deloads/plans';
import { sentNames } from '@/server/exercises/names';
import { contextKey } from '@/server/experiments/off-policy';
import { sessionDates } from '@/server/ingest/sessions';
import type { ModifierRow } from '@/server/learning/history';
import { encodeContext } from '@/server/learning/stored-context';
import { DELOAD_PROPOSAL, type PolicyContext } from '@/server/modifiers/policies';
import { RULE_VERSION } from '@/server/modifiers/rules';
import { snapshotWeightKg } from '@/server/profile/snapshot';
import { isoWeekStart } from '@/server/time/calendar';

/**
 * Simulated lifters written in bulk: for a batch of lifters, one statement per table (`rowsSelect`), storing
 * exactly the rows the ingest services would store one session at a time (`tests/simulation/bulk-write.test.ts`
 * writes a population both ways and compares every row). A batch is one transaction.
 */
export interface LifterRecord {
  userId: string;
  profiles: { effective_date: string; snapshot: Record<string, unknown> }[];
  sessions: {
    date: string;
    day_type: string | null;
    finished: boolean;
    sets: {
      exercise: string;
      set_number: number;
      rec_weight: number | null;
      rec_reps: number | null;
      actual_weight: number | null;
      actual_reps: number | null;
      intensity: number | null;
      done: boolean;
    }[];
    rec_meta: Record<string, unknown> | null;
  }[];
  /** Feedback on a session of this lifter's list, by its index there. */
  feedback: { session: number; helpful: boolean }[];
  modifiers: ModifierRow[];
  /** Explored decisions' contexts, stored beside their rows as the job stores them. */
  contexts?: ReadonlyMap<string, PolicyContext>;
  /** The deloads a policy planned (`rules+deload`), per exercise: stored as the job plans them. */
  deloads?: PlannedDeloadWeeks;
}

/** Rows of a batch, table by table. */
interface Rows {
  users: (typeof users.$inferInsert)[];
  profiles: (typeof profiles.$inferInsert)[];
  versions: (typeof profileVersions.$inferInsert)[];
  sessions: (typeof sessions.$inferInsert)[];
  sets: SetRow[];
  aliases: (typeof exerciseAliases.$inferInsert)[];
  recommendations: (typeof recommendations.$inferInsert)[];
  dirty: (typeof analyticsDirtyWeeks.$inferInsert)[];
  feedback: (typeof feedbackEvents.$inferInsert)[];
  modifiers: (typeof adaptiveModifiers.$inferInsert)[];
  deloads: (typeof deloadPlans.$inferInsert)[];
}

type SetRow = typeof sets.$inferInsert;

export async function writeLifters(
  db: Db,
  lifters: readonly LifterRecord[],
): Promise<{ sessions: number; sets: number }> {
  const rows: Rows = {
    users: [],
    profiles: [],
    versions: [],
    sessions: [],
    sets: [],
    aliases: [],
    recommendations: [],
    dirty: [],
    feedback: [],
    modifiers: [],
    deloads: [],
  };
  for (const lifter of lifters) addLifter(rows, lifter);
  await db.transaction(async (tx) => {
    await insertAll(tx, users, rows.users);
    await insertAll(tx, profiles, rows.profiles);
    await insertAll(tx, profileVersions, rows.versions);
    await insertAll(tx, sessions, rows.sessions);
    await insertAll(tx, sets, rows.sets);
    await insertAll(tx, exerciseAliases, rows.aliases);
    await insertAll(tx, recommendations, rows.recommendations);
    await insertAll(tx, analyticsDirtyWeeks, rows.dirty);
    await insertAll(tx, feedbackEvents, rows.feedback);
    await insertAll(tx, adaptiveModifiers, rows.modifiers);
    await insertAll(tx, deloadPlans, rows.deloads);
  });
  return { sessions: rows.sessions.length, sets: rows.sets.length };
}

function addLifter(rows: Rows, lifter: LifterRecord): void {
  const { userId } = lifter;
  rows.users.push({ id: userId, role: 'lifter', analyticsOptIn: true });
  const timeZone = addProfiles(rows, lifter);
  const aliasOf = new Map<string, string>();
  const ids: string[] = [];
  const weeks = new Set<string>();
  for (const s of lifter.sessions) {
    if (s.rec_meta?.id !== undefined) throw new Error('simulated sessions carry no client recommendation id');
    const id = randomUUID();
    ids.push(id);
    const { date, performedAt } = sessionDates(s.date, timeZone);
    weeks.add(isoWeekStart(date));
    rows.sessions.push({
      userId,
      id,
      date,
      performedAt,
      dayType: s.day_type,
      calories: null,
      finished: s.finished,
      recMeta: s.rec_meta,
    });
    addSets(rows, userId, id, s.sets, aliasOf);
    if (s.rec_meta) {
      const source = s.rec_meta.rec_source;
      rows.recommendations.push({
        userId,
        id: `rec-${id}`,
        exercise: null,
        recPayload: s.rec_meta,
        recSource: typeof source === 'string' ? source : 'client',
        sessionId: id,
      });
    }
  }
  for (const weekStart of weeks) rows.dirty.push({ userId, weekStart });
  for (const f of lifter.feedback) {
    const session = lifter.sessions[f.session]!;
    rows.feedback.push({
      userId,
      refType: 'session',
      refId: ids[f.session]!,
      helpful: f.helpful,
      notes: null,
      createdAt: new Date(session.date),
    });
  }
  for (const m of lifter.modifiers) rows.modifiers.push(modifierRow(userId, m, lifter.contexts));
  for (const [exercise, weeks] of lifter.deloads ?? []) {
    for (const week of weeks) {
      const decided = lifter.modifiers.find((m) => m.exercise === exercise && m.weekStart === week);
      rows.deloads.push(policyDeloadRow(userId, exercise, week, DELOAD_PROPOSAL, decided?.policy ?? 'simulation'));
    }
  }
}

/** The profile row (the latest snapshot's known keys; a tie goes to the later write) and every version. */
function addProfiles(rows: Rows, lifter: LifterRecord): string | null {
  if (lifter.profiles.length === 0) return null;
  const profileId = randomUUID();
  let latest = lifter.profiles[0]!;
  for (const p of lifter.profiles) if (p.effective_date >= latest.effective_date) latest = p;
  const s = latest.snapshot as { weightKg?: number; heightCm?: number; age?: number; sex?: string; timeZone?: string };
  // Every row names every column (`rowsSelect` reads the first row's): a key the snapshot lacks stays null.
  rows.profiles.push({
    userId: lifter.userId,
    id: profileId,
    currentWeightKg: s.weightKg ?? null,
    heightCm: s.heightCm ?? null,
    age: s.age ?? null,
    sex: s.sex ?? null,
    timeZone: s.timeZone ?? null,
  });
  for (const p of lifter.profiles) {
    rows.versions.push({
      userId: lifter.userId,
      profileId,
      snapshotJson: p.snapshot,
      weightKg: snapshotWeightKg(p.snapshot),
      effectiveDate: p.effective_date,
      source: 'auto',
      notes: null,
    });
  }
  return s.timeZone ?? null;
}

/** A session's sets, named as the session statement names them; unknown names become the lifter's aliases. */
function addSets(
  rows: Rows,
  userId: string,
  sessionId: string,
  list: LifterRecord['sessions'][number]['sets'],
  aliasOf: Map<string, string>,
): void {
  const sent = sentNames(list.map((s) => s.exercise));
  const added = new Map<string, string>();
  for (const s of list) {
    const name = sent.get(s.exercise)!;
    rows.sets.push({
      userId,
      sessionId,
      exercise: aliasOf.get(name.key) ?? name.fallback,
      sentExercise: s.exercise,
      setNumber: s.set_number,
      recWeight: s.rec_weight,
      recReps: s.rec_reps,
      actualWeight: s.actual_weight,
      actualReps: s.actual_reps,
      intensity: s.intensity,
      done: s.done,
    });
    if (!name.known && !aliasOf.has(name.key)) added.set(name.key, name.fallback);
  }
  for (const [key, exercise] of added) {
    aliasOf.set(key, exercise);
    rows.aliases.push({ userId, key, exercise });
  }
}

/** A decision the simulator logged, as the weekly job's row (its reason names the policy). */
export function modifierRow(
  userId: string,
  m: ModifierRow,
  contexts?: ReadonlyMap<string, PolicyContext>,
): typeof adaptiveModifiers.$inferInsert {
  const context = m.source === 'auto' ? contexts?.get(contextKey(m.exercise, m.weekStart)) : undefined;
  return {
    userId,
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
    context: context ? encodeContext(context) : null,
  };
}

/** Rows per statement: each statement's rows travel as one JSON document, one parameter (`rowsSelect`). */
const CHUNK = 20_000;

async function insertAll<T extends PgTable>(db: Db, table: T, values: readonly T['$inferInsert'][]): Promise<void> {
  for (let i = 0; i < values.length; i += CHUNK) {
    await db.insert(table).select(rowsSelect(table, values.slice(i, i + CHUNK)));
  }
}
