import { parseISO } from 'date-fns';
import { and, count, eq } from 'drizzle-orm';
import { afterEach, beforeAll, expect, it, vi } from 'vitest';
import { adaptiveModifiers, deloadPlans, jobRuns, models, policyProposals } from '@/db/schema';
import { resetEnv } from '@/server/env';
import type { DecisionContext } from '@/server/learning/features';
import { loadHistories } from '@/server/learning/history';
import { StaleModelError } from '@/server/learning/model';
import { UnknownModelError } from '@/server/learning/models';
import { shadowWeeks } from '@/server/learning/shadow-report';
import { TrainingError } from '@/server/learning/train';
import { trainFromDatabase } from '@/server/learning/train-from-db';
import { exportDecisionRows } from '@/server/learning/training-export';
import { runModifierWeek } from '@/server/modifiers/job';
import { decideWithPlans, rulesDeloadPolicy, rulesPolicy } from '@/server/modifiers/policies';
import type { Decision } from '@/server/modifiers/rules';
import { resolvePolicy } from '@/server/modifiers/serving';
import { drawPopulation } from '@/server/simulation/population';
import { type SimulationResult, simulate } from '@/server/simulation/simulate';
import { writeSimulation } from '@/server/simulation/write';
import { addDays } from '@/server/time/calendar';
import { describeEachDatabase } from '../helpers/databases';

const START = '2025-06-02';
const WEEKS = 10;
const LAST = addDays(START, 7 * (WEEKS - 1));
/** When the models below are trained: the week after the simulated training ends. */
const TRAINED_AT = parseISO(`${addDays(LAST, 7)}T12:00:00Z`);
const BOUNDS = { min: 0.8, max: 1.25, minRepDelta: -3 };

/** The whole loop through a database: simulate → write → train → shadow → serve. */
describeEachDatabase('the learning loop, through the database', (ctx) => {
  const population = drawPopulation(30, 11, 'loop');
  let world: SimulationResult;
  beforeAll(async () => {
    world = simulate({
      lifters: population,
      startWeek: START,
      weeks: WEEKS,
      seed: 11,
      policy: rulesPolicy,
      bounds: BOUNDS,
    });
    await writeSimulation(ctx.db, population, world);
  }, 120_000);
  afterEach(() => {
    vi.unstubAllEnvs();
    resetEnv();
  });

  it('reads back, through the feature pipeline, exactly the weeks the simulator aggregated', async () => {
    const ids = population.map((l) => l.userId);
    const loaded = await loadHistories(ctx.db, ids, null, LAST);
    for (const id of ids) {
      const expected = world.histories.get(id)!;
      const got = loaded.get(id)!;
      const sort = (rows: typeof got.exerciseWeeks) =>
        [...rows].sort((a, b) => a.weekStart.localeCompare(b.weekStart) || a.exercise.localeCompare(b.exercise));
      expect(sort(got.exerciseWeeks)).toEqual(sort(expected.exerciseWeeks));
      expect(got.feedback).toEqual(expected.feedback);
      const modifiers = (rows: typeof got.modifiers) =>
        rows.map((m) => [m.weekStart, m.exercise, m.multiplier, m.repDelta, m.policy].join(' ')).sort();
      expect(modifiers(got.modifiers)).toEqual(modifiers(expected.modifiers));
    }
  });

  it('the weekly job, run again on the written data, decides what the simulation decided', async () => {
    const week = addDays(LAST, -14);
    await ctx.db.delete(jobRuns).where(eq(jobRuns.period, week));
    const decided = new Map<string, Decision>();
    await runModifierWeek(ctx.db, week, {
      bounds: BOUNDS,
      onDecision: (c: DecisionContext, d) => decided.set(`${c.userId}/${c.exercise}`, d),
    });
    const simulated = [...world.histories.values()].flatMap((h) =>
      h.modifiers.filter((m) => m.weekStart === addDays(week, 7)).map((m) => [`${h.userId}/${m.exercise}`, m] as const),
    );
    expect(simulated.length).toBe(decided.size);
    for (const [key, m] of simulated) {
      expect([decided.get(key)?.multiplier, decided.get(key)?.repDelta]).toEqual([m.multiplier, m.repDelta]);
    }
  });

  it('trains a model from the database, proposes with it in shadow, and serves it as model@V', async () => {
    const { version, result } = await trainFromDatabase(ctx.db, { now: TRAINED_AT, seed: 1, target: 0.8, epochs: 5 });
    expect(result.rows.train).toBeGreaterThan(100);
    const [stored] = await ctx.db.select().from(models).where(eq(models.version, version));
    expect(stored).toMatchObject({ target: 0.8, seed: 1, trainRows: result.rows.train });

    // In shadow: proposals stored beside the served rows, which stay the rule's.
    vi.stubEnv('SHADOW_POLICIES', `model@${version}`);
    resetEnv();
    const week = addDays(LAST, -7);
    await ctx.db.delete(jobRuns).where(eq(jobRuns.period, week));
    await ctx.db.delete(adaptiveModifiers).where(eq(adaptiveModifiers.weekStart, LAST));
    const run = await runModifierWeek(ctx.db, week, { bounds: BOUNDS });
    expect(run.proposals).toBe(run.rows);
    const proposals = await ctx.db.select().from(policyProposals).where(eq(policyProposals.weekStart, LAST));
    expect(proposals.length).toBe(run.rows);
    expect(proposals.every((p) => p.policy === `model@${version}` && p.pSuccess !== null)).toBe(true);
    const served = await ctx.db.select().from(adaptiveModifiers).where(eq(adaptiveModifiers.weekStart, LAST));
    expect(served.every((r) => r.policy === rulesPolicy.id)).toBe(true);
    // A second run writes nothing again.
    await ctx.db.delete(jobRuns).where(eq(jobRuns.period, week));
    expect((await runModifierWeek(ctx.db, week, { bounds: BOUNDS })).proposals).toBe(0);

    // The training data set carries the proposals.
    const exported: { proposals: unknown; week: unknown }[] = [];
    await exportDecisionRows(ctx.db, (rows) => void exported.push(...rows), { throughWeek: LAST });
    const withProposals = exported.filter((r) => r.week === LAST && r.proposals !== '[]');
    expect(withProposals.length).toBe(proposals.length);

    // Served: the model decides and every row says so.
    vi.stubEnv('MODIFIER_POLICY', `model@${version}`);
    resetEnv();
    await ctx.db.delete(jobRuns).where(eq(jobRuns.period, week));
    await ctx.db.delete(adaptiveModifiers).where(eq(adaptiveModifiers.weekStart, LAST));
    await runModifierWeek(ctx.db, week, { bounds: BOUNDS });
    const byModel = await ctx.db.select().from(adaptiveModifiers).where(eq(adaptiveModifiers.weekStart, LAST));
    expect(byModel.length).toBeGreaterThan(0);
    expect(byModel.every((r) => r.policy === `model@${version}` && r.reason.startsWith(`model v${version}:`))).toBe(
      true,
    );
  });

  it('a shadow policy’s deload proposals are stored as deloads, exported, and never agree with a served load', async () => {
    vi.stubEnv('SHADOW_POLICIES', 'rules+deload');
    resetEnv();
    const week = addDays(LAST, -7);
    await ctx.db.delete(jobRuns).where(eq(jobRuns.period, week));
    await ctx.db.delete(adaptiveModifiers).where(eq(adaptiveModifiers.weekStart, LAST));
    await ctx.db.delete(policyProposals).where(eq(policyProposals.weekStart, LAST));
    const fatigued = new Set<string>();
    await runModifierWeek(ctx.db, week, {
      bounds: BOUNDS,
      onDecision: (c: DecisionContext) => {
        if (decideWithPlans(rulesDeloadPolicy, { ...c, bounds: BOUNDS }).deload)
          fatigued.add(`${c.userId}/${c.exercise}`);
      },
    });
    const proposals = await ctx.db.select().from(policyProposals).where(eq(policyProposals.weekStart, LAST));
    const deloads = proposals.filter((p) => p.deload).map((p) => `${p.userId}/${p.exercise}`);
    expect(fatigued.size).toBeGreaterThan(0);
    expect(new Set(deloads)).toEqual(fatigued);

    const exported: { proposals: string; week: unknown }[] = [];
    await exportDecisionRows(ctx.db, (rows) => void exported.push(...(rows as never[])), { throughWeek: LAST });
    const flagged = exported.filter((r) => r.week === LAST && r.proposals.includes('"deload":true'));
    expect(flagged.length).toBe(deloads.length);

    // A proposal disagrees when its modifier differs, or when it is a deload and the week was not planned as one
    // (the model served above planned some) or the other way round — even at the modifier the rule served.
    const plans = await ctx.db.select().from(deloadPlans).where(eq(deloadPlans.startWeek, LAST));
    const plannedDeload = (p: { userId: string; exercise: string }) =>
      plans.some((d) => d.userId === p.userId && (d.exercises === null || d.exercises.includes(p.exercise)));
    const served = new Map(
      (await ctx.db.select().from(adaptiveModifiers).where(eq(adaptiveModifiers.weekStart, LAST))).map((r) => [
        `${r.userId}/${r.exercise}`,
        r,
      ]),
    );
    const differs = proposals.filter((p) => {
      const r = served.get(`${p.userId}/${p.exercise}`)!;
      return p.deload !== plannedDeload(p) || r.multiplier !== p.multiplier || r.repDelta !== p.repDelta;
    });
    expect(
      proposals.some((p) => p.deload && served.get(`${p.userId}/${p.exercise}`)!.multiplier === p.multiplier),
    ).toBe(true);
    const [shadow] = (await shadowWeeks(ctx.db, rulesDeloadPolicy.id)).filter((w) => w.week === LAST);
    expect(shadow).toMatchObject({ proposals: proposals.length, disagreements: differs.length });
    await ctx.db.delete(policyProposals).where(eq(policyProposals.weekStart, LAST));
  });

  it('refuses an unknown model, a model trained on other features, and training on nothing — writing nothing', async () => {
    await expect(resolvePolicy(ctx.db, 'model@999')).rejects.toThrow(UnknownModelError);
    const [stale] = await ctx.db
      .insert(models)
      .values({
        library: 'test',
        features: ['old'],
        schemaHash: 'not-the-current',
        parameters: {
          kind: 'logistic',
          features: ['old'],
          schemaHash: 'not-the-current',
          means: [0],
          stds: [1],
          weights: [0],
          bias: 0,
        },
        target: 0.8,
        seed: 1,
        trainedFrom: START,
        trainedTo: LAST,
        validationFrom: LAST,
        trainRows: 1,
        validationRows: 1,
        metrics: {},
      })
      .returning({ version: models.version });
    await expect(resolvePolicy(ctx.db, `model@${stale!.version}`)).rejects.toThrow(StaleModelError);
    const before = (await ctx.db.select({ n: count() }).from(models))[0]!.n;
    await expect(
      trainFromDatabase(ctx.db, { now: TRAINED_AT, from: LAST, to: START, seed: 1, target: 0.8 }),
    ).rejects.toThrow(/after/);
    await expect(
      trainFromDatabase(ctx.db, { now: TRAINED_AT, from: '2030-01-06', seed: 1, target: 0.8 }),
    ).rejects.toThrow(TrainingError);
    await expect(trainFromDatabase(ctx.db, { now: TRAINED_AT, seed: 1, target: 1.5 })).rejects.toThrow(/target/);
    expect((await ctx.db.select({ n: count() }).from(models))[0]!.n).toBe(before);
    // Models are evidence: never updated in place.
    const err = await ctx.db
      .update(models)
      .set({ target: 0.5 })
      .where(and(eq(models.version, stale!.version)))
      .catch((e: Error) => e);
    expect(String((err as Error & { cause?: Error }).cause?.message)).toMatch(/immutable/);
  });
});
