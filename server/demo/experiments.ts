import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { users } from '@/db/schema';
import { enrollAll, exposeEnrolled, runningExperiment } from '@/server/experiments/enrollment';
import { createExperiment, startExperiment, stopExperiment } from '@/server/experiments/experiments';
import { modelPolicyOf } from '@/server/learning/models';
import { rulesPolicy } from '@/server/modifiers/policies';
import { simulateRealisticExperiment } from '@/server/simulation/experiment';
import { drawLifters } from '@/server/simulation/lifters';
import { recordOf, writeRecords } from '@/server/simulation/write';
import { addDays, isoWeekStart } from '@/server/time/calendar';
import { DEMO_RESEARCHER_ID } from './demo-data';

/**
 * The demo's experiments (the researchers' `/experiments` page): one finished — the rule against the trained
 * model, on the realistic simulator's lifters who trained (and some quit) through it, both arms exploring alike
 * so the report has off-policy estimates — and one running since this week, its lifters enrolled, no complete week
 * yet.
 */
export const DEMO_EXPERIMENT = { lifters: 120, preWeeks: 6, weeks: 6, seed: 9 };

const at = (monday: string, days: number) => new Date(Date.parse(`${monday}T12:00:00Z`) + days * 86_400_000);

export async function seedDemoExperiments(db: Db, now: Date, modelVersion: number): Promise<void> {
  const thisMonday = isoWeekStart(now.toISOString().slice(0, 10));
  const lastWeek = addDays(thisMonday, -7);
  const { lifters: n, preWeeks, weeks, seed } = DEMO_EXPERIMENT;
  const start = addDays(thisMonday, -7 * weeks);

  // A fixed salt: the same lifters in the same arms on every machine.
  const salt = 'demo-model-vs-rules';
  await createExperiment(
    db,
    DEMO_RESEARCHER_ID,
    {
      key: 'model-vs-rules',
      hypothesis: `model@${modelVersion} picks the step it predicts makes lifters strongest within its risk bound: they get stronger faster than under the rule, and stay.`,
      arms: [
        { name: 'control', policy: 'rules', weight: 0.5, epsilon: 0.2 },
        { name: 'model', policy: `model@${modelVersion}`, weight: 0.5, epsilon: 0.2 },
      ],
      primary_metric: 'strength_progression',
      guardrails: ['success_rate', 'sessions_per_week', 'not_helpful_share', 'dropout', 'coach_overrides'],
      planned_lifters_per_arm: n / 2,
      planned_end_week: lastWeek,
    },
    { salt },
  );
  const lifters = drawLifters(n, seed, 'exp');
  const sim = simulateRealisticExperiment({
    lifters,
    firstWeek: addDays(start, -7 * preWeeks),
    preWeeks,
    weeks,
    seed,
    salt,
    arms: [
      { name: 'control', policy: rulesPolicy, weight: 0.5, epsilon: 0.2 },
      { name: 'model', policy: await modelPolicyOf(db, modelVersion), weight: 0.5, epsilon: 0.2 },
    ],
  });
  await writeRecords(db, sim.worlds.map(recordOf));
  await startExperiment(db, 'model-vs-rules', at(start, -4));
  // Their app asked for the overlay every week of the experiment: enrolled in the first, exposed in each.
  const experiment = (await runningExperiment(db))!;
  await enrollAll(
    db,
    experiment,
    lifters.map((l) => l.userId),
    start,
  );
  await exposeEnrolled(db, experiment, start, lastWeek);
  await stopExperiment(db, 'model-vs-rules', at(lastWeek, 4));

  await createExperiment(db, DEMO_RESEARCHER_ID, {
    key: 'hold-vs-rules',
    hypothesis: 'The app’s own progression, without the overlay, keeps as many weeks on plan as the rule.',
    arms: [
      { name: 'control', policy: 'rules', weight: 0.5, epsilon: 0 },
      { name: 'hold', policy: 'hold', weight: 0.5, epsilon: 0 },
    ],
    primary_metric: 'strength_progression',
    guardrails: ['success_rate', 'not_helpful_share', 'dropout'],
    planned_lifters_per_arm: 150,
  });
  await startExperiment(db, 'hold-vs-rules', at(lastWeek, 3));
  const running = (await runningExperiment(db))!;
  const optedIn = await db.select({ id: users.id }).from(users).where(eq(users.analyticsOptIn, true));
  await enrollAll(
    db,
    running,
    optedIn.map((u) => u.id),
    thisMonday,
  );
}
