import { parseISO } from 'date-fns';
import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, expect, it, vi } from 'vitest';
import { type Db, rows } from '@/db/client';
import { deloadPlans } from '@/db/schema';
import { loadAnalytics, plateausOf } from '@/server/analytics/service';
import { sessionInput } from '@/server/contracts/sessions';
import { resetEnv } from '@/server/env';
import { recordSession } from '@/server/ingest/sessions';
import { runModifierWeek } from '@/server/modifiers/job';
import { overlayFor } from '@/server/modifiers/overlay';
import { RULE_VERSION } from '@/server/modifiers/rules';
import { describeEachDatabase } from '../helpers/databases';
import { createUser } from '../helpers/fixtures';

const [W1, W2, W3, W4] = ['2025-11-03', '2025-11-10', '2025-11-17', '2025-11-24'];

/** n sets of Back Squat at 100 × 5 recommended, `hits` of them made (the others a rep short), at `weight`. */
const squats = (n: number, hits: number, weight = 100) =>
  Array.from({ length: n }, (_, i) => ({
    exercise: 'Back Squat',
    set_number: i + 1,
    rec_weight: weight,
    rec_reps: 5,
    actual_weight: weight,
    actual_reps: i < hits ? 5 : 4,
  }));

async function session(db: Db, userId: string, date: string, sets: ReturnType<typeof squats>) {
  await recordSession(db, userId, sessionInput.parse({ user_id: userId, date, sets }));
}

const planned = (userId: string, week: string, plannedBy = 'coach-1') => ({
  userId,
  kind: 'deload' as const,
  startWeek: week,
  buildWeeks: 0,
  deloadWeeks: 1,
  cycles: 1,
  exercises: null,
  loadFactor: 0.7,
  setFactor: 0.6,
  plannedBy,
  source: 'coach' as const,
});

const decided = (db: Db, userId: string) =>
  rows<{ week: string; multiplier: number; reason: string }>(
    db,
    sql`select week_start::text as week, multiplier, reason from adaptive_modifiers
        where user_id = ${userId} order by week_start`,
  );

/**
 * The weekly job around a planned deload: the week after it holds the modifier from before it, and the rule then
 * reads the weeks on either side of it as consecutive. The control lifter trains the same weeks without a plan.
 */
describeEachDatabase('the weekly job and planned deloads', (ctx) => {
  beforeAll(async () => {
    for (const id of ['planner', 'control', 'fatigued', 'fatigued-control']) await createUser(ctx.db, id);
    for (const id of ['planner', 'control']) {
      await session(ctx.db, id, W1, squats(5, 5));
      await session(ctx.db, id, W2, squats(3, 3, 70)); // light: a deload for the planner, a choice for the control
      await session(ctx.db, id, W3, squats(5, 5));
    }
    await ctx.db.insert(deloadPlans).values(planned('planner', W2));
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    resetEnv();
  });

  it('holds after the deload week and resumes from the weeks around it; without a plan the rule reads it', async () => {
    for (const w of [W1, W2, W3]) await runModifierWeek(ctx.db, w);
    expect((await decided(ctx.db, 'control')).map((r) => [r.week, r.multiplier])).toEqual([
      [W2, 1],
      [W3, 1.025], // W1 and W2 both made: +2.5 %
      [W4, 1.0506],
    ]);
    const rows = await decided(ctx.db, 'planner');
    expect(rows.map((r) => [r.week, r.multiplier])).toEqual([
      [W2, 1],
      [W3, 1], // W2 was the deload: hold what stood before it
      [W4, 1.025], // W3 and W1, the deload skipped: two good weeks
    ]);
    expect(rows[1]!.reason).toMatch(/planned deload/);
  });

  it('does not read a planned deload week as a plateau', async () => {
    // Three weeks without beating W1's best, the middle one light: a plateau of 3 weeks only if W2 counts.
    for (const id of ['planner', 'control']) await session(ctx.db, id, W4, squats(5, 5));
    const now = parseISO(`${W4}T20:00:00Z`);
    const plateaus = async (id: string) => plateausOf(await loadAnalytics(ctx.db, id, '90d', now));
    expect((await plateaus('control')).map((p) => p.weeks)).toEqual([3]);
    expect(await plateaus('planner')).toEqual([]);
  });

  it('rules+deload plans a deload when the lifter keeps failing; the overlay serves it and the job holds after', async () => {
    const failing = async (id: string) => {
      await session(ctx.db, id, W1, squats(5, 1));
      await session(ctx.db, id, W2, squats(5, 1));
    };
    await failing('fatigued');
    vi.stubEnv('MODIFIER_POLICY', 'rules+deload');
    resetEnv();
    await ctx.db.execute(sql`delete from job_runs`);
    await runModifierWeek(ctx.db, W2);
    const [plan] = await ctx.db.select().from(deloadPlans).where(sql`${deloadPlans.userId} = 'fatigued'`);
    expect(plan).toMatchObject({
      startWeek: W3,
      exercises: ['Back Squat'],
      loadFactor: 0.8,
      setFactor: 0.6,
      source: 'policy',
      plannedBy: `rules+deload@${RULE_VERSION}`,
    });
    const overlay = await overlayFor(ctx.db, 'fatigued', parseISO(`${W3}T12:00:00Z`));
    expect(overlay.deloads).toEqual([expect.objectContaining({ exercises: ['Back Squat'], loadFactor: 0.8 })]);
    expect(overlay.deloads[0]!.reason).toBe(`planned deload, by rules+deload@${RULE_VERSION}`);
    const [w3] = (await decided(ctx.db, 'fatigued')).filter((r) => r.week === W3);
    expect(w3).toMatchObject({ multiplier: 1 });
    expect(w3!.reason).toMatch(/fatigue/);
    // The negative control: the plain rule, on the same weeks, lowers the load and plans nothing.
    await failing('fatigued-control');
    vi.stubEnv('MODIFIER_POLICY', 'rules');
    resetEnv();
    await ctx.db.execute(sql`delete from job_runs`);
    await runModifierWeek(ctx.db, W2);
    const [control] = (await decided(ctx.db, 'fatigued-control')).filter((r) => r.week === W3);
    expect(control!.multiplier).toBe(0.975);
    expect(await ctx.db.$count(deloadPlans, sql`${deloadPlans.userId} = 'fatigued-control'`)).toBe(0);

    // The deload week trained light; the week after holds what stood before it.
    vi.stubEnv('MODIFIER_POLICY', 'rules+deload');
    resetEnv();
    await session(ctx.db, 'fatigued', W3, squats(3, 3, 80));
    await runModifierWeek(ctx.db, W3);
    const [w4] = (await decided(ctx.db, 'fatigued')).filter((r) => r.week === W4);
    expect(w4).toMatchObject({ multiplier: 1 });
    expect(w4!.reason).toMatch(/planned deload/);
  });
});
