import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Db, rows } from '@/db/client';
import { adaptiveModifiers, analyticsDirtyWeeks, jobRuns, policyProposals, users } from '@/db/schema';
import { markAllWeeksDirty, runAnalyticsJob } from '@/server/analytics/job';
import { DomainError } from '@/server/errors';
import { bucketOf, inPartition, parsePartition, WHOLE } from '@/server/jobs/partition';
import { runModifierWeek } from '@/server/modifiers/job';
import { rulesPolicy } from '@/server/modifiers/policies';
import { drawPopulation } from '@/server/simulation/population';
import { simulate } from '@/server/simulation/simulate';
import { writeSimulation } from '@/server/simulation/write';
import { addDays } from '@/server/time/calendar';
import { describeEachDatabase } from '../helpers/databases';

describe('partitions of the lifters', () => {
  it.each([
    [undefined, WHOLE],
    ['', WHOLE],
    ['0/1', { index: 0, count: 1 }],
    ['0/4', { index: 0, count: 4 }],
    ['3/4', { index: 3, count: 4 }],
    ['1023/1024', { index: 1023, count: 1024 }],
  ])('%j → %j', (text, expected) => {
    expect(parsePartition(text)).toEqual(expected);
  });

  it.each(['4/4', '1/0', '-1/4', '1/1025', 'a/b', '1/2/3', '1', '1 /2', '0x1/2'])(
    '%j → refused as invalid, naming partition',
    (text) => {
      expect(() => parsePartition(text)).toThrow(DomainError);
      try {
        parsePartition(text);
      } catch (err) {
        expect((err as DomainError).kind).toBe('invalid');
        expect((err as DomainError).issues?.[0]?.path).toBe('partition');
      }
    },
  );
});

/** Every modifier and shadow proposal the job wrote for a week, without ids or timestamps. */
const decisions = (db: Db, week: string) =>
  rows(
    db,
    sql`select user_id, exercise, multiplier, rep_delta, previous_multiplier, success_rate, sample_size, reason,
               rule_version, policy, propensity, source::text as source
        from ${adaptiveModifiers} where ${adaptiveModifiers.weekStart} = ${week}::date
        union all
        select user_id, exercise, multiplier, rep_delta, null, null, null, null, null, policy, null, 'shadow'
        from ${policyProposals} where ${policyProposals.weekStart} = ${week}::date
        order by 1, 2, 10, 12`,
  );

describeEachDatabase('jobs fan out over partitions', (ctx) => {
  // Any week will do: the jobs are given it (the cron route's own week is tested in partition-cron.test.ts).
  const week = '2026-11-30';
  const applies = addDays(week, 7);
  beforeAll(async () => {
    // Simulated lifters training up to that week; no modifiers yet for the week after it.
    const population = drawPopulation(60, 5, 'partitions');
    const world = simulate({
      lifters: population,
      startWeek: addDays(week, -21),
      weeks: 4,
      seed: 5,
      policy: rulesPolicy,
      bounds: { min: 0.8, max: 1.25, minRepDelta: -3 },
    });
    await writeSimulation(ctx.db, population, world, {}, { modifiers: false });
  }, 120_000);
  const forget = async () => {
    await ctx.db.delete(adaptiveModifiers).where(eq(adaptiveModifiers.weekStart, applies));
    await ctx.db.delete(policyProposals).where(eq(policyProposals.weekStart, applies));
    await ctx.db.delete(jobRuns).where(eq(jobRuns.period, week));
  };

  it('the SQL bucket and the TypeScript one agree, and every lifter is in exactly one partition', async () => {
    const all = (await ctx.db.select({ id: users.id }).from(users)).map((u) => u.id);
    expect(all.length).toBeGreaterThan(50);
    const seen: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const mine = await ctx.db
        .select({ id: users.id })
        .from(users)
        .where(inPartition(users.id, { index, count: 3 }));
      expect(mine.length).toBeGreaterThan(0);
      for (const { id } of mine) expect(bucketOf(id, 3)).toBe(index);
      seen.push(...mine.map((u) => u.id));
    }
    expect(seen.sort()).toEqual([...all].sort());
  });

  it('n partitions of the modifier job, side by side, write exactly the rows of one unpartitioned run', async () => {
    const whole = await runModifierWeek(ctx.db, week);
    expect(whole.rows).toBeGreaterThan(0);
    const expected = await decisions(ctx.db, applies);
    await forget();

    const parts = await Promise.all(
      [0, 1, 2].map((index) => runModifierWeek(ctx.db, week, { partition: { index, count: 3 }, batchSize: 7 })),
    );
    expect(parts.every((p) => p.status === 'done')).toBe(true);
    expect(parts.reduce((n, p) => n + p.users, 0)).toBe(whole.users);
    expect(await decisions(ctx.db, applies)).toEqual(expected);
    const runs = await ctx.db.select().from(jobRuns).where(eq(jobRuns.period, week));
    expect(runs.map((r) => [r.partition, r.status]).sort()).toEqual([
      ['0/3', 'done'],
      ['1/3', 'done'],
      ['2/3', 'done'],
    ]);
  });

  it('each partition resumes on its own cursor: one cut short finishes on the next call, the others untouched', async () => {
    await forget();
    const expectedUsers = (await ctx.db.select({ id: users.id }).from(users)).filter((u) => bucketOf(u.id, 2) === 1);
    const first = await runModifierWeek(ctx.db, week, {
      partition: { index: 1, count: 2 },
      batchSize: 5,
      timeBudgetMs: 0,
    });
    expect(first).toMatchObject({ status: 'running', users: 5 });
    const [run] = await ctx.db.select().from(jobRuns).where(eq(jobRuns.period, week));
    expect(run).toMatchObject({ partition: '1/2', status: 'running' });
    expect(bucketOf(run!.cursor!, 2)).toBe(1);
    const rest = await runModifierWeek(ctx.db, week, { partition: { index: 1, count: 2 }, batchSize: 5 });
    expect(rest).toMatchObject({ status: 'done', users: expectedUsers.length });
    const written = await ctx.db
      .selectDistinct({ userId: adaptiveModifiers.userId })
      .from(adaptiveModifiers)
      .where(eq(adaptiveModifiers.weekStart, applies));
    expect(written.every((w) => bucketOf(w.userId, 2) === 1)).toBe(true);
    // Partition 0/2 has not run: a later call of it does its own lifters only.
    const other = await runModifierWeek(ctx.db, week, { partition: { index: 0, count: 2 } });
    expect(other.users).toBe((await ctx.db.$count(users)) - expectedUsers.length);
  });

  it('the analytics job: partitions together materialize what one run does', async () => {
    await markAllWeeksDirty(ctx.db);
    await runAnalyticsJob(ctx.db);
    const stats = sql`select * from exercise_weekly_stats order by user_id, exercise, week_start`;
    const expected = await rows(ctx.db, stats);
    await ctx.db.execute(sql`delete from exercise_weekly_stats`);
    await markAllWeeksDirty(ctx.db);
    const parts = await Promise.all(
      [0, 1].map((index) => runAnalyticsJob(ctx.db, { partition: { index, count: 2 }, batchSize: 40 })),
    );
    expect(parts.every((p) => p.remaining === 0)).toBe(true);
    expect(await ctx.db.$count(analyticsDirtyWeeks)).toBe(0);
    expect(await rows(ctx.db, stats)).toEqual(expected);
  });
});
