import { desc, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { consentEvents, instrumentEvents, users } from '@/db/schema';
import { wallClock } from '@/server/time/clock';

export type ConsentSource = 'api' | 'dashboard' | 'seed';

export interface ConsentState {
  analytics: boolean;
  /** Whether this call changed the answer. */
  changed: boolean;
  /** Instrument events deleted because the user opted out. */
  deleted_events: number;
}

/**
 * Records a yes or no to analytics. Every answer goes into the append-only consent log (the proof), the
 * user's current answer is updated, and saying no deletes the instrumentation already stored — all in one
 * transaction, so there is never a "no" with events left behind.
 */
export async function setAnalyticsConsent(
  db: Db,
  userId: string,
  granted: boolean,
  source: ConsentSource,
): Promise<ConsentState> {
  return db.transaction(async (tx) => {
    // The row lock orders this against concurrent ingests (see recordInstrumentRequests).
    const [before] = await tx
      .select({ optIn: users.analyticsOptIn })
      .from(users)
      .where(eq(users.id, userId))
      .for('update');
    await tx.insert(consentEvents).values({ userId, purpose: 'analytics', granted, source });
    await tx.update(users).set({ analyticsOptIn: granted, updatedAt: wallClock() }).where(eq(users.id, userId));
    let deleted = 0;
    if (!granted) {
      const gone = await tx
        .delete(instrumentEvents)
        .where(eq(instrumentEvents.userId, userId))
        .returning({ eventId: instrumentEvents.eventId });
      deleted = gone.length;
    }
    return { analytics: granted, changed: before?.optIn !== granted, deleted_events: deleted };
  });
}

export interface ConsentRecord {
  analytics: boolean;
  history: { granted: boolean; source: string; at: string }[];
}

/** The current answer and every answer given, newest first. */
export async function consentOf(db: Db, userId: string): Promise<ConsentRecord> {
  const [user] = await db.select({ optIn: users.analyticsOptIn }).from(users).where(eq(users.id, userId));
  const history = await db
    .select({ granted: consentEvents.granted, source: consentEvents.source, at: consentEvents.createdAt })
    .from(consentEvents)
    .where(eq(consentEvents.userId, userId))
    .orderBy(desc(consentEvents.createdAt), desc(consentEvents.id));
  return {
    analytics: user?.optIn ?? false,
    history: history.map((h) => ({ granted: h.granted, source: h.source, at: h.at.toISOString() })),
  };
}
