import { addMilliseconds } from 'date-fns';
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { type Db, rows } from '@/db/client';
import { sessionInput } from '@/server/contracts/sessions';
import { armFor, RUNNING_TTL_MS, runningExperiment, runningExperimentCached } from '@/server/experiments/enrollment';
import { createExperiment, startExperiment, stopExperiment } from '@/server/experiments/experiments';
import { contextKey } from '@/server/experiments/off-policy';
import { storedContexts } from '@/server/experiments/off-policy-report';
import { experimentReport } from '@/server/experiments/report';
import { recordSession } from '@/server/ingest/sessions';
import { decisionContext, indexHistory } from '@/server/learning/features';
import { loadHistories } from '@/server/learning/history';
import { modifierBounds } from '@/server/modifiers/bounds';
import { lastEndedWeek, runModifierWeek } from '@/server/modifiers/job';
import { RULE_VERSION } from '@/server/modifiers/rules';
import { addDays } from '@/server/time/calendar';
import { get } from '../helpers/api';
import { testNow } from '../helpers/clock';
import { describeEachDatabase } from '../helpers/databases';
import { ruleVersusHold } from '../helpers/experiments';
import { createUser } from '../helpers/fixtures';

const NOW = testNow();
const LAST_WEEK = lastEndedWeek(NOW);
const THIS_WEEK = addDays(LAST_WEEK, 7);
const RULES = `rules@${RULE_VERSION}`;
const LIFTERS = Array.from({ length: 40 }, (_, i) => `lifter-${String(i).padStart(2, '0')}`);

const count = async (db: Db, table: 'experiment_assignments' | 'experiment_exposures', userId?: string) => {
  const [r] = await rows<{ n: number }>(
    db,
    userId
      ? sql`select count(*)::int as n from ${sql.identifier(table)} where user_id = ${userId}`
      : sql`select count(*)::int as n from ${sql.identifier(table)}`,
  );
  return r!.n;
};

/** Four sets of Squat and four of Bench, all made, in the week of `week`: enough for the rule to decide. */
async function train(db: Db, userId: string, week = LAST_WEEK) {
  const sets = ['Squat', 'Bench Press'].flatMap((exercise, e) =>
    Array.from({ length: 4 }, (_, i) => ({
      exercise,
      set_number: e * 4 + i + 1,
      rec_weight: 100,
      rec_reps: 5,
      actual_weight: 100,
      actual_reps: 5,
    })),
  );
  await recordSession(db, userId, sessionInput.parse({ user_id: userId, date: week, sets }));
}

describeEachDatabase('enrollment and exposure', (ctx) => {
  const tokens = new Map<string, string>();
  let coachToken: string;

  beforeAll(async () => {
    for (const id of LIFTERS) tokens.set(id, await createUser(ctx.db, id, { analyticsOptIn: true }));
    tokens.set('private-1', await createUser(ctx.db, 'private-1'));
    coachToken = await createUser(ctx.db, 'coach-1', { role: 'coach', coaches: ['lifter-00', 'lifter-01'] });
    for (const id of [...LIFTERS, 'private-1']) await train(ctx.db, id);
    await createExperiment(ctx.db, 'researcher-1', ruleVersusHold('explore-hold', { epsilon: 0.5 }));
    // Started two weeks ago: its arms decide from last week on.
    await startExperiment(ctx.db, 'explore-hold', addMilliseconds(NOW, -14 * 86_400_000));
  });

  it('the app asking for a lifter’s overlay enrolls them in the hashed arm and records one exposure per week', async () => {
    const experiment = (await runningExperiment(ctx.db))!;
    const expected = armFor(experiment, 'lifter-00').arm;
    for (let attempt = 0; attempt < 3; attempt++) {
      const res = await get('/api/v1/modifiers?user_id=lifter-00', tokens.get('lifter-00'));
      expect(res.status).toBe(200);
      expect(res.body.experiment).toEqual({ key: 'explore-hold', arm: expected.name });
      expect(res.body.policy).toBe(expected.policy);
    }
    expect(await count(ctx.db, 'experiment_assignments', 'lifter-00')).toBe(1);
    expect(await count(ctx.db, 'experiment_exposures', 'lifter-00')).toBe(1);
    const [exposure] = await rows<{ week: string; arm: string }>(
      ctx.db,
      sql`select week_start::text as week, arm from experiment_exposures where user_id = 'lifter-00'`,
    );
    expect(exposure).toEqual({ week: THIS_WEEK, arm: expected.name });
  });

  it('a lifter who has not opted in keeps the default policy and is never enrolled', async () => {
    const res = await get('/api/v1/modifiers?user_id=private-1', tokens.get('private-1'));
    expect(res.status).toBe(200);
    expect(res.body.experiment).toBeUndefined();
    expect(res.body.policy).toBe(RULES);
    expect(await count(ctx.db, 'experiment_assignments', 'private-1')).toBe(0);
  });

  it('a coach reading the overlay sees the arm but neither enrolls nor exposes the athlete', async () => {
    const before = await count(ctx.db, 'experiment_exposures');
    const unenrolled = await get('/api/v1/modifiers?user_id=lifter-01', coachToken);
    expect(unenrolled.status).toBe(200);
    expect(unenrolled.body.experiment).toBeUndefined();
    expect(await count(ctx.db, 'experiment_assignments', 'lifter-01')).toBe(0);
    const enrolled = await get('/api/v1/modifiers?user_id=lifter-00', coachToken);
    expect(enrolled.body.experiment?.key).toBe('explore-hold');
    expect(await count(ctx.db, 'experiment_exposures')).toBe(before);
  });

  it('the arm is sticky: changing the weights later moves no one already enrolled', async () => {
    const experiment = (await runningExperiment(ctx.db))!;
    const first = LIFTERS.slice(0, 20);
    for (const id of first) await get(`/api/v1/modifiers?user_id=${id}`, tokens.get(id));
    const armsBefore = await rows<{ user_id: string; arm: string }>(
      ctx.db,
      sql`select user_id, arm from experiment_assignments order by user_id`,
    );
    for (const { user_id, arm } of armsBefore) expect(arm).toBe(armFor(experiment, user_id).arm.name);
    expect(new Set(armsBefore.map((r) => r.arm))).toEqual(new Set(['control', 'hold']));
    // Nearly everyone would now hash into the treatment.
    await ctx.db.execute(
      sql`update experiment_arms set weight = case name when 'control' then 0.001 else 0.999 end
          where experiment_id = ${experiment.id}`,
    );
    for (const id of first) {
      const res = await get(`/api/v1/modifiers?user_id=${id}`, tokens.get(id));
      expect(res.body.experiment.arm).toBe(armsBefore.find((r) => r.user_id === id)!.arm);
    }
    const armsAfter = await rows(ctx.db, sql`select user_id, arm from experiment_assignments order by user_id`);
    expect(armsAfter).toEqual(armsBefore);
    await ctx.db.execute(sql`update experiment_arms set weight = 0.5 where experiment_id = ${experiment.id}`);
  });

  it('the weekly job enrolls the opted-in lifters it reaches and decides each with its arm’s policy, logging propensities', async () => {
    const result = await runModifierWeek(ctx.db, LAST_WEEK);
    expect(result.rows).toBe((LIFTERS.length + 1) * 2);
    const experiment = (await runningExperiment(ctx.db))!;
    expect(await count(ctx.db, 'experiment_assignments')).toBe(LIFTERS.length);
    const decided = await rows<{ user_id: string; policy: string; propensity: number; reason: string }>(
      ctx.db,
      sql`select user_id, policy, propensity, reason from adaptive_modifiers where week_start = ${THIS_WEEK}`,
    );
    expect(decided).toHaveLength((LIFTERS.length + 1) * 2);
    for (const row of decided) {
      if (row.user_id === 'private-1') {
        expect(row).toMatchObject({ policy: RULES, propensity: 1 });
        continue;
      }
      const arm = armFor(experiment, row.user_id).arm;
      expect(row.policy).toBe(arm.policy);
      // ε = 0.5 in both arms, over the five load steps and a deload: 1 − ε + ε/6 for the arm's own choice, ε/6
      // for each other step.
      expect([0.5 + 0.5 / 6, 0.5 / 6].map((p) => Math.abs(p - row.propensity) < 1e-12)).toContain(true);
    }
    const explored = decided.filter((r) => r.propensity < 0.5);
    expect(explored.length).toBeGreaterThan(0);
    for (const r of explored) expect(r.reason).toMatch(/explored/);
    // Re-running the week decides the same (the draws are hashes, not random).
    const again = await runModifierWeek(ctx.db, LAST_WEEK, { batchSize: 7 });
    expect(again.rows).toBe(0);
  });

  it('each explored decision keeps its context, sealed, as the job saw it: a session added later does not change it', async () => {
    const raw = await rows<{ user_id: string; propensity: number; context: string | null }>(
      ctx.db,
      sql`select user_id, propensity, context from adaptive_modifiers where week_start = ${THIS_WEEK}`,
    );
    for (const r of raw) {
      if (r.propensity < 1) expect(r.context).not.toMatch(/outcomes|Squat|Bench/);
      else expect(r.context).toBeNull();
    }
    const read = async () => (await storedContexts(ctx.db, ['lifter-00'], THIS_WEEK, THIS_WEEK)).get('lifter-00')!;
    const before = await read();
    const squat = before.get(contextKey('Back Squat', THIS_WEEK))!;
    expect(squat).toMatchObject({ userId: 'lifter-00', exercise: 'Back Squat', week: THIS_WEEK });
    expect(squat.outcomes[0]).toMatchObject({ sample: 4, successes: 4 });
    expect(squat.bounds).toEqual(modifierBounds());

    // A late import of the same week: the history now says 8 sets; the stored context still says what was decided on.
    await train(ctx.db, 'lifter-00');
    const history = (await loadHistories(ctx.db, ['lifter-00'], null, LAST_WEEK)).get('lifter-00')!;
    expect(decisionContext(indexHistory(history), 'Back Squat', THIS_WEEK).outcomes[0]!.sample).toBe(8);
    expect((await read()).get(contextKey('Back Squat', THIS_WEEK))).toEqual(squat);
  });

  it('a lifter who withdraws consent is served the default policy and leaves the report; their rows stay', async () => {
    const before = (await experimentReport(ctx.db, 'explore-hold', { now: NOW })).analysis.arms;
    const assigned = before.reduce((n, a) => n + a.assigned, 0);
    await ctx.db.execute(sql`update users set analytics_opt_in = false where id = 'lifter-05'`);
    const res = await get('/api/v1/modifiers?user_id=lifter-05', tokens.get('lifter-05'));
    expect(res.body.experiment).toBeUndefined();
    expect(res.body.policy).toBe(RULES);
    expect(await count(ctx.db, 'experiment_assignments', 'lifter-05')).toBe(1);
    const after = (await experimentReport(ctx.db, 'explore-hold', { now: NOW })).analysis.arms;
    expect(after.reduce((n, a) => n + a.assigned, 0)).toBe(assigned - 1);
    await ctx.db.execute(sql`update users set analytics_opt_in = true where id = 'lifter-05'`);
  });

  it('stopping returns every lifter to the default policy; what was recorded stays', async () => {
    const before = [await count(ctx.db, 'experiment_assignments'), await count(ctx.db, 'experiment_exposures')];
    await stopExperiment(ctx.db, 'explore-hold', NOW);
    const res = await get('/api/v1/modifiers?user_id=lifter-00', tokens.get('lifter-00'));
    expect(res.body.experiment).toBeUndefined();
    expect(res.body.policy).toBe(RULES);
    expect([await count(ctx.db, 'experiment_assignments'), await count(ctx.db, 'experiment_exposures')]).toEqual(
      before,
    );
    // The job's next decisions are the default policy's for everyone, the treated arm's lifters included.
    await train(ctx.db, 'lifter-00', THIS_WEEK);
    await runModifierWeek(ctx.db, THIS_WEEK);
    const next = await rows<{ policy: string; propensity: number }>(
      ctx.db,
      sql`select policy, propensity from adaptive_modifiers where week_start = ${addDays(THIS_WEEK, 7)}`,
    );
    expect(next.length).toBeGreaterThan(0);
    for (const r of next) expect(r).toEqual({ policy: RULES, propensity: 1 });
  });
});

describeEachDatabase('the request path’s view of the running experiment', (ctx) => {
  it('is re-read at most every RUNNING_TTL_MS, and at once after a start or stop in this process', async () => {
    await createUser(ctx.db, 'lifter-x', { analyticsOptIn: true });
    await createExperiment(ctx.db, 'r', ruleVersusHold('cached'));
    expect(await runningExperimentCached(ctx.db, 1_000)).toBeNull();
    await startExperiment(ctx.db, 'cached', NOW);
    expect((await runningExperimentCached(ctx.db, 1_001))?.key).toBe('cached');
    // Stopped behind this process's back (another instance): seen once the entry expires.
    await ctx.db.execute(sql`update experiments set status = 'stopped' where key = 'cached'`);
    expect((await runningExperimentCached(ctx.db, 1_002))?.key).toBe('cached');
    expect(await runningExperimentCached(ctx.db, 1_001 + RUNNING_TTL_MS)).toBeNull();
  });
});
