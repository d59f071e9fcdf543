import type { Db } from '@/db/client';
import { adaptiveModifiers, users } from '@/db/schema';
import { recordFeedback } from '@/server/ingest/feedback';
import { recordProfileVersion } from '@/server/ingest/profile-versions';
import { recordSession } from '@/server/ingest/sessions';
import { type LifterRecord, modifierRow } from './bulk-write';

/**
 * The reference for the bulk writer: one lifter through the ingest services, one session at a time, as the app
 * would send them (the bulk writer's test compares every row; the bench compares the speed).
 */
export async function writeThroughServices(db: Db, lifter: LifterRecord): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(users).values({ id: lifter.userId, role: 'lifter', analyticsOptIn: true });
    for (const p of lifter.profiles) {
      await recordProfileVersion(tx, lifter.userId, { user_id: lifter.userId, ...p, source: 'auto' });
    }
    const ids: string[] = [];
    for (const s of lifter.sessions) {
      ids.push((await recordSession(tx, lifter.userId, { ...s, user_id: lifter.userId, calories: null })).sessionId);
    }
    for (const f of lifter.feedback) {
      const input = {
        user_id: lifter.userId,
        ref_type: 'session' as const,
        ref_id: ids[f.session]!,
        helpful: f.helpful,
      };
      await recordFeedback(tx, lifter.userId, input, new Date(lifter.sessions[f.session]!.date));
    }
    if (lifter.modifiers.length === 0) return;
    await tx
      .insert(adaptiveModifiers)
      .values(lifter.modifiers.map((m) => modifierRow(lifter.userId, m, lifter.contexts)));
  });
}
