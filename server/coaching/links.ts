import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { coachAthletes, coachLinkEvents, users } from '@/db/schema';
import { invalid, notFound } from '@/server/errors';

/**
 * Coach links: a coach reads the data of its current athletes, never writes it. A link is made by accepting an
 * invitation (or by an admin) and ended by either side (or an admin); every change is appended to the athlete's
 * audit log, which the athlete reads.
 */
export type LinkVia = `invite ${string}` | 'athlete' | 'coach' | 'admin';

export interface LinkEvent {
  coachId: string;
  action: 'linked' | 'ended';
  actorId: string;
  via: string;
  at: Date;
}

/** Links athlete and coach (idempotent: an existing link is kept and not logged again). */
export async function link(
  db: Db,
  athleteId: string,
  coachId: string,
  actorId: string,
  via: LinkVia,
): Promise<boolean> {
  if (athleteId === coachId)
    throw invalid('A coach cannot coach themselves.', [{ path: 'coach_id', message: 'is the athlete' }]);
  const [coach] = await db.select({ role: users.role }).from(users).where(eq(users.id, coachId));
  if (!coach) throw notFound(`User ${coachId}`, 'coach_id');
  if (coach.role !== 'coach') {
    throw invalid(`${coachId} is not a coach.`, [{ path: 'coach_id', message: 'is not a coach' }]);
  }
  const made = await db
    .insert(coachAthletes)
    .values({ userId: athleteId, coachId })
    .onConflictDoNothing()
    .returning({ userId: coachAthletes.userId });
  if (made.length === 0) return false;
  await db.insert(coachLinkEvents).values({ userId: athleteId, coachId, action: 'linked', actorId, via });
  return true;
}

/** Ends a link; false when there was none. The coach loses access at once: links are read on every request. */
export async function unlink(
  db: Db,
  athleteId: string,
  coachId: string,
  actorId: string,
  via: LinkVia,
): Promise<boolean> {
  const ended = await db
    .delete(coachAthletes)
    .where(and(eq(coachAthletes.userId, athleteId), eq(coachAthletes.coachId, coachId)))
    .returning({ userId: coachAthletes.userId });
  if (ended.length === 0) return false;
  await db.insert(coachLinkEvents).values({ userId: athleteId, coachId, action: 'ended', actorId, via });
  return true;
}

/** The caller's coaches (as an athlete) and athletes (as a coach). */
export async function linksOf(db: Db, userId: string): Promise<{ coaches: string[]; athletes: string[] }> {
  const [coaches, athletes] = await Promise.all([
    db.select({ id: coachAthletes.coachId }).from(coachAthletes).where(eq(coachAthletes.userId, userId)),
    db.select({ id: coachAthletes.userId }).from(coachAthletes).where(eq(coachAthletes.coachId, userId)),
  ]);
  return { coaches: coaches.map((c) => c.id).sort(), athletes: athletes.map((a) => a.id).sort() };
}

/** Ends the link between the caller and `otherId`, whichever side the caller is on; 404 when there is none. */
export async function endLinkWith(
  db: Db,
  callerId: string,
  otherId: string,
): Promise<{ athleteId: string; coachId: string }> {
  if (await unlink(db, callerId, otherId, callerId, 'athlete')) return { athleteId: callerId, coachId: otherId };
  if (await unlink(db, otherId, callerId, callerId, 'coach')) return { athleteId: otherId, coachId: callerId };
  throw notFound(`A coach link with ${otherId}`, 'user_id');
}

/** The athlete's audit log, newest first. */
export async function linkLog(db: Db, athleteId: string): Promise<LinkEvent[]> {
  return db
    .select({
      coachId: coachLinkEvents.coachId,
      action: coachLinkEvents.action,
      actorId: coachLinkEvents.actorId,
      via: coachLinkEvents.via,
      at: coachLinkEvents.createdAt,
    })
    .from(coachLinkEvents)
    .where(eq(coachLinkEvents.userId, athleteId))
    .orderBy(desc(coachLinkEvents.createdAt), desc(coachLinkEvents.id));
}
