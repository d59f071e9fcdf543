import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { rows } from '@/db/client';
import { runAnalyticsJob } from '@/server/analytics/job';
import { experimentReport } from '@/server/contracts/experiments';
import { enrollForOverlay } from '@/server/experiments/enrollment';
import { startExperiment, stopExperiment } from '@/server/experiments/experiments';
import { storedContexts } from '@/server/experiments/off-policy-report';
import { modelPolicyOf, storeModel } from '@/server/learning/models';
import { runModifierWeek } from '@/server/modifiers/job';
import { rulesPolicy } from '@/server/modifiers/policies';
import { simulateRealisticExperiment } from '@/server/simulation/experiment';
import { drawLifters } from '@/server/simulation/lifters';
import { trainOnSimulator } from '@/server/simulation/model-training';
import { recordOf, writeRecords } from '@/server/simulation/write';
import { addDays } from '@/server/time/calendar';
import { call } from '../helpers/api';
import { describeEachDatabase } from '../helpers/databases';
import { hoursInto as at } from '../helpers/experiments';
import { createUser } from '../helpers/fixtures';

const FIRST = '2025-09-01';
const PRE_WEEKS = 4;
const WEEKS = 5;
const START = addDays(FIRST, 7 * PRE_WEEKS);
const LAST = addDays(START, 7 * (WEEKS - 1));

/**
 * A model arm in a running experiment, through the database: a model trained on explored decisions of other
 * simulated lifters is stored, an experiment of the rule against it is created over REST, realistic lifters train
 * on what the weekly job decides for their arm — the job serving `model@V` from the stored parameters and the
 * estimated strength the analytics job settled reproduces the simulator's decisions row for row — and the report
 * estimates the model
 * off-policy from both arms' explored decisions.
 */
describeEachDatabase('an experiment with a model arm, through the weekly job', (ctx) => {
  const lifters = drawLifters(30, 31, 'arm');
  let version: number;
  let simulated: ReturnType<typeof simulateRealisticExperiment>;
  let token: string;

  beforeAll(async () => {
    token = await createUser(ctx.db, 'researcher-1', { role: 'researcher' });
    const trained = await trainOnSimulator({ seed: 5, lifters: 150, weeks: 16, epsilon: 0.3, target: 0.8, epochs: 6 });
    version = await storeModel(ctx.db, trained.result, { seed: 5, target: 0.8 });
    const created = await call('POST', '/api/v1/experiments', {
      token,
      json: {
        key: 'model-vs-rules',
        hypothesis: 'The model makes lifters stronger than the rule does.',
        arms: [
          { name: 'control', policy: 'rules', weight: 0.5, epsilon: 0.2 },
          { name: 'model', policy: `model@${version}`, weight: 0.5, epsilon: 0.2 },
        ],
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const [{ salt }] = (await rows<{ salt: string }>(
      ctx.db,
      sql`select salt from experiments where key = 'model-vs-rules'`,
    )) as [{ salt: string }];
    simulated = simulateRealisticExperiment({
      lifters,
      firstWeek: FIRST,
      preWeeks: PRE_WEEKS,
      weeks: WEEKS,
      seed: 31,
      salt,
      arms: [
        { name: 'control', policy: rulesPolicy, weight: 0.5, epsilon: 0.2 },
        { name: 'model', policy: await modelPolicyOf(ctx.db, version), weight: 0.5, epsilon: 0.2 },
      ],
    });
    await writeRecords(
      ctx.db,
      simulated.worlds.map((w) => ({ ...recordOf(w), modifiers: [], contexts: new Map() })),
    );
    expect((await startExperiment(ctx.db, 'model-vs-rules', at(addDays(START, -7)))).start_week).toBe(START);
    // The nightly analytics job has settled the estimated strength the decisions read (every week is written).
    await runAnalyticsJob(ctx.db, { now: at(LAST) });
    for (let week = FIRST; week < LAST; week = addDays(week, 7)) await runModifierWeek(ctx.db, week);
    for (let week = START; week <= LAST; week = addDays(week, 7)) {
      for (const l of lifters) await enrollForOverlay(ctx.db, l.userId, week);
    }
  }, 300_000);

  it('the job serves model@V from its stored parameters and estimated strength as the simulator did', async () => {
    const stored = await rows<{ key: string; m: number; d: number; policy: string; p: number; reason: string }>(
      ctx.db,
      sql`select user_id || '/' || exercise || '/' || week_start::text as key, multiplier as m, rep_delta as d,
                 policy, propensity as p, reason
          from adaptive_modifiers where source = 'auto' order by 1`,
    );
    const expected = simulated.worlds
      .flatMap((w) =>
        w.history.modifiers.map((m) => ({
          key: `${w.lifter.userId}/${m.exercise}/${m.weekStart}`,
          m: m.multiplier,
          d: m.repDelta,
          policy: m.policy,
          p: m.propensity,
        })),
      )
      .sort((a, b) => (a.key < b.key ? -1 : 1));
    expect(stored.map(({ reason: _, ...r }) => r)).toEqual(expected);
    const byModel = stored.filter((r) => r.policy === `model@${version}`);
    expect(byModel.length).toBeGreaterThan(20);
    expect(byModel.some((r) => /expected strength [+-]\d+\.\d\d % over 4 weeks/.test(r.reason))).toBe(true);
  });

  it('every explored decision’s stored context is the one the simulator decided on, field for field', async () => {
    const stored = await storedContexts(
      ctx.db,
      lifters.map((l) => l.userId),
      FIRST,
      LAST,
    );
    let compared = 0;
    for (const w of simulated.worlds) {
      for (const [key, context] of w.contexts) {
        expect(stored.get(w.lifter.userId)?.get(key), `${w.lifter.userId} ${key}`).toEqual(context);
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('the report over REST counts both arms and estimates the model from the explored decisions', async () => {
    await stopExperiment(ctx.db, 'model-vs-rules', at(LAST, 24 * 3));
    const res = await call('GET', '/api/v1/experiments/model-vs-rules/report', { token });
    expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(200);
    const report = experimentReport.parse(res.body);
    const perArm = [0, 1].map((i) => lifters.filter((l) => simulated.armOf.get(l.userId) === i).length);
    expect(report.arms.map((a) => a.assigned)).toEqual(perArm);
    expect(report.primary.metric).toBe('strength_progression');
    const ope = report.off_policy!;
    expect(ope.weeks).toEqual({ from: START, to: addDays(LAST, -21) });
    expect(ope.stored_contexts).toBe(ope.decisions);
    const model = ope.estimates.find((e) => e.policy === `model@${version}`)!;
    expect(model.served).toBe(true);
    expect(model.matched).toBeGreaterThan(0);
  });
});
