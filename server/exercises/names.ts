import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { exerciseAliases, sets } from '@/db/schema';
import { catalogName, exerciseKey, tidyExerciseName } from './catalog';

/**
 * A name as sent, ready to be resolved against the lifter's aliases: its key; the name it takes when the lifter
 * has no alias for that key (the catalog's, else the first spelling of it in the same payload, tidied); and
 * whether the catalog knows it (unknown names become the lifter's own aliases).
 */
export interface SentName {
  sent: string;
  key: string;
  fallback: string;
  known: boolean;
}

export function sentNames(names: readonly string[]): Map<string, SentName> {
  const firstByKey = new Map<string, string>();
  const out = new Map<string, SentName>();
  for (const sent of names) {
    if (out.has(sent)) continue;
    const key = exerciseKey(sent);
    const known = catalogName(sent);
    if (!firstByKey.has(key)) firstByKey.set(key, known ?? tidyExerciseName(sent));
    out.set(sent, { sent, key, fallback: firstByKey.get(key)!, known: known !== undefined });
  }
  return out;
}

/**
 * The lifter's names for names as sent (for writers outside the one-statement session insert): the lifter's
 * alias for the key, else the catalog's name, else the name as first sent — which becomes the lifter's alias.
 */
export async function resolveExerciseNames(
  db: Db,
  userId: string,
  names: readonly string[],
): Promise<Map<string, string>> {
  const sent = sentNames(names);
  const keys = [...new Set([...sent.values()].map((s) => s.key))];
  if (keys.length === 0) return new Map();
  const aliases = new Map(
    (
      await db
        .select({ key: exerciseAliases.key, exercise: exerciseAliases.exercise })
        .from(exerciseAliases)
        .where(and(eq(exerciseAliases.userId, userId), inArray(exerciseAliases.key, keys)))
    ).map((a) => [a.key, a.exercise]),
  );
  const fresh = new Map(
    [...sent.values()].filter((s) => !s.known && !aliases.has(s.key)).map((s) => [s.key, s.fallback]),
  );
  if (fresh.size > 0) {
    await db
      .insert(exerciseAliases)
      .values([...fresh].map(([key, exercise]) => ({ userId, key, exercise })))
      .onConflictDoNothing();
  }
  return new Map([...sent.values()].map((s) => [s.sent, aliases.get(s.key) ?? s.fallback]));
}

/** The exercises the lifter trained, by key (`exerciseKey`): how a name the lifter types finds one of theirs. */
export async function trainedExercisesByKey(db: Db, userId: string): Promise<Map<string, string>> {
  const have = await db.selectDistinct({ name: sets.exercise }).from(sets).where(eq(sets.userId, userId));
  return new Map(have.map((h) => [exerciseKey(h.name), h.name]));
}
