import { z } from 'zod';
import { acceptInvite, createInvite, listInvites, revokeInvite } from '@/server/coaching/invites';
import { endLinkWith, linkLog, linksOf } from '@/server/coaching/links';
import { MAX_INVITE_DAYS } from '@/server/contracts/coaching';
import { userIdField } from '@/server/contracts/common';
import { authedProcedure, router } from '../init';

/** Coach links, self-service: the same services as REST `/coaching/…`. */
export const coachingRouter = router({
  links: authedProcedure.query(({ ctx }) => linksOf(ctx.db, ctx.principal.userId)),
  log: authedProcedure.query(({ ctx }) => linkLog(ctx.db, ctx.principal.userId)),
  invites: authedProcedure.query(({ ctx }) => listInvites(ctx.db, ctx.principal)),
  invite: authedProcedure
    .input(z.strictObject({ expiresInDays: z.number().int().min(1).max(MAX_INVITE_DAYS) }))
    .mutation(({ ctx, input }) => createInvite(ctx.db, ctx.principal, input.expiresInDays, ctx.now)),
  revokeInvite: authedProcedure
    .input(z.strictObject({ id: z.uuid() }))
    .mutation(({ ctx, input }) => revokeInvite(ctx.db, ctx.principal, input.id)),
  accept: authedProcedure
    .input(z.strictObject({ code: z.string().trim().min(1, 'Paste the code your coach gave you').max(200) }))
    .mutation(({ ctx, input }) => acceptInvite(ctx.db, ctx.principal, input.code, ctx.now)),
  end: authedProcedure
    .input(z.strictObject({ userId: userIdField }))
    .mutation(({ ctx, input }) => endLinkWith(ctx.db, ctx.principal.userId, input.userId)),
});
