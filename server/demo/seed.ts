import type { Db } from '@/db/client';
import { coachAthletes, demoAccounts, users } from '@/db/schema';
import { runAnalyticsJob } from '@/server/analytics/job';
import { createApiToken } from '@/server/auth/tokens';
import { exploringPolicy } from '@/server/experiments/exploration';
import { recordFeedback } from '@/server/ingest/feedback';
import { recordInstrumentEvents } from '@/server/ingest/instrument';
import { recordProfileVersion } from '@/server/ingest/profile-versions';
import { recordSession } from '@/server/ingest/sessions';
import { backfillWeeks, runModifierWeek } from '@/server/modifiers/job';
import { rulesPolicy } from '@/server/modifiers/policies';
import { drawLifters } from '@/server/simulation/lifters';
import { simulateLifter } from '@/server/simulation/world';
import { recordOf, writeRecords } from '@/server/simulation/write';
import { addDays, isoWeekStart } from '@/server/time/calendar';
import { buildDemoData, DEMO_COACH_ID, DEMO_LIFTER_ID, DEMO_RESEARCHER_ID, type DemoData } from './demo-data';
import { DEMO_EXPERIMENT, seedDemoExperiments } from './experiments';

/** The simulated part of the demo `npm run dev` and the e2e run show (the researchers' /models page). */
export const DEMO_SIMULATION = { lifters: 60, weeks: 16 };
/** The simulated population's exploration (as an experiment's arms explore). */
const DEMO_EPSILON = 0.2;

export interface SeedResult {
  seeded: boolean;
  /** Plain tokens, one per demo user: shown once, at seed time. */
  tokens: { userId: string; token: string }[];
  counts: Record<string, number>;
}

/** True once this seeder wrote the demo world here: its accounts carry the `demo_accounts` marker. */
async function isDemoSeeded(db: Db): Promise<boolean> {
  const [row] = await db.select({ id: demoAccounts.userId }).from(demoAccounts).limit(1);
  return Boolean(row);
}

/**
 * Writes the demo world through the same ingest services the API uses (one mapping from the wire format, the
 * same time-zone handling), in one transaction, unless it is already there; then materializes analytics.
 */
export async function seedDemo(
  db: Db,
  opts: {
    /** The demo's history ends the week before this day's. */
    today: Date;
    data?: DemoData;
    onProgress?: (step: string) => void;
    /**
     * Also a simulated population (docs/simulation.md) of opted-in lifters, a model trained on it, and that model
     * proposing in shadow every week — what the researchers' `/models` page shows. Off in tests that do not need it.
     */
    simulated?: { lifters: number; weeks: number };
  },
): Promise<SeedResult> {
  if (await isDemoSeeded(db)) return { seeded: false, tokens: [], counts: {} };
  const data = opts.data ?? buildDemoData(opts.today);
  const progress = opts.onProgress ?? (() => {});
  const tokens = await db.transaction((tx) => writeDemoData(tx, data, progress));
  const modelVersion = opts.simulated ? await seedSimulated(db, opts.today, opts.simulated, progress) : undefined;
  progress('analytics');
  await runAnalyticsJob(db);
  progress('modifier history');
  const shadows = modelVersion === undefined ? [] : [`model@${modelVersion}`];
  for (const week of await backfillWeeks(db, opts.today)) await runModifierWeek(db, week, { shadows });
  if (modelVersion !== undefined) {
    progress(`experiments: the model against the rule on ${DEMO_EXPERIMENT.lifters} more simulated lifters`);
    await seedDemoExperiments(db, opts.today, modelVersion);
  }
  return { seeded: true, tokens, counts: countsOf(data) };
}

/** The demo's people and their training, through the ingest services; answers each user's API token. */
async function writeDemoData(tx: Db, data: DemoData, progress: (step: string) => void): Promise<SeedResult['tokens']> {
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
    { userId: DEMO_RESEARCHER_ID, persona: 'researcher' },
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
  const tokens: SeedResult['tokens'] = [];
  for (const u of data.users) tokens.push({ userId: u.id, token: await createApiToken(tx, u.id, 'demo') });
  return tokens;
}

/** A simulated population under the rule, and a model trained on it; answers the model's version. */
async function seedSimulated(
  db: Db,
  now: Date,
  { lifters, weeks }: { lifters: number; weeks: number },
  progress: (step: string) => void,
): Promise<number> {
  progress(`${lifters} simulated lifters`);
  const startWeek = addDays(isoWeekStart(now.toISOString().slice(0, 10)), -7 * weeks);
  // The realistic simulator's lifters, served by the rule exploring as an experiment's arm does: the model below
  // learns the steps' effects from the explored decisions.
  const policy = exploringPolicy(rulesPolicy, DEMO_EPSILON, 'demo-simulated');
  const worlds = drawLifters(lifters, 7, 'sim').map((l) => simulateLifter(l, { startWeek, weeks, seed: 7, policy }));
  await writeRecords(db, worlds.map(recordOf));
  progress('a model trained on them');
  // Loaded here only: training brings TensorFlow.js, which nothing else of the seed needs.
  const { trainFromDatabase } = await import('@/server/learning/train-from-db');
  const { version } = await trainFromDatabase(db, { now, seed: 7, target: 0.8, epochs: 10 });
  return version;
}

function countsOf(data: DemoData): SeedResult['counts'] {
  return {
    users: data.users.length,
    profile_versions: data.profileVersions.length,
    sessions: data.sessions.length,
    sets: data.sessions.reduce((n, s) => n + s.sets.length, 0),
    feedback_events: data.feedback.length,
    instrument_events: data.instrumentEvents.length,
  };
}
