import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import {
  coachAthletes,
  feedbackEvents,
  instrumentEvents,
  profileVersions,
  profiles,
  recommendations,
  sessions,
  sets,
  users,
} from '@/db/schema';
import { createApiToken } from '@/server/auth/tokens';
import { calendarDate } from '@/server/time/calendar';
import { buildDemoData, DEMO_LIFTER_ID, type DemoData } from './demo-data';

export interface SeedResult {
  seeded: boolean;
  /** Plain tokens, one per demo user: shown once, at seed time. */
  tokens: { userId: string; token: string }[];
  counts: Record<string, number>;
}

export async function isDemoSeeded(db: Db): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.id, DEMO_LIFTER_ID)).limit(1);
  return Boolean(row);
}

/**
 * Writes the demo world in one transaction (all or nothing), unless it is already there.
 * `onProgress` hears about each step, for the CLI's progress output.
 */
export async function seedDemo(
  db: Db,
  opts: { today?: Date; data?: DemoData; onProgress?: (step: string) => void } = {},
): Promise<SeedResult> {
  if (await isDemoSeeded(db)) return { seeded: false, tokens: [], counts: {} };
  const data = opts.data ?? buildDemoData(opts.today);
  const progress = opts.onProgress ?? (() => {});
  const counts: Record<string, number> = {};
  const tokens: SeedResult['tokens'] = [];

  await db.transaction(async (tx) => {
    progress('users');
    await tx.insert(users).values(
      data.users.map((u) => ({ id: u.id, role: u.role, displayName: u.displayName, analyticsOptIn: u.analyticsOptIn })),
    );
    await tx.insert(coachAthletes).values(data.coachLinks.map((l) => ({ userId: l.athleteId, coachId: l.coachId })));
    counts.users = data.users.length;

    progress('profiles');
    const zoneOf = new Map(data.users.map((u) => [u.id, u.timeZone]));
    for (const u of data.users.filter((x) => x.role === 'lifter')) {
      const versions = data.profileVersions.filter((v) => v.user_id === u.id);
      const latest = versions.at(-1)?.snapshot ?? {};
      const [profile] = await tx
        .insert(profiles)
        .values({
          userId: u.id,
          sex: String(latest.sex ?? ''),
          age: Number(latest.age),
          currentWeightKg: Number(latest.weightKg),
          heightCm: Number(latest.heightCm),
          timeZone: u.timeZone,
        })
        .returning({ id: profiles.id });
      await tx.insert(profileVersions).values(
        versions.map((v) => ({
          userId: u.id,
          profileId: profile!.id,
          snapshotJson: v.snapshot,
          effectiveDate: v.effective_date,
          source: v.source,
          notes: v.notes ?? null,
        })),
      );
    }
    counts.profile_versions = data.profileVersions.length;

    progress('sessions and sets');
    const sessionIds = new Map<string, string[]>();
    let setCount = 0;
    for (const s of data.sessions) {
      const performedAt = new Date(s.date);
      const [row] = await tx
        .insert(sessions)
        .values({
          userId: s.user_id,
          date: calendarDate(performedAt, zoneOf.get(s.user_id)),
          performedAt,
          dayType: s.day_type,
          calories: s.calories,
          finished: s.finished,
          recMeta: s.rec_meta,
        })
        .returning({ id: sessions.id });
      const sessionId = row!.id;
      sessionIds.set(s.user_id, [...(sessionIds.get(s.user_id) ?? []), sessionId]);
      await tx.insert(sets).values(
        s.sets.map((x) => ({
          userId: s.user_id,
          sessionId,
          exercise: x.exercise,
          setNumber: x.set_number,
          recWeight: x.rec_weight,
          recReps: x.rec_reps,
          actualWeight: x.actual_weight,
          actualReps: x.actual_reps,
          intensity: x.intensity,
          done: x.done,
        })),
      );
      await tx.insert(recommendations).values({
        userId: s.user_id,
        id: `rec-${sessionId}`,
        exercise: null,
        recPayload: s.rec_meta,
        recSource: 'session',
        sessionId,
      });
      setCount += s.sets.length;
    }
    counts.sessions = data.sessions.length;
    counts.sets = setCount;

    progress('feedback and instrumentation');
    await tx.insert(feedbackEvents).values(
      data.feedback.map((f) => ({
        userId: f.user_id,
        refType: 'session' as const,
        refId: sessionIds.get(f.user_id)![f.session_index]!,
        helpful: f.helpful,
        notes: f.notes ?? null,
      })),
    );
    counts.feedback_events = data.feedback.length;
    await tx.insert(instrumentEvents).values(
      data.instrumentEvents.map((e) => ({
        userId: e.user_id,
        type: e.type,
        payload: e.payload,
        eventId: e.event_id,
        occurredAt: new Date(e.occurred_at),
        sentAt: new Date(e.occurred_at),
        derivedAt: new Date(e.occurred_at),
        receivedAt: new Date(e.occurred_at),
      })),
    );
    counts.instrument_events = data.instrumentEvents.length;

    progress('tokens');
    for (const u of data.users) tokens.push({ userId: u.id, token: await createApiToken(tx, u.id, 'demo') });
  });

  return { seeded: true, tokens, counts };
}
