import { and, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { feedbackEvents, profiles, profileVersions, recommendations, sessions, sets } from '@/db/schema';
import { createdId } from '@/server/contracts/common';
import { ok } from '@/server/contracts/feedback';
import { instrumentResult } from '@/server/contracts/instrument';
import { sessionCreated } from '@/server/contracts/sessions';
import { seedFeedback, seedInstrumentEvents, seedProfileVersion, seedSession } from '../fixtures/seed-examples';
import { post } from '../helpers/api';
import { describeEachDatabase } from '../helpers/databases';
import { createUser } from '../helpers/fixtures';

// The seed's example bodies, posted verbatim to the seed's paths and to /api/v1.
for (const prefix of ['/api', '/api/v1']) {
  describeEachDatabase(`seed examples at ${prefix}`, (ctx) => {
    let token: string;
    beforeAll(async () => {
      token = await createUser(ctx.db, 'user-123', { analyticsOptIn: true });
    });

    it('POST profile_versions → 201 {id}, stores the snapshot and updates the profile', async () => {
      const res = await post(`${prefix}/profile_versions`, seedProfileVersion, token);
      expect(res.status).toBe(201);
      expect(createdId.strict().parse(res.body)).toEqual({ id: expect.any(String) });
      const [stored] = await ctx.db.select().from(profileVersions).where(eq(profileVersions.id, res.body.id));
      expect(stored).toMatchObject({
        userId: 'user-123',
        snapshotJson: seedProfileVersion.snapshot,
        effectiveDate: '2025-11-24',
        source: 'user',
      });
      const [profile] = await ctx.db.select().from(profiles).where(eq(profiles.userId, 'user-123'));
      expect(profile).toMatchObject({ currentWeightKg: 70, heightCm: 188, age: 20, sex: 'male' });
    });

    it('POST session → 201 {session_id}, with its sets, instant and date', async () => {
      const res = await post(`${prefix}/session`, seedSession, token);
      expect(res.status).toBe(201);
      expect(sessionCreated.strict().parse(res.body)).toEqual({ session_id: expect.any(String) });
      const id = res.body.session_id as string;
      const [session] = await ctx.db.select().from(sessions).where(eq(sessions.id, id));
      expect(session).toMatchObject({
        date: '2025-11-24',
        dayType: 'Chest',
        finished: true,
        calories: 2600,
        recMeta: {},
      });
      expect(session!.performedAt?.toISOString()).toBe('2025-11-24T12:34:00.000Z');
      const stored = await ctx.db.select().from(sets).where(eq(sets.sessionId, id));
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        userId: 'user-123',
        exercise: 'Incline Dumbbell Press',
        setNumber: 1,
        recWeight: 18.5,
        recReps: 6,
        actualWeight: 18.5,
        actualReps: 6,
        intensity: 7,
        done: true,
      });
      const [rec] = await ctx.db.select().from(recommendations).where(eq(recommendations.sessionId, id));
      expect(rec).toMatchObject({ recPayload: {}, recSource: 'client' });
    });

    it('keeps the policy the app applied, from rec_meta.rec_source, as the recommendation’s source', async () => {
      const res = await post(
        `${prefix}/session`,
        { ...seedSession, rec_meta: { rec_source: 'rules@po-overlay-2', exercises: [] } },
        token,
      );
      expect(res.status).toBe(201);
      const [rec] = await ctx.db
        .select()
        .from(recommendations)
        .where(eq(recommendations.sessionId, res.body.session_id));
      expect(rec?.recSource).toBe('rules@po-overlay-2');
    });

    it('POST feedback → 200 {ok: true} once rec-456 has been recorded', async () => {
      const rec = await post(
        `${prefix}/recommendations`,
        {
          user_id: 'user-123',
          id: 'rec-456',
          exercise: 'Incline Dumbbell Press',
          rec_payload: { weight: 18.5, reps: 6 },
        },
        token,
      );
      expect(rec.status).toBe(201);
      expect(rec.body).toEqual({ id: 'rec-456' });
      const res = await post(`${prefix}/feedback`, seedFeedback, token);
      expect(res.status).toBe(200);
      expect(ok.strict().parse(res.body)).toEqual({ ok: true });
      const stored = await ctx.db
        .select()
        .from(feedbackEvents)
        .where(and(eq(feedbackEvents.userId, 'user-123'), eq(feedbackEvents.refId, 'rec-456')));
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ refType: 'recommendation', helpful: true, notes: 'felt right' });
    });

    it.each(seedInstrumentEvents)('POST instrument $type → 200 {accepted, duplicates, dropped}', async (event) => {
      const res = await post(`${prefix}/instrument`, event, token);
      expect(res.status).toBe(200);
      expect(instrumentResult.strict().parse(res.body)).toEqual({ accepted: 1, duplicates: 0, dropped: 0 });
    });
  });
}
