import { count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { adaptiveModifiers } from '@/db/schema';
import type { Principal } from '@/server/auth/principal';
import { createApiToken } from '@/server/auth/tokens';
import { overlayResponse } from '@/server/contracts/modifiers';
import { seedDemo } from '@/server/demo/seed';
import { overlayFor } from '@/server/modifiers/overlay';
import { RULE_VERSION } from '@/server/modifiers/rules';
import { addDays, isoWeekStart } from '@/server/time/calendar';
import { call, get } from '../helpers/api';
import { testNow } from '../helpers/clock';
import { describeEachDatabase } from '../helpers/databases';
import { createUser } from '../helpers/fixtures';
import { dashboardCaller } from '../helpers/trpc';

const NOW = testNow();
const THIS_WEEK = isoWeekStart(NOW.toISOString().slice(0, 10));
const coach: Principal = { userId: 'coach-1', role: 'coach' };
const strangerCoach: Principal = { userId: 'coach-2', role: 'coach' };
const lifter: Principal = { userId: 'user-123', role: 'lifter' };

describeEachDatabase('overlay and coach review', (ctx) => {
  let lifterToken: string;
  let coachToken: string;
  let otherToken: string;
  const as = (p: Principal) => dashboardCaller(ctx.db, p, NOW);

  beforeAll(async () => {
    await seedDemo(ctx.db, { today: testNow() });
    lifterToken = await createApiToken(ctx.db, 'user-123');
    coachToken = await createApiToken(ctx.db, 'coach-1');
    otherToken = await createApiToken(ctx.db, 'user-456');
    await createUser(ctx.db, 'coach-2', { role: 'coach' });
  });

  it('GET /api/modifiers gives this week’s multipliers and rep deltas per exercise', async () => {
    const res = await get('/api/modifiers?user_id=user-123', lifterToken);
    expect(res.status).toBe(200);
    const body = overlayResponse.strict().parse(res.body);
    expect(body.week_start).toBe(THIS_WEEK);
    expect(body.rule_version).toBe(RULE_VERSION);
    expect(body.policy).toBe(`rules@${RULE_VERSION}`);
    expect(body.modifiers.map((m) => m.exercise)).toContain('Bench Press');
    for (const m of body.modifiers) {
      expect(m.multiplier).toBeGreaterThanOrEqual(0.8);
      expect(m.multiplier).toBeLessThanOrEqual(1.25);
      expect(m.week_start <= THIS_WEEK).toBe(true);
    }
    // The demo's stalled Bench Press has been backed off.
    expect(body.modifiers.find((m) => m.exercise === 'Bench Press')!.multiplier).toBeLessThan(1);
  });

  it('the overlay is readable by the athlete’s coach only', async () => {
    expect((await get('/api/v1/modifiers?user_id=user-123', coachToken)).status).toBe(200);
    expect((await get('/api/v1/modifiers?user_id=user-123', otherToken)).status).toBe(403);
    expect((await get('/api/v1/modifiers?user_id=user-123')).status).toBe(401);
    const bad = await get('/api/v1/modifiers?user=user-123', lifterToken);
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toBe('user');
    expect((await call('POST', '/api/v1/modifiers', { token: lifterToken, json: {} })).status).toBe(405);
  });

  it('a coach override takes precedence over the automatic value, and appears at the top of the history', async () => {
    const before = await overlayFor(ctx.db, 'user-123', NOW);
    const squat = before.modifiers.find((m) => m.exercise === 'Back Squat')!;
    const row = await as(coach).coach.override({
      athleteId: 'user-123',
      exercise: 'Back Squat',
      week: addDays(THIS_WEEK, 2), // any day of the week: stored as its Monday
      multiplier: 0.9,
      note: 'knee niggle, back off this week',
    });
    expect(row).toMatchObject({
      source: 'coach',
      weekStart: THIS_WEEK,
      multiplier: 0.9,
      decidedBy: 'coach-1',
      previousMultiplier: squat.multiplier,
    });

    const after = await overlayFor(ctx.db, 'user-123', NOW);
    expect(after.modifiers.find((m) => m.exercise === 'Back Squat')).toMatchObject({
      multiplier: 0.9,
      source: 'coach',
      repDelta: squat.repDelta,
    });
    const rest = await get('/api/v1/modifiers', lifterToken);
    expect(rest.body.modifiers.find((m: { exercise: string }) => m.exercise === 'Back Squat').multiplier).toBe(0.9);

    const history = await as(coach).coach.modifierHistory({ athleteId: 'user-123', exercise: 'Back Squat' });
    expect(history[0]).toMatchObject({ source: 'coach', multiplier: 0.9, note: 'knee niggle, back off this week' });
    expect(history.slice(1).every((h) => h.source === 'auto')).toBe(true);
  });

  it('keeps every change: a second override adds a row and wins; the first stays in the history', async () => {
    await as(coach).coach.override({
      athleteId: 'user-123',
      exercise: 'Back Squat',
      week: THIS_WEEK,
      repDelta: -1,
      note: 'one rep fewer instead',
    });
    const overlay = await overlayFor(ctx.db, 'user-123', NOW);
    expect(overlay.modifiers.find((m) => m.exercise === 'Back Squat')).toMatchObject({
      multiplier: 0.9,
      repDelta: -1,
    });
    const [n] = await ctx.db
      .select({ n: count() })
      .from(adaptiveModifiers)
      .where(eq(adaptiveModifiers.source, 'coach'));
    expect(n!.n).toBe(2);
    const history = await as(coach).coach.modifierHistory({ athleteId: 'user-123', exercise: 'Back Squat' });
    expect(history.slice(0, 2).map((h) => h.note)).toEqual([
      'one rep fewer instead',
      'knee niggle, back off this week',
    ]);
  });

  it('only the athlete’s own coach may override or read the history', async () => {
    await expect(
      as(strangerCoach).coach.override({
        athleteId: 'user-123',
        exercise: 'Back Squat',
        week: THIS_WEEK,
        multiplier: 1.2,
        note: 'x',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(as(strangerCoach).coach.modifierHistory({ athleteId: 'user-123' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(as(lifter).coach.athletes()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      as(lifter).coach.override({
        athleteId: 'user-123',
        exercise: 'Back Squat',
        week: THIS_WEEK,
        multiplier: 1.2,
        note: 'self-coaching',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  describe('override input is validated', () => {
    it.each([
      [{ multiplier: 3 }, 'multiplier'],
      [{ multiplier: 0.1 }, 'multiplier'],
      [{ repDelta: 1.5 }, 'repDelta'],
      [{ repDelta: -9 }, 'repDelta'],
      [{}, 'multiplier'],
      [{ multiplier: 1.1, note: '' }, 'note'],
      [{ multiplier: 1.1, week: 'next week' }, 'week'],
      [{ multiplier: 1.1, exercise: '' }, 'exercise'],
    ])('%o → BAD_REQUEST naming %s', async (patch, field) => {
      const input = { athleteId: 'user-123', exercise: 'Back Squat', week: THIS_WEEK, note: 'why', ...patch };
      const err = await as(coach)
        .coach.override(input as never)
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'BAD_REQUEST' });
      expect(JSON.stringify((err as { cause?: unknown }).cause)).toContain(field);
    });
  });

  it('lists the coach’s athletes with flags: plateaus, changes this week, last session', async () => {
    const athletes = await as(coach).coach.athletes();
    expect(athletes.map((a) => a.id)).toEqual(['user-123', 'user-456']);
    const alex = athletes[0]!;
    expect(alex.plateaus.map((p) => p.exercise)).toEqual(['Bench Press']);
    expect(alex.lastSessionDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(alex.modifierChangesThisWeek.some((c) => c.exercise === 'Back Squat' && c.source === 'coach')).toBe(true);
    expect(await as(strangerCoach).coach.athletes()).toEqual([]);
  });

  it('a reps policy set by the coach is used by the job', async () => {
    await as(coach).coach.setPolicy({ athleteId: 'user-123', exercise: 'Bench Press', policy: 'reps' });
    const policies = await ctx.db.query.exercisePolicies.findMany();
    expect(policies).toEqual([
      expect.objectContaining({ userId: 'user-123', exercise: 'Bench Press', policy: 'reps', updatedBy: 'coach-1' }),
    ]);
    await expect(
      as(strangerCoach).coach.setPolicy({ athleteId: 'user-123', exercise: 'Bench Press', policy: 'load' }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});
