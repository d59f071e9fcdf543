import { acceptInvite, createInvite, listInvites, revokeInvite } from '@/server/coaching/invites';
import { endLinkWith, linkLog, linksOf } from '@/server/coaching/links';
import { deleteSessionNote, notesForAthlete } from '@/server/coaching/session-notes';
import { camelCased } from '@/server/contracts/camel-case';
import { inviteAccept, inviteCreate, invitePathParams, linkPathParams } from '@/server/contracts/coaching';
import { sessionNotePathParams } from '@/server/contracts/session-notes';
import { authedProcedure, router } from '../init';

/** Coach links, self-service: the same services as REST `/coaching/…`. */
export const coachingRouter = router({
  links: authedProcedure.query(({ ctx }) => linksOf(ctx.db, ctx.principal.userId)),
  log: authedProcedure.query(({ ctx }) => linkLog(ctx.db, ctx.principal.userId)),
  invites: authedProcedure.query(({ ctx }) => listInvites(ctx.db, ctx.principal)),
  invite: authedProcedure
    .input(camelCased(inviteCreate))
    .mutation(({ ctx, input }) => createInvite(ctx.db, ctx.principal, input.expiresInDays, ctx.now)),
  revokeInvite: authedProcedure
    .input(camelCased(invitePathParams))
    .mutation(({ ctx, input }) => revokeInvite(ctx.db, ctx.principal, input.id)),
  accept: authedProcedure
    .input(camelCased(inviteAccept))
    .mutation(({ ctx, input }) => acceptInvite(ctx.db, ctx.principal, input.code, ctx.now)),
  /** Your coaches' notes on your sessions, newest first; you may delete any. */
  notes: authedProcedure.query(({ ctx }) => notesForAthlete(ctx.db, ctx.principal.userId)),
  deleteNote: authedProcedure
    .input(camelCased(sessionNotePathParams))
    .mutation(({ ctx, input }) => deleteSessionNote(ctx.db, ctx.principal.userId, input.id, input.noteId)),
  end: authedProcedure
    .input(camelCased(linkPathParams))
    .mutation(({ ctx, input }) => endLinkWith(ctx.db, ctx.principal.userId, input.userId)),
});
