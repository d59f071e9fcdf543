import { parseISO } from 'date-fns';
import { and, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { jobRuns } from '@/db/schema';
import { buildDemoData, DEMO_LIFTER_ID } from '@/server/demo/demo-data';
import { seedDemo } from '@/server/demo/seed';
import { FEATURE_COLUMNS, type FlatDecisionRow, flatten } from '@/server/learning/decision-rows';
import type { DecisionContext } from '@/server/learning/features';
import { exportDecisionRows } from '@/server/learning/training-export';
import { runModifierWeek } from '@/server/modifiers/job';
import { pseudonym } from '@/server/privacy/pseudonym';
import { addDays, isoWeekStart } from '@/server/time/calendar';
import { describeEachDatabase } from '../helpers/databases';

const NOW = parseISO('2025-12-03T12:00:00Z');
const LAST_ENDED = addDays(isoWeekStart('2025-12-03'), -7);

const featuresOf = (row: FlatDecisionRow) => Object.fromEntries(FEATURE_COLUMNS.map((c) => [c, row[c]]));
const contextFeatures = (c: DecisionContext) =>
  featuresOf(
    flatten({
      subject: '',
      context: c,
      served: null,
      deload: false,
      nextSuccessRate: null,
      nextSample: 0,
      e1rmChange4w: null,
      trainedAgain: false,
      strengthGain4w: null,
      proposals: [],
    }),
  );

describeEachDatabase('one feature pipeline: the job and the training export see the same features', (ctx) => {
  const used: DecisionContext[] = [];
  let exported: FlatDecisionRow[];
  beforeAll(async () => {
    await seedDemo(ctx.db, { today: NOW, data: buildDemoData(NOW) });
    // Decide the last ended week again, from scratch, recording what the job saw.
    await ctx.db.delete(jobRuns).where(and(eq(jobRuns.job, 'modifiers'), eq(jobRuns.period, LAST_ENDED)));
    await runModifierWeek(ctx.db, LAST_ENDED, { onDecision: (context) => used.push(context) });
    exported = [];
    await exportDecisionRows(ctx.db, (rows) => void exported.push(...rows), { throughWeek: LAST_ENDED });
  });

  it('for a week, the job’s features equal the exported ones, row for row', () => {
    const decided = addDays(LAST_ENDED, 7);
    const jobs = used.filter((c) => c.userId === DEMO_LIFTER_ID).sort((a, b) => a.exercise.localeCompare(b.exercise));
    expect(jobs.length).toBeGreaterThan(3);
    const ofWeek = exported.filter((r) => r.week === decided && r.subject === pseudonym(DEMO_LIFTER_ID));
    expect(ofWeek.map((r) => r.exercise)).toEqual(jobs.map((c) => c.exercise));
    expect(ofWeek.map(featuresOf)).toEqual(jobs.map(contextFeatures));
  });

  it('exports what was served and what happened next, for opted-in lifters only', () => {
    const served = exported.filter((r) => r.served_policy !== null);
    expect(served.length).toBeGreaterThan(10);
    expect(served.every((r) => r.propensity === 1)).toBe(true);
    const withNext = exported.filter((r) => r.next_sample !== 0);
    expect(withNext.length).toBeGreaterThan(10);
    expect(withNext.every((r) => r.trained_again === true)).toBe(true);
    expect(new Set(exported.map((r) => r.subject))).toEqual(new Set([pseudonym(DEMO_LIFTER_ID)]));
  });
});
