import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { coachInvites } from '@/db/schema';
import type { Principal } from '@/server/auth/principal';
import { DomainError, forbidden, invalid, notFound } from '@/server/errors';
import { link } from './links';

/**
 * A coach's invitation: a code shown once (stored as its SHA-256), single use, expiring (7 days unless asked
 * otherwise, at most 30), revocable until accepted. Accepting it links the athlete to the coach.
 */
const INVITE_PREFIX = 'ovi_';

const hashCode = (code: string) => createHash('sha256').update(code).digest('hex');

export interface InviteInfo {
  id: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  acceptedBy: string | null;
  acceptedAt: Date | null;
}

const inviteInfo = {
  id: coachInvites.id,
  createdAt: coachInvites.createdAt,
  expiresAt: coachInvites.expiresAt,
  revokedAt: coachInvites.revokedAt,
  acceptedBy: coachInvites.acceptedBy,
  acceptedAt: coachInvites.acceptedAt,
};

function requireCoach(principal: Principal): void {
  if (principal.role !== 'coach') throw forbidden('Only coaches invite athletes.');
}

export async function createInvite(
  db: Db,
  coach: Principal,
  expiresInDays: number,
  now: Date,
): Promise<InviteInfo & { code: string }> {
  requireCoach(coach);
  const code = INVITE_PREFIX + randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + expiresInDays * 86_400_000);
  const [row] = await db
    .insert(coachInvites)
    .values({ userId: coach.userId, codeHash: hashCode(code), expiresAt })
    .returning(inviteInfo);
  return { ...row!, code };
}

export function listInvites(db: Db, coach: Principal): Promise<InviteInfo[]> {
  requireCoach(coach);
  return db
    .select(inviteInfo)
    .from(coachInvites)
    .where(eq(coachInvites.userId, coach.userId))
    .orderBy(desc(coachInvites.createdAt));
}

/** Revokes an unused invitation; 404 when the coach has none by that id, 409 when it was already accepted. */
export async function revokeInvite(db: Db, coach: Principal, id: string): Promise<InviteInfo> {
  requireCoach(coach);
  const [row] = await db
    .update(coachInvites)
    .set({ revokedAt: sql`coalesce(${coachInvites.revokedAt}, now())` })
    .where(and(eq(coachInvites.userId, coach.userId), eq(coachInvites.id, id), isNull(coachInvites.acceptedAt)))
    .returning(inviteInfo);
  if (row) return row;
  const [used] = await db
    .select(inviteInfo)
    .from(coachInvites)
    .where(and(eq(coachInvites.userId, coach.userId), eq(coachInvites.id, id)));
  if (!used) throw notFound(`Invitation ${id}`, 'id');
  throw new DomainError('conflict', 'conflict', 'This invitation was already accepted; end the link instead.', [
    { path: 'id', message: 'was already accepted' },
  ]);
}

const gone = (message: string) => new DomainError('gone', 'invite_unusable', message, [{ path: 'code', message }]);

/**
 * The athlete accepts: in one transaction the invitation is spent (only if unused, unrevoked and unexpired — a
 * replay finds it spent) and the link made and logged. A coach cannot accept its own invitation.
 */
export async function acceptInvite(
  db: Db,
  athlete: Principal,
  code: string,
  now: Date,
): Promise<{ coachId: string; linked: boolean }> {
  return db.transaction(async (tx) => {
    const [invite] = await tx
      .select({ ...inviteInfo, coachId: coachInvites.userId })
      .from(coachInvites)
      .where(eq(coachInvites.codeHash, hashCode(code)))
      .for('update');
    if (!invite) throw notFound('Invitation', 'code');
    if (invite.coachId === athlete.userId) {
      throw invalid('You cannot accept your own invitation.', [{ path: 'code', message: 'is your own invitation' }]);
    }
    if (invite.acceptedAt) throw gone('This invitation was already used.');
    if (invite.revokedAt) throw gone('This invitation was revoked by the coach.');
    if (invite.expiresAt <= now) throw gone('This invitation has expired.');
    await tx
      .update(coachInvites)
      .set({ acceptedBy: athlete.userId, acceptedAt: now })
      .where(
        and(eq(coachInvites.userId, invite.coachId), eq(coachInvites.id, invite.id), gt(coachInvites.expiresAt, now)),
      );
    const linked = await link(tx, athlete.userId, invite.coachId, athlete.userId, `invite ${invite.id}`);
    return { coachId: invite.coachId, linked };
  });
}
