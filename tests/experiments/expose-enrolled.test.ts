import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { rows } from '@/db/client';
import {
  armFor,
  enrollAll,
  enrollForOverlay,
  exposeEnrolled,
  type RunningExperiment,
  runningExperiment,
} from '@/server/experiments/enrollment';
import { createExperiment, startExperiment } from '@/server/experiments/experiments';
import { addDays, isoWeekStart } from '@/server/time/calendar';
import { testNow } from '../helpers/clock';
import { describeEachDatabase } from '../helpers/databases';
import { ruleVersusHold } from '../helpers/experiments';
import { createUser } from '../helpers/fixtures';

const NOW = testNow();
const START = addDays(isoWeekStart(NOW.toISOString().slice(0, 10)), 7);
const WEEKS = [START, addDays(START, 7), addDays(START, 14)];
const OVERLAY = ['lifter-a', 'lifter-b', 'lifter-c'];
const BULK = ['lifter-d', 'lifter-e', 'lifter-f', 'private-x'];

/** History writers expose every enrolled lifter at once; the overlay records the same rows week by week. */
describeEachDatabase('exposing enrolled lifters at once', (ctx) => {
  let experiment: RunningExperiment;
  beforeAll(async () => {
    for (const id of [...OVERLAY, ...BULK]) await createUser(ctx.db, id, { analyticsOptIn: id !== 'private-x' });
    await createExperiment(ctx.db, 'researcher-1', ruleVersusHold('bulk-exposure'));
    await startExperiment(ctx.db, 'bulk-exposure', NOW);
    experiment = (await runningExperiment(ctx.db))!;
    expect(experiment.startWeek).toBe(START);
    for (const week of WEEKS) for (const id of OVERLAY) await enrollForOverlay(ctx.db, id, week);
    await enrollAll(ctx.db, experiment, BULK, START);
    await exposeEnrolled(ctx.db, experiment, START, WEEKS.at(-1)!);
    await exposeEnrolled(ctx.db, experiment, START, WEEKS.at(-1)!);
  });

  it('writes, for each opted-in lifter enrolled, what the overlay writes: one exposure a week in their arm', async () => {
    const found = await rows<{ user: string; week: string; arm: string; enrolled: string }>(
      ctx.db,
      sql`select x.user_id as "user", x.week_start::text as week, x.arm, a.enrolled_week::text as enrolled
          from experiment_exposures x join experiment_assignments a using (user_id, experiment_id)
          order by 1, 2`,
    );
    const expected = ['lifter-a', 'lifter-b', 'lifter-c', 'lifter-d', 'lifter-e', 'lifter-f'].flatMap((user) =>
      WEEKS.map((week) => ({ user, week, arm: armFor(experiment, user).arm.name, enrolled: START })),
    );
    expect(found).toEqual(expected);
  });
});
