import { issueTokenInSession, listApiTokens, revokeApiTokenById } from '@/server/auth/tokens';
import { tokenCreate, tokenRevoke } from '@/server/contracts/tokens';
import { notFound } from '@/server/errors';
import { router, sessionProcedure } from '../init';

/**
 * The signed-in person's own API tokens: create (shown once), list, revoke — from a dashboard session only, so a
 * token can never mint another. A token made in a session signed in with a token expires no later than that one
 * and is revoked with it.
 */
export const tokensRouter = router({
  list: sessionProcedure.query(({ ctx }) => listApiTokens(ctx.db, ctx.principal.userId)),
  create: sessionProcedure
    .input(tokenCreate)
    .mutation(({ ctx, input }) =>
      issueTokenInSession(ctx.db, ctx.principal.userId, { ...input, now: ctx.now, parent: ctx.signedInWith }),
    ),
  revoke: sessionProcedure.input(tokenRevoke).mutation(async ({ ctx, input }) => {
    if (!(await revokeApiTokenById(ctx.db, ctx.principal.userId, input.id))) throw notFound('Live token', 'id');
    return { revoked: true };
  }),
});
