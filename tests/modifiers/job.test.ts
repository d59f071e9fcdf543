import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Database, type Db, rows } from '@/db/client';
import { exercisePolicies, jobRuns } from '@/db/schema';
import { sessionInput } from '@/server/contracts/sessions';
import { resetEnv } from '@/server/env';
import { recordSession } from '@/server/ingest/sessions';
import { backfillWeeks, lastEndedWeek, runModifierWeek } from '@/server/modifiers/job';
import { overlayFor } from '@/server/modifiers/overlay';
import { policyNamed } from '@/server/modifiers/policies';
import { RULE_VERSION } from '@/server/modifiers/rules';
import { describeEachDatabase, openTestDatabase } from '../helpers/databases';
import { createUser } from '../helpers/fixtures';

const W1 = '2025-11-03';
const W2 = '2025-11-10';
const W3 = '2025-11-17';

/** n sets of an exercise, `hits` of which meet the recommendation (the others fall a rep short). */
function sets(exercise: string, n: number, hits: number, withRec = true) {
  return Array.from({ length: n }, (_, i) => ({
    exercise,
    set_number: i + 1,
    ...(withRec ? { rec_weight: 100, rec_reps: 5 } : {}),
    actual_weight: 100,
    actual_reps: i < hits ? 5 : 4,
  }));
}

async function session(db: Db, userId: string, date: string, s: ReturnType<typeof sets>) {
  await recordSession(db, userId, sessionInput.parse({ user_id: userId, date, sets: s }));
}

/** A small, hand-checked history over three weeks for three lifters. */
async function seedHistory(db: Db) {
  for (const id of ['lifter-a', 'lifter-b', 'lifter-c', 'lifter-d']) await createUser(db, id);
  // a: Squat perfect three weeks running.
  for (const w of [W1, W2, W3]) await session(db, 'lifter-a', w, sets('Back Squat', 5, 5));
  // b: Bench poor in W3 (1 of 4); Curl poor too, on the reps policy.
  await session(db, 'lifter-b', W3, [
    ...sets('Bench Press', 4, 1),
    ...sets('Curl', 4, 0).map((s) => ({ ...s, set_number: s.set_number + 4 })),
  ]);
  await db.insert(exercisePolicies).values({ userId: 'lifter-b', exercise: 'Curl', policy: 'reps' });
  // c: trained without recommendations; d: good in W1 and W3 with a missing week between.
  await session(db, 'lifter-c', W3, sets('Row', 5, 5, false));
  await session(db, 'lifter-d', W1, sets('Press', 4, 4));
  await session(db, 'lifter-d', W3, sets('Press', 4, 4));
}

const modifierRows = (db: Db) =>
  rows(
    db,
    sql`select user_id, exercise, week_start::text as week, multiplier, rep_delta, previous_multiplier, success_rate,
               sample_size, reason, rule_version, policy, source::text as source
        from adaptive_modifiers order by user_id, exercise, week_start`,
  );

describeEachDatabase('modifier job', (ctx) => {
  beforeAll(async () => {
    await seedHistory(ctx.db);
  });

  it('turns a seeded history into the expected rows, week by week', async () => {
    for (const w of [W1, W2, W3]) await runModifierWeek(ctx.db, w, { batchSize: 2 });
    const got = (await modifierRows(ctx.db)).map((r) => [
      r.user_id,
      r.exercise,
      r.week,
      r.multiplier,
      r.rep_delta,
      r.success_rate,
      r.sample_size,
    ]);
    expect(got).toEqual([
      ['lifter-a', 'Back Squat', W2, 1, 0, 1, 5], // one good week: hold
      ['lifter-a', 'Back Squat', W3, 1.025, 0, 1, 5], // two: +2.5%
      ['lifter-a', 'Back Squat', '2025-11-24', 1.0506, 0, 1, 5], // three: compounding
      ['lifter-b', 'Bench Press', '2025-11-24', 0.975, 0, 0.25, 4],
      ['lifter-b', 'Curl', '2025-11-24', 1, -1, 0, 4],
      ['lifter-c', 'Row', '2025-11-24', 1, 0, null, 0],
      ['lifter-d', 'Press', W2, 1, 0, 1, 4],
      ['lifter-d', 'Press', '2025-11-24', 1, 0, 1, 4], // the week between was missing: hold
    ]);
    const all = await modifierRows(ctx.db);
    expect(all.every((r) => r.source === 'auto' && r.rule_version === RULE_VERSION)).toBe(true);
    expect(all.every((r) => r.policy === `rules@${RULE_VERSION}`)).toBe(true);
    expect(all.find((r) => r.exercise === 'Back Squat' && r.week === '2025-11-24')!.reason).toBe(
      '2 weeks ≥ 80%: 1.00, 1.00 → +2.5%',
    );
    expect(all.find((r) => r.exercise === 'Back Squat' && r.week === '2025-11-24')!.previous_multiplier).toBe(1.025);
  });

  it('records each run in job_runs with its counts', async () => {
    const runs = await ctx.db.select().from(jobRuns);
    const w3 = runs.find((r) => r.job === 'modifiers' && r.period === W3)!;
    expect(w3.status).toBe('done');
    expect(w3.finishedAt).not.toBeNull();
    expect(w3.stats).toMatchObject({
      users: 4,
      rows: 5,
      actions: { increase: 1, decrease: 1, reduce_reps: 1, restore_reps: 0, hold: 2 },
    });
  });

  it('writes nothing when a week is run again', async () => {
    const before = await modifierRows(ctx.db);
    const again = await runModifierWeek(ctx.db, W3);
    expect(again).toMatchObject({ alreadyDone: true, rows: 0 });
    expect(await modifierRows(ctx.db)).toEqual(before);
  });

  it('never updates a modifier row in place', async () => {
    const err = await ctx.db.execute(sql`update adaptive_modifiers set multiplier = 2`).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect(String((err as Error & { cause?: Error }).cause?.message)).toMatch(/append-only/);
  });
});

describeEachDatabase('the policy that serves lifters is configuration', (ctx) => {
  beforeAll(async () => {
    await seedHistory(ctx.db);
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    resetEnv();
  });

  it('MODIFIER_POLICY=hold writes neutral rows named hold, whatever the rule would say', async () => {
    vi.stubEnv('MODIFIER_POLICY', 'hold');
    resetEnv();
    for (const w of [W1, W2, W3]) await runModifierWeek(ctx.db, w);
    const all = await modifierRows(ctx.db);
    expect(all.length).toBe(8);
    expect(all.every((r) => r.policy === 'hold' && r.multiplier === 1 && r.rep_delta === 0)).toBe(true);
    // The overlay tells the app which policy serves it.
    expect((await overlayFor(ctx.db, 'lifter-a', new Date('2025-11-26T12:00:00Z'))).policy).toBe('hold');
  });

  it('refuses an unknown policy by name', () => {
    expect(() => policyNamed('model@99')).toThrow(/unknown modifier policy "model@99"/);
    expect(policyNamed('rules').id).toBe(`rules@${RULE_VERSION}`);
  });
});

describeEachDatabase('a batch that decides more rows than one statement can carry', (ctx) => {
  it('writes them all (PostgreSQL allows 65,535 parameters per statement; 6,000 rows need 72,000)', async () => {
    await createUser(ctx.db, 'many-lifts');
    const [sessionRow] = await rows<{ id: string }>(
      ctx.db,
      sql`insert into sessions (user_id, date) values ('many-lifts', ${W3}::date) returning id`,
    );
    // 6,000 exercises × 3 good sets, written straight to the table (no session has that many sets).
    for (let chunk = 0; chunk < 6; chunk++) {
      await ctx.db.execute(sql`insert into sets (user_id, session_id, exercise, sent_exercise, set_number, rec_weight, rec_reps, actual_weight, actual_reps)
        select 'many-lifts', ${sessionRow!.id}::uuid, 'Lift ' || e, 'Lift ' || e, (e - 1) * 3 + k, 100, 5, 100, 5
        from generate_series(${chunk * 1000 + 1}::int, ${chunk * 1000 + 1000}::int) e, generate_series(1, 3) k`);
    }
    const result = await runModifierWeek(ctx.db, W3);
    expect(result).toMatchObject({ status: 'done', rows: 6000 });
    const [n] = await rows<{ n: number }>(
      ctx.db,
      sql`select count(*)::int as n from adaptive_modifiers where user_id = 'many-lifts'`,
    );
    expect(n!.n).toBe(6000);
  });
});

describe('a run killed half-way and re-run matches a clean run', () => {
  let clean: Database;
  let crashed: Database;
  beforeAll(async () => {
    [clean, crashed] = await Promise.all([openTestDatabase('postgres'), openTestDatabase('pglite')]);
    await seedHistory(clean.db);
    await seedHistory(crashed.db);
  });
  afterAll(async () => {
    await Promise.all([clean?.close(), crashed?.close()]);
  });

  it('resumes from the cursor and ends with the same rows', async () => {
    for (const w of [W1, W2, W3]) await runModifierWeek(clean.db, w, { batchSize: 1 });

    await runModifierWeek(crashed.db, W1, { batchSize: 1 });
    await runModifierWeek(crashed.db, W2, { batchSize: 1 });
    // Die after the second batch of W3 (the process is killed: nothing after it runs).
    let batches = 0;
    await expect(
      runModifierWeek(crashed.db, W3, {
        batchSize: 1,
        onProgress: () => {
          if (++batches === 3) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const [run] = await rows<{ status: string; cursor: string }>(
      crashed.db,
      sql`select status, cursor from job_runs where period = ${W3}`,
    );
    expect(run).toEqual({ status: 'running', cursor: 'lifter-b' });

    // A time budget cuts the next call short after one batch; the call after that finishes.
    const partial = await runModifierWeek(crashed.db, W3, { batchSize: 1, timeBudgetMs: 0 });
    expect(partial.status).toBe('running');
    const done = await runModifierWeek(crashed.db, W3, { batchSize: 1 });
    expect(done.status).toBe('done');

    expect(await modifierRows(crashed.db)).toEqual(await modifierRows(clean.db));
  });
});

describe('weeks', () => {
  it('the last ended week is the Monday before this week’s', () => {
    expect(lastEndedWeek(new Date('2025-11-24T03:00:00Z'))).toBe('2025-11-17');
    expect(lastEndedWeek(new Date('2025-11-23T23:59:00Z'))).toBe('2025-11-10');
  });

  it('backfill lists every week from the first session, in order', async () => {
    const db = await openTestDatabase('pglite');
    try {
      expect(await backfillWeeks(db.db, new Date('2025-11-25T00:00:00Z'))).toEqual([]);
      await seedHistory(db.db);
      expect(await backfillWeeks(db.db, new Date('2025-11-25T00:00:00Z'))).toEqual([W1, W2, W3]);
    } finally {
      await db.close();
    }
  });
});
