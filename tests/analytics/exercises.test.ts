import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { exercisePolicies, sets } from '@/db/schema';
import { runAnalyticsJob } from '@/server/analytics/job';
import { catalogName, EXERCISE_CATALOG, exerciseKey } from '@/server/exercises/catalog';
import { addDays } from '@/server/time/calendar';
import { call, get, post } from '../helpers/api';
import { today as todayUtc } from '../helpers/clock';
import { describeEachDatabase } from '../helpers/databases';
import { createUser, rowCounts } from '../helpers/fixtures';

const today = todayUtc();
const set = (exercise: string, weight: number, n = 1) => ({
  exercise,
  set_number: n,
  rec_weight: weight,
  rec_reps: 5,
  actual_weight: weight,
  actual_reps: 5,
});

describe('the exercise catalog', () => {
  it.each([
    ['Bench Press', 'bench press'],
    ['  Bench\tPress ', 'bench press'],
    ['BENCH  PRESS', 'bench press'],
    ['Ｂｅｎｃｈ Press', 'bench press'], // full-width letters (NFKC)
  ])('%j has the key %j', (name, key) => expect(exerciseKey(name)).toBe(key));

  it.each([
    ['Bench Press (Barbell)', 'Bench Press'],
    ['squat (barbell)', 'Back Squat'],
    ['Deadlift (Barbell)', 'Deadlift'],
    ['Triceps Pushdown (Cable - Straight Bar)', 'Triceps Pushdown'],
    ['Incline Bench Press (Dumbbell)', 'Incline Dumbbell Press'],
    ['Lat Pulldown (Cable)', 'Lat Pulldown'],
    ['Zercher Squat', undefined],
    // Liftosaur's "Name, Equipment".
    ['Bench Press, Barbell', 'Bench Press'],
    ['Lat Pulldown, Cable', 'Lat Pulldown'],
    ['Zercher Squat, Barbell', undefined],
  ])('%j → %j', (name, canonical) => expect(catalogName(name)).toBe(canonical));

  it('names every canonical exercise once and maps it to itself', () => {
    const names = EXERCISE_CATALOG.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(catalogName(name)).toBe(name);
  });
});

describeEachDatabase('one name per exercise', (ctx) => {
  let lifter: string;
  let coach: string;
  const session = async (daysAgo: number, sets: ReturnType<typeof set>[]) => {
    const res = await post(
      '/api/v1/session',
      { user_id: 'user-123', date: `${addDays(today, -daysAgo)}T10:00:00Z`, finished: true, sets },
      lifter,
    );
    expect(res.status).toBe(201);
    return res.body.session_id as string;
  };
  const analytics = async () => (await get('/api/v1/analytics?user_id=user-123&range=90d', lifter)).body;

  beforeAll(async () => {
    lifter = await createUser(ctx.db, 'user-123', { analyticsOptIn: true });
    coach = await createUser(ctx.db, 'coach-1', { role: 'coach', coaches: ['user-123'] });
  });

  it('matches case, spacing and the catalog: one exercise, one PR; sessions answer the names as sent', async () => {
    const id = await session(30, [
      set('Bench Press', 80, 1),
      set('bench press', 82.5, 2),
      set(' BENCH   press ', 85, 3),
      set('Bench Press (Barbell)', 87.5, 4),
    ]);
    const a = await analytics();
    expect(Object.keys(a.prs)).toEqual(['Bench Press']);
    expect(a.prs['Bench Press']).toBe(87.5);
    const list = (await get('/api/v1/exercises', lifter)).body;
    // Names arrive trimmed (the contract trims every text field); inner spacing and case are kept.
    expect(list.exercises).toEqual([
      {
        name: 'Bench Press',
        sent_as: expect.arrayContaining(['BENCH   press', 'Bench Press', 'Bench Press (Barbell)', 'bench press']),
        sets: 4,
        last_performed: addDays(today, -30),
        in_catalog: true,
      },
    ]);
    expect(list.exercises[0].sent_as).toHaveLength(4);
    expect(list.catalog.find((c: { name: string }) => c.name === 'Bench Press').aliases).toContain(
      'Bench Press (Barbell)',
    );
    const wire = (await get(`/api/v1/sessions/${id}`, lifter)).body;
    expect(wire.sets.map((s: { exercise: string }) => s.exercise)).toEqual([
      'Bench Press',
      'bench press',
      'BENCH   press',
      'Bench Press (Barbell)',
    ]);
    expect((await get('/api/v1/exercises?user_id=user-123', coach)).status).toBe(200);
  });

  it('a name the catalog does not know is kept as first sent, and later spellings join it', async () => {
    await session(28, [set('Zercher Squat', 60)]);
    await session(27, [set('zercher  SQUAT', 70)]);
    const a = await analytics();
    expect(a.prs['Zercher Squat']).toBe(70);
    expect(Object.keys(a.prs)).not.toContain('zercher  SQUAT');
  });

  it('a merge moves the PR, retroactively, also for materialized weeks; later sends follow the merge', async () => {
    await session(21, [set('Flat Bench', 100)]);
    await runAnalyticsJob(ctx.db); // materialized first: the merge must not hide behind it
    await ctx.db.insert(exercisePolicies).values({ userId: 'user-123', exercise: 'Flat Bench', policy: 'reps' });
    expect((await analytics()).prs).toMatchObject({ 'Flat Bench': 100, 'Bench Press': 87.5 });

    const res = await post('/api/v1/exercises/rename', { from: 'flat bench', to: 'bench press' }, lifter);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ from: 'Flat Bench', to: 'Bench Press', sets: 1, merged: true });
    const after = await analytics();
    expect(after.prs['Bench Press']).toBe(100);
    expect(after.prs['Flat Bench']).toBeUndefined();
    const [policy] = await ctx.db
      .select()
      .from(exercisePolicies)
      .where(and(eq(exercisePolicies.userId, 'user-123'), eq(exercisePolicies.exercise, 'Bench Press')));
    expect(policy?.policy).toBe('reps');

    await session(14, [set('FLAT BENCH', 105)]);
    expect((await analytics()).prs['Bench Press']).toBe(105);
    const stored = await ctx.db.select().from(sets).where(eq(sets.sentExercise, 'FLAT BENCH'));
    expect(stored[0]?.exercise).toBe('Bench Press');
  });

  it('the modifier job and the training export decide and report under the merged name', async () => {
    const { runModifierWeek } = await import('@/server/modifiers/job');
    const { exportDecisionRows } = await import('@/server/learning/training-export');
    const { adaptiveModifiers } = await import('@/db/schema');
    const { isoWeekStart } = await import('@/server/time/calendar');
    await runModifierWeek(ctx.db, isoWeekStart(addDays(today, -14)));
    const decided = await ctx.db
      .selectDistinct({ exercise: adaptiveModifiers.exercise })
      .from(adaptiveModifiers)
      .where(eq(adaptiveModifiers.userId, 'user-123'));
    expect(decided.map((d) => d.exercise)).toContain('Bench Press');
    expect(decided.map((d) => d.exercise)).not.toContain('Flat Bench');
    const exercises = new Set<string>();
    const totals = await exportDecisionRows(
      ctx.db,
      (rows) => {
        for (const r of rows) exercises.add(String(r.exercise));
      },
      { throughWeek: isoWeekStart(today) },
    );
    expect(totals.rows).toBeGreaterThan(0);
    expect(exercises).toContain('Bench Press');
    expect(exercises).not.toContain('Flat Bench');
  });

  it('a rename to a new name carries every spelling with it, the catalog’s too', async () => {
    const res = await post('/api/v1/exercises/rename', { from: 'Bench Press', to: 'Barbell Bench' }, lifter);
    expect(res.body).toMatchObject({ from: 'Bench Press', to: 'Barbell Bench', merged: false });
    await session(7, [set('Bench Press (Barbell)', 107.5), set('bench press', 60, 2)]);
    const a = await analytics();
    expect(a.prs['Barbell Bench']).toBe(107.5);
    expect(a.prs['Bench Press']).toBeUndefined();
    // A correction through PATCH resolves names the same way.
    const id = await session(6, [set('Zercher Squat', 50)]);
    const fixed = await call('PATCH', `/api/v1/sessions/${id}`, {
      json: { sets: [set('BENCH PRESS', 110)] },
      token: lifter,
      headers: { 'if-match': '*' },
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body.sets[0].exercise).toBe('BENCH PRESS');
    expect((await analytics()).prs['Barbell Bench']).toBe(110);
  });

  it.each([
    [{ from: 'Curls', to: 'Barbell Curl' }, 404, 'from'],
    [{ from: 'Barbell Bench', to: 'barbell  bench' }, 400, 'to'],
    [{ from: 'Barbell Bench' }, 400, 'to'],
    [{ from: '', to: 'x' }, 400, 'from'],
    [{ from: 'Barbell Bench', to: 'x', extra: 1 }, 400, 'extra'],
  ])('%j → %i naming %s, nothing changed', async (body, status, field) => {
    const before = await rowCounts(ctx.db);
    const res = await post('/api/v1/exercises/rename', body, lifter);
    expect(res.status).toBe(status);
    expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(field);
    expect(await rowCounts(ctx.db)).toEqual(before);
  });

  it('a coach may not rename an athlete’s exercises; tRPC does what REST does', async () => {
    expect((await post('/api/v1/exercises/rename', { from: 'Barbell Bench', to: 'X' }, coach)).status).toBe(404);
    const res = await call('POST', '/api/trpc/exercises.rename', {
      json: { from: 'zercher squat', to: 'Zercher' },
      token: lifter,
    });
    expect(res.body.result.data).toMatchObject({ from: 'Zercher Squat', to: 'Zercher', merged: false });
  });
});

describeEachDatabase('npm run exercises:reindex (data recorded before names matched)', (ctx) => {
  it('resolves stored names again, keeps a lifter’s renames, marks the weeks dirty, and changes nothing twice', async () => {
    const { reindexExercises } = await import('@/server/exercises/reindex');
    const { exerciseAliases, analyticsDirtyWeeks, sessions: sessionsTable } = await import('@/db/schema');
    const token = await createUser(ctx.db, 'legacy', { analyticsOptIn: true });
    const [s] = await ctx.db
      .insert(sessionsTable)
      .values({ userId: 'legacy', date: addDays(today, -10), finished: true })
      .returning({ id: sessionsTable.id });
    // As stored before migration 0018: every name as sent.
    const legacy = ['Bench Press (Barbell)', 'bench press', 'Zercher', 'zercher', 'My Press'];
    await ctx.db.insert(sets).values(
      legacy.map((name, i) => ({
        userId: 'legacy',
        sessionId: s!.id,
        exercise: name,
        sentExercise: name,
        setNumber: i + 1,
        actualWeight: 50 + i,
        actualReps: 5,
      })),
    );
    // A rename the lifter made: "My Press" is their Overhead Press.
    await ctx.db.insert(exerciseAliases).values({ userId: 'legacy', key: 'my press', exercise: 'Overhead Press' });
    await ctx.db.delete(analyticsDirtyWeeks);

    const first = await reindexExercises(ctx.db);
    expect(first.setsRenamed).toBe(4); // all but the first "Zercher"
    const names = (await ctx.db.select().from(sets).where(eq(sets.userId, 'legacy'))).map((x) => x.exercise).sort();
    expect(names).toEqual(['Bench Press', 'Bench Press', 'Overhead Press', 'Zercher', 'Zercher']);
    expect(await ctx.db.$count(analyticsDirtyWeeks)).toBe(1);
    const prs = (await get('/api/v1/analytics?user_id=legacy&range=30d', token)).body.prs;
    expect(prs).toEqual({ 'Bench Press': 51, Zercher: 53, 'Overhead Press': 54 });
    expect((await reindexExercises(ctx.db)).setsRenamed).toBe(0);
  });
});
