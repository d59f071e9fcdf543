import type { Db } from '@/db/client';
import { coachAthletes, demoAccounts, users } from '@/db/schema';
import { runAnalyticsJob } from '@/server/analytics/job';
import { createApiToken } from '@/server/auth/tokens';
import { recordFeedback } from '@/server/ingest/feedback';
import { recordInstrumentEvents } from '@/server/ingest/instrument';
import { recordProfileVersion } from '@/server/ingest/profile-versions';
import { recordSession } from '@/server/ingest/sessions';
import { backfillWeeks, runModifierWeek } from '@/server/modifiers/job';
import { buildDemoData, DEMO_COACH_ID, DEMO_LIFTER_ID, type DemoData } from './demo-data';

export interface SeedResult {
  seeded: boolean;
  /** Plain tokens, one per demo user: shown once, at seed time. */
  tokens: { userId: string; token: string }[];
  counts: Record<string, number>;
}

/** True once this seeder wrote the demo world here: its accounts carry the `demo_accounts` marker. */
export async function isDemoSeeded(db: Db): Promise<boolean> {
  const [row] = await db.select({ id: demoAccounts.userId }).from(demoAccounts).limit(1);
  return Boolean(row);
}

/**
 * Writes the demo world through the same ingest services the API uses (one mapping from the wire format, the
 * same time-zone handling), in one transaction, unless it is already there; then materializes analytics.
 */
export async function seedDemo(
  db: Db,
  opts: { today?: Date; data?: DemoData; onProgress?: (step: string) => void } = {},
): Promise<SeedResult> {
  if (await isDemoSeeded(db)) return { seeded: false, tokens: [], counts: {} };
  const data = opts.data ?? buildDemoData(opts.today);
  const progress = opts.onProgress ?? (() => {});
  const tokens: SeedResult['tokens'] = [];

  await db.transaction(async (tx) => {
    progress('users');
    await tx.insert(users).values(
      data.users.map((u) => ({
        id: u.id,
        role: u.role,
        displayName: u.displayName,
        analyticsOptIn: u.analyticsOptIn,
      })),
    );
    await tx.insert(coachAthletes).values(data.coachLinks.map((l) => ({ userId: l.athleteId, coachId: l.coachId })));
    // The marker demo sign-in looks for: these accounts, and no others, are the demo's.
    await tx.insert(demoAccounts).values([
      { userId: DEMO_LIFTER_ID, persona: 'lifter' },
      { userId: DEMO_COACH_ID, persona: 'coach' },
    ]);

    progress('profile versions');
    for (const v of data.profileVersions) {
      await recordProfileVersion(tx, v.user_id, { ...v, snapshot: v.snapshot as never, notes: v.notes });
    }

    progress('sessions and sets');
    const sessionIds = new Map<string, string[]>();
    for (const s of data.sessions) {
      const { sessionId } = await recordSession(tx, s.user_id, s);
      sessionIds.set(s.user_id, [...(sessionIds.get(s.user_id) ?? []), sessionId]);
    }

    progress('feedback and instrumentation');
    for (const f of data.feedback) {
      const refId = sessionIds.get(f.user_id)![f.session_index]!;
      await recordFeedback(tx, f.user_id, {
        user_id: f.user_id,
        ref_type: 'session',
        ref_id: refId,
        helpful: f.helpful,
        notes: f.notes,
      });
    }
    for (const e of data.instrumentEvents) {
      const { user_id: userId, ...event } = e;
      await recordInstrumentEvents(tx, userId, [event], new Date(e.occurred_at));
    }

    progress('tokens');
    for (const u of data.users) tokens.push({ userId: u.id, token: await createApiToken(tx, u.id, 'demo') });
  });

  progress('analytics');
  await runAnalyticsJob(db);
  progress('modifier history');
  const now = opts.today ?? new Date();
  for (const week of await backfillWeeks(db, now)) await runModifierWeek(db, week);

  const setCount = data.sessions.reduce((n, s) => n + s.sets.length, 0);
  return {
    seeded: true,
    tokens,
    counts: {
      users: data.users.length,
      profile_versions: data.profileVersions.length,
      sessions: data.sessions.length,
      sets: setCount,
      feedback_events: data.feedback.length,
      instrument_events: data.instrumentEvents.length,
    },
  };
}
