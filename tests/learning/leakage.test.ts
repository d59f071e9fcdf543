import { and, gte, inArray, not, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { adaptiveModifiers, feedbackEvents, sessions, sets } from '@/db/schema';
import { recordProfileVersion } from '@/server/ingest/profile-versions';
import { FEATURE_COLUMNS, type FlatDecisionRow } from '@/server/learning/decision-rows';
import { exportDecisionRows } from '@/server/learning/training-export';
import { rulesPolicy } from '@/server/modifiers/policies';
import { drawPopulation } from '@/server/simulation/population';
import { simulate } from '@/server/simulation/simulate';
import { writeSimulation } from '@/server/simulation/write';
import { addDays } from '@/server/time/calendar';
import { describeEachDatabase } from '../helpers/databases';

const START = '2025-03-03';
const WEEKS = 12;
const LAST = addDays(START, 7 * (WEEKS - 1));
/** The cut: data from this Monday on is "the future" of every decision up to and including this week. */
const CUT = addDays(START, 7 * 7);
const SUNDAY = addDays(LAST, 6);

const key = (r: FlatDecisionRow) => `${r.subject}/${r.exercise}/${r.week}`;
const featuresOf = (r: FlatDecisionRow) => FEATURE_COLUMNS.map((c) => r[c]);

async function exportAll(db: Parameters<typeof exportDecisionRows>[0]): Promise<Map<string, FlatDecisionRow>> {
  const out = new Map<string, FlatDecisionRow>();
  await exportDecisionRows(
    db,
    (rows) => {
      for (const r of rows) out.set(key(r), r);
    },
    { throughWeek: LAST },
  );
  return out;
}

/**
 * No leakage: a decision for week W sees only what happened before W. Rewriting everything from the cut on —
 * the outcome weeks in reverse order, their sets' results scrambled, feedback flipped, a new bodyweight, coach
 * overrides from the cut on — must leave every feature of every decision up to the cut exactly as it was.
 */
describeEachDatabase('the feature pipeline does not look ahead', (ctx) => {
  const population = drawPopulation(12, 5, 'leakage');
  let before: Map<string, FlatDecisionRow>;
  let after: Map<string, FlatDecisionRow>;
  beforeAll(async () => {
    const world = simulate({ lifters: population, startWeek: START, weeks: WEEKS, seed: 5, policy: rulesPolicy });
    await writeSimulation(ctx.db, population, world);
    before = await exportAll(ctx.db);

    const ids = population.map((l) => l.userId);
    const future = and(inArray(sessions.userId, ids), gte(sessions.date, CUT));
    const futureSessions = ctx.db.select({ id: sessions.id }).from(sessions).where(future);
    await ctx.db
      .update(sets)
      .set({
        actualReps: sql`(${sets.actualReps} + 3) % 9`,
        actualWeight: sql`${sets.actualWeight} * 1.37`,
        intensity: sql`10 - coalesce(${sets.intensity}, 4)`,
      })
      .where(inArray(sets.sessionId, futureSessions));
    await ctx.db
      .update(sessions)
      .set({ date: sql`${CUT}::date + (${SUNDAY}::date - ${sessions.date})` })
      .where(future);
    await ctx.db
      .update(feedbackEvents)
      .set({ helpful: not(feedbackEvents.helpful) })
      .where(gte(feedbackEvents.createdAt, new Date(`${CUT}T00:00:00Z`)));
    for (const id of ids) {
      await recordProfileVersion(ctx.db, id, {
        user_id: id,
        snapshot: { weightKg: 150, heightCm: 150, age: 70, sex: 'female' },
        effective_date: addDays(CUT, 2),
        source: 'user',
      });
    }
    const trained = await ctx.db
      .selectDistinct({ userId: adaptiveModifiers.userId, exercise: adaptiveModifiers.exercise })
      .from(adaptiveModifiers)
      .where(inArray(adaptiveModifiers.userId, ids));
    await ctx.db.insert(adaptiveModifiers).values(
      trained.flatMap(({ userId, exercise }) =>
        [0, 7, 14].map((days) => ({
          userId,
          exercise,
          weekStart: addDays(CUT, days),
          multiplier: 0.5,
          repDelta: -3,
          reason: 'the future',
          ruleVersion: 'coach',
          policy: 'coach',
          source: 'coach' as const,
          decidedBy: 'leakage-test',
        })),
      ),
    );
    after = await exportAll(ctx.db);
  }, 120_000);

  it('changed the future: later decisions and the outcomes of earlier ones see it', () => {
    const later = [...before.values()].filter((r) => (r.week as string) > CUT && after.has(key(r)));
    expect(later.length).toBeGreaterThan(20);
    const moved = later.filter((r) => JSON.stringify(featuresOf(r)) !== JSON.stringify(featuresOf(after.get(key(r))!)));
    expect(moved.length).toBeGreaterThan(later.length / 2);
    const atCut = [...before.values()].filter((r) => r.week === CUT && r.next_sample !== 0);
    expect(atCut.length).toBeGreaterThan(5);
    expect(atCut.some((r) => after.get(key(r))!.next_success_rate !== r.next_success_rate)).toBe(true);
  });

  it('left every feature of every decision up to the cut as it was', () => {
    const upToCut = [...before.values()].filter((r) => (r.week as string) <= CUT);
    expect(upToCut.length).toBeGreaterThan(50);
    for (const r of upToCut) expect([key(r), ...featuresOf(after.get(key(r))!)]).toEqual([key(r), ...featuresOf(r)]);
  });
});
