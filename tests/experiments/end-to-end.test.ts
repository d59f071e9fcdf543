import { eq, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { rows } from '@/db/client';
import { coachAthletes, deloadPlans } from '@/db/schema';
import { experimentReport } from '@/server/contracts/experiments';
import { analyse, WINSOR_DEFAULT } from '@/server/experiments/analysis';
import { enrollForOverlay } from '@/server/experiments/enrollment';
import { startExperiment, stopExperiment } from '@/server/experiments/experiments';
import { loggedDecisions, offPolicyEstimate } from '@/server/experiments/off-policy';
import { type LifterWindows, outcomeWindows } from '@/server/experiments/outcome-rows';
import { lifterOutcome } from '@/server/experiments/outcomes';
import { analysisUnit } from '@/server/experiments/units';
import { modifierBounds } from '@/server/modifiers/bounds';
import { overrideModifier } from '@/server/modifiers/coach';
import { runModifierWeek } from '@/server/modifiers/job';
import { holdPolicy, rulesPolicy } from '@/server/modifiers/policies';
import { type SimulatedExperiment, simulateExperiment } from '@/server/simulation/experiment';
import { drawPopulation } from '@/server/simulation/population';
import { withStrength } from '@/server/simulation/strength-readings';
import { writeSimulation } from '@/server/simulation/write';
import { addDays } from '@/server/time/calendar';
import { call } from '../helpers/api';
import { describeEachDatabase } from '../helpers/databases';
import { hoursInto as at } from '../helpers/experiments';
import { createUser } from '../helpers/fixtures';

const FIRST = '2025-09-01';
const PRE_WEEKS = 5;
const WEEKS = 4;
const START = addDays(FIRST, 7 * PRE_WEEKS);
const LAST = addDays(START, 7 * (WEEKS - 1));

/**
 * An experiment run end to end: created and started over REST and the service, simulated lifters training on
 * what the weekly job decides for their arm (the job, run week by week over the sessions written, reproduces the
 * simulator's decisions — exploration draws and propensities included), the app's weekly requests as exposures,
 * a coach override, the stop, and the report over REST — whose numbers are those of the analysis in memory.
 */
describeEachDatabase('an experiment through the database, the weekly job and the REST report', (ctx) => {
  const lifters = drawPopulation(40, 20, 'e2e');
  let sim: SimulatedExperiment;
  let token: string;

  beforeAll(async () => {
    token = await createUser(ctx.db, 'researcher-1', { role: 'researcher' });
    const created = await call('POST', '/api/v1/experiments', {
      token,
      json: {
        key: 'rules-vs-hold',
        hypothesis: 'The app’s own progression, unmodified, does as well as the rule.',
        arms: [
          { name: 'control', policy: 'rules', weight: 0.5, epsilon: 0.3 },
          { name: 'hold', policy: 'hold', weight: 0.5, epsilon: 0.3 },
        ],
      },
    });
    expect(created.status).toBe(201);
    // The draft's salt places the lifters: the simulator runs with it.
    const [{ salt }] = (await rows<{ salt: string }>(
      ctx.db,
      sql`select salt from experiments where key = 'rules-vs-hold'`,
    )) as [{ salt: string }];
    sim = simulateExperiment({
      lifters,
      firstWeek: FIRST,
      preWeeks: PRE_WEEKS,
      weeks: WEEKS,
      seed: 20,
      salt,
      arms: [
        { name: 'control', policy: rulesPolicy, weight: 0.5, epsilon: 0.3 },
        { name: 'hold', policy: holdPolicy, weight: 0.5, epsilon: 0.3 },
      ],
    });
    await writeSimulation(ctx.db, lifters, sim.world, {}, { modifiers: false });
    // Started the week before START: the arms decide from START on.
    expect((await startExperiment(ctx.db, 'rules-vs-hold', at(addDays(START, -7)))).start_week).toBe(START);
    for (let week = FIRST; week < LAST; week = addDays(week, 7)) await runModifierWeek(ctx.db, week);
    // The app asks for each lifter's overlay every week of the experiment.
    for (let week = START; week <= LAST; week = addDays(week, 7)) {
      for (const l of lifters) await enrollForOverlay(ctx.db, l.userId, week);
    }
  }, 240_000);

  it('the weekly job decided every lifter-week as the simulator did: the rule before, each arm after, exploring', async () => {
    const stored = await rows<{
      user_id: string;
      exercise: string;
      week: string;
      m: number;
      d: number;
      policy: string;
      p: number;
    }>(
      ctx.db,
      sql`select user_id, exercise, week_start::text as week, multiplier as m, rep_delta as d, policy, propensity as p
          from adaptive_modifiers where source = 'auto'`,
    );
    const simulated = [...sim.world.histories.values()].flatMap((h) =>
      h.modifiers.map((m) => ({
        user_id: h.userId,
        exercise: m.exercise,
        week: m.weekStart,
        m: m.multiplier,
        d: m.repDelta,
        policy: m.policy,
        p: m.propensity,
      })),
    );
    const key = (r: { user_id: string; exercise: string; week: string }) => `${r.user_id}/${r.exercise}/${r.week}`;
    const sort = <T extends { user_id: string; exercise: string; week: string }>(xs: T[]) =>
      [...xs].sort((a, b) => key(a).localeCompare(key(b)));
    expect(sort(stored)).toEqual(sort(simulated));
    expect(stored.some((r) => r.p < 1)).toBe(true);
    expect(new Set(stored.filter((r) => r.week >= START).map((r) => r.policy))).toEqual(
      new Set([rulesPolicy.id, 'hold']),
    );
  });

  it('the REST report counts the arms, checks the split, and computes what the analysis in memory does', async () => {
    // A coach overrides one treated lifter in the window: intention to treat keeps them in their arm.
    const treated = lifters.find((l) => sim.armOf.get(l.userId) === 1)!.userId;
    await createUser(ctx.db, 'coach-1', { role: 'coach' });
    await ctx.db.insert(coachAthletes).values({ userId: treated, coachId: 'coach-1' });
    await overrideModifier(ctx.db, 'coach-1', {
      athleteId: treated,
      exercise: 'Bench Press',
      week: addDays(START, 7),
      multiplier: 0.9,
      note: 'shoulder',
    });
    await stopExperiment(ctx.db, 'rules-vs-hold', at(LAST, 24 * 3));

    const res = await call('GET', '/api/v1/experiments/rules-vs-hold/report?mde=0.5', { token });
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
    const report = experimentReport.parse(res.body);
    expect(report.window).toEqual({ start_week: START, last_week: LAST, weeks: WEEKS });
    expect(report.population).toBe('exposed');
    const perArm = [0, 1].map((i) => lifters.filter((l) => sim.armOf.get(l.userId) === i).length);
    expect(report.arms.map((a) => [a.name, a.assigned, a.exposed, a.analysed])).toEqual([
      ['control', perArm[0], perArm[0], perArm[0]],
      ['hold', perArm[1], perArm[1], perArm[1]],
    ]);
    expect(report.arms.map((a) => a.coach_overrides)).toEqual([0, 1]);
    expect(report.srm.counts).toEqual(perArm);
    expect(report.srm.mismatch).toBe(false);

    // The same lifters' outcomes, from the simulator's own histories and the strength its sessions give, through
    // the same analysis.
    const units = lifters.map((l) => {
      const sessions = sim.world.sessions.filter((s) => s.user_id === l.userId);
      const history = withStrength(sim.world.histories.get(l.userId)!, sessions);
      return analysisUnit(history, sim.armOf.get(l.userId)!, true, { from: START, to: LAST });
    });
    const expectedInput = {
      arms: report.arms.map((a) => ({ name: a.name, policy: a.policy, weight: a.weight })),
      units,
      primary: 'strength_progression' as const,
      guardrails: report.experiment.guardrails,
    };
    const expected = analyse(expectedInput);
    // Estimated strength moved in both arms: the comparison below is not of two columns of zeros.
    expect(expected.primary.arms.every((a) => a.mean !== 0)).toBe(true);
    expect(report.primary.arms.map((a) => a.n)).toEqual(expected.primary.arms.map((a) => a.n));
    for (const [i, a] of report.primary.arms.entries()) expect(a.mean).toBeCloseTo(expected.primary.arms[i]!.mean, 9);
    expect(report.primary.comparisons[0]!.difference).toBeCloseTo(
      expected.primary.comparisons[0]!.result!.difference,
      9,
    );
    expect(report.primary.comparisons[0]!.cuped).toBe(true);
    expect(report.primary.comparisons[0]!.unadjusted).not.toBeNull();
    // (The coach override exists only in the database: it is counted above.)
    for (const g of report.guardrails.filter((x) => x.metric !== 'coach_overrides')) {
      const same = expected.guardrails.find((e) => e.metric === g.metric)!;
      expect(
        g.arms.map((a) => a.n),
        g.metric,
      ).toEqual(same.arms.map((a) => a.n));
      for (const [i, a] of g.arms.entries()) expect(a.mean, g.metric).toBeCloseTo(same.arms[i]!.mean, 9);
    }
    // The same lifters by training level and sex, from the profiles and estimates the report read.
    expect(report.subgroups.map((g) => g.group)).toEqual(expected.subgroups.map((g) => g.group));
    for (const [i, g] of report.subgroups.entries()) {
      const same = expected.subgroups[i]!;
      expect(
        g.primary.arms.map((a) => a.n),
        g.group,
      ).toEqual(same.primary.arms.map((a) => a.n));
      for (const [k, a] of g.primary.arms.entries()) expect(a.mean, g.group).toBeCloseTo(same.primary.arms[k]!.mean, 9);
    }
    const bySex = report.subgroups.filter((g) => g.dimension === 'sex');
    expect(bySex.reduce((n, g) => n + g.primary.arms[0]!.n + g.primary.arms[1]!.n, 0)).toBe(lifters.length);
    expect(report.subgroups.filter((g) => g.dimension === 'level').some((g) => g.primary.arms[0]!.n > 0)).toBe(true);
    // The planning calculator reads the same pre-period as CUPED.
    expect(report.planning.lifters).toBe(units.filter((u) => u.pre.strengthMeasured).length);
    expect(report.verdict.code).toBe(expected.verdict.code);
    expect(report.verdict.line.length).toBeGreaterThan(20);

    // Continuous outcomes capped at 1 %/99 % by default; `winsor=0` reads them as they are, as the analysis does.
    expect(report.winsor).toBe(WINSOR_DEFAULT);
    const raw = await call('GET', '/api/v1/experiments/rules-vs-hold/report?winsor=0', { token });
    const uncapped = analyse({ ...expectedInput, winsor: 0 });
    expect(raw.body.winsor).toBe(0);
    for (const [i, a] of raw.body.primary.arms.entries()) expect(a.mean).toBeCloseTo(uncapped.primary.arms[i]!.mean, 9);

    // One look per complete week; the last look is the report itself.
    expect(report.series.map((s) => s.week)).toEqual([0, 1, 2, 3].map((i) => addDays(START, 7 * i)));
    expect(report.series.at(-1)!.primary.arms).toEqual(report.primary.arms);
    expect(report.planning).toMatchObject({ metric: 'strength_progression', mde: 0.5 });

    // Both arms explored alike: the report estimates every policy from all their decisions whose four reward weeks
    // are over (those of START), with the contexts the job stored, as the estimators do in memory.
    const ope = report.off_policy!;
    expect(ope.weeks).toEqual({ from: START, to: START });
    expect(ope.lifters).toBe(perArm[0]! + perArm[1]!);
    expect(ope.stored_contexts).toBe(ope.decisions);
    const logged = lifters.flatMap((l) => {
      const sessions = sim.world.sessions.filter((s) => s.user_id === l.userId);
      const history = withStrength(sim.world.histories.get(l.userId)!, sessions);
      return loggedDecisions(history, { from: START, to: START, bounds: modifierBounds() });
    });
    expect(ope.decisions).toBe(logged.length);
    for (const policy of [rulesPolicy, holdPolicy]) {
      const got = ope.estimates.find((e) => e.policy === policy.id)!;
      const want = offPolicyEstimate(policy, logged, null)!;
      expect(got.served).toBe(true);
      expect(got.matched).toBe(want.matched);
      expect(got.ips.value).toBeCloseTo(want.ips.value, 9);
      expect(got.snips?.value).toBeCloseTo(want.snips!.value, 9);
    }
    // 40 lifters' decisions of one week: too few to fit the outcome model on each fold.
    expect(ope.outcome_model).toBeNull();
  });

  it('reads the e1RM progression only for a report whose metrics need it, then as the analysis in memory has it', async () => {
    const [{ id }] = (await rows<{ id: string }>(
      ctx.db,
      sql`select id from experiments where key = 'rules-vs-hold'`,
    )) as [{ id: string }];
    const population = { kind: 'enrolled' as const, experimentId: id, arms: ['control', 'hold'] };
    const [without, withE1rm] = await Promise.all(
      [false, true].map((e1rm) => outcomeWindows(ctx.db, population, START, WEEKS, { e1rm })),
    );
    const last = (w: LifterWindows) => w.outcomes.get(WEEKS - 1)!;
    expect(without!.every((w) => last(w).progression === null)).toBe(true);
    // Everything else is the same read.
    expect(without!.map((w) => ({ ...last(w), progression: 0 }))).toEqual(
      withE1rm!.map((w) => ({ ...last(w), progression: 0 })),
    );
    const measured = withE1rm!.filter((w) => last(w).progression !== null);
    expect(measured.length).toBeGreaterThan(lifters.length / 2);
    for (const w of measured) {
      const history = sim.world.histories.get(w.userId)!;
      expect(last(w).progression, w.userId).toBeCloseTo(
        lifterOutcome(history, { from: START, to: LAST }).progression!,
        9,
      );
    }
  });

  it('leaves a planned deload week out of the success rate and the e1RM progression, in SQL as in memory', async () => {
    const [{ id }] = (await rows<{ id: string }>(
      ctx.db,
      sql`select id from experiments where key = 'rules-vs-hold'`,
    )) as [{ id: string }];
    const population = { kind: 'enrolled' as const, experimentId: id, arms: ['control', 'hold'] };
    const read = async () =>
      new Map(
        (await outcomeWindows(ctx.db, population, START, WEEKS, { e1rm: true })).map((w) => [
          w.userId,
          w.outcomes.get(WEEKS - 1)!,
        ]),
      );
    const before = await read();
    // A lifter who trained in the second week of the experiment, with no deload of their own (an arm's
    // exploration may have drawn one): that week becomes a planned deload.
    const week = addDays(START, 7);
    const lifter = lifters.find((l) => {
      const h = sim.world.histories.get(l.userId)!;
      return h.plannedDeloads.size === 0 && h.exerciseWeeks.some((r) => r.weekStart === week && r.sample > 0);
    })!;
    const history = sim.world.histories.get(lifter.userId)!;
    const light = history.exerciseWeeks.filter((r) => r.weekStart === week);
    const [plan] = await ctx.db
      .insert(deloadPlans)
      .values({
        userId: lifter.userId,
        kind: 'deload',
        startWeek: week,
        buildWeeks: 0,
        deloadWeeks: 1,
        cycles: 1,
        exercises: null,
        loadFactor: 0.8,
        setFactor: 1,
        plannedBy: 'coach-1',
        source: 'coach',
      })
      .returning({ id: deloadPlans.id });
    const after = await read();
    const planned = { ...history, plannedDeloads: new Map([['*', new Set([week])]]) };
    const inMemory = lifterOutcome(planned, { from: START, to: LAST });
    const sum = (k: 'sample' | 'successes') => light.reduce((a, r) => a + r[k], 0);
    expect(after.get(lifter.userId)).toMatchObject({
      sample: before.get(lifter.userId)!.sample - sum('sample'),
      successes: before.get(lifter.userId)!.successes - sum('successes'),
    });
    expect(after.get(lifter.userId)).toMatchObject({ sample: inMemory.sample, successes: inMemory.successes });
    if (inMemory.progression !== null)
      expect(after.get(lifter.userId)!.progression).toBeCloseTo(inMemory.progression, 9);
    // Nobody else moved.
    for (const [userId, outcome] of after) if (userId !== lifter.userId) expect(outcome).toEqual(before.get(userId));
    await ctx.db.delete(deloadPlans).where(eq(deloadPlans.id, plan!.id));
  });

  it('refuses lifters, coaches, unknown keys and bad parameters', async () => {
    const lifterToken = await createUser(ctx.db, 'someone', { analyticsOptIn: true });
    expect((await call('GET', '/api/v1/experiments/rules-vs-hold/report', { token: lifterToken })).status).toBe(403);
    expect((await call('GET', '/api/v1/experiments/rules-vs-hold/report')).status).toBe(401);
    const missing = await call('GET', '/api/v1/experiments/nope/report', { token });
    expect(missing.status).toBe(404);
    for (const [q, field] of [
      ['mde=-1', 'mde'],
      ['mde=abc', 'mde'],
      ['power=2', 'power'],
      ['winsor=0.5', 'winsor'],
      ['winsor=-0.01', 'winsor'],
      ['colour=red', 'colour'],
    ]) {
      const res = await call('GET', `/api/v1/experiments/rules-vs-hold/report?${q}`, { token });
      expect(res.status, q).toBe(400);
      expect(res.body.error.issues[0].path).toBe(field);
    }
  });
});
